import type { MasterDataElement } from '@pedigree/epcis';
import {
  companyPrefixOffset,
  glnOfLocationOrParty,
  isEpcUrn,
  parseDigitalLink,
  parseEpcUrn,
} from '@pedigree/gs1';
import type { MasterDataRow } from '../persistence/ingest.repository';
import type { PartyDirectory } from './party-directory.service';

/**
 * Who may state master data about an identifier: the owner of a product class's company prefix, of a location's
 * GLN. Anyone else's statement is kept as theirs, never as the product's or the place's truth (a shipper's header
 * naming the receiver's site is normal in DSCSA documents; what it says is the shipper's view).
 */
export function ownerOfMasterData(id: string, parties: PartyDirectory): string | undefined {
  // A product class URN (idpat, lgtin) spells its company prefix out.
  const urn = classUrn(id);
  if (urn) return urn.companyPrefix ? parties.organisationOfPrefix(urn.companyPrefix) : undefined;
  const gln = glnOfLocationOrParty(id);
  if (gln) return parties.organisationOfGln(gln);
  if (id.startsWith('https://') || id.startsWith('http://')) {
    try {
      const { ai, value } = parseDigitalLink(id).primaryKey;
      const prefixed = value.slice(companyPrefixOffset(ai));
      const length = parties.companyPrefixLength(prefixed, ai);
      return length ? parties.organisationOfPrefix(prefixed.slice(0, length)) : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function classUrn(id: string): ReturnType<typeof parseEpcUrn> | undefined {
  if (!isEpcUrn(id)) return undefined;
  try {
    const identity = parseEpcUrn(id);
    return identity.level === 'class' ? identity : undefined;
  } catch {
    return undefined;
  }
}

export function masterDataRows(
  elements: readonly MasterDataElement[],
  publisherOrgId: string,
  parties: PartyDirectory,
): MasterDataRow[] {
  return elements.map((element) => ({
    vocabularyType: element.type,
    id: element.id,
    organisationId: publisherOrgId,
    authoritative: ownerOfMasterData(element.id, parties) === publisherOrgId,
    attributes: element.attributes,
    children: element.children,
  }));
}
