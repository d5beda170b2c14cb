import type { MasterDataElement } from '@pedigree/epcis';
import { companyPrefixOffset, glnOfLocationOrParty, parseDigitalLink } from '@pedigree/gs1';
import type { MasterDataRow } from '../persistence/ingest.repository';
import type { PartyDirectory } from './party-directory.service';

/** A product class: `urn:epc:idpat:sgtin:CP.IR.*`, `urn:epc:class:lgtin:CP.IR.LOT` (the company prefix is spelled out). */
const CLASS_URN = /^urn:epc:(?:idpat:sgtin|class:lgtin):(\d{6,12})\./;

/**
 * Who may state master data about an identifier: the owner of a product class's company prefix, of a location's
 * GLN. Anyone else's statement is kept as theirs, never as the product's or the place's truth (a shipper's header
 * naming the receiver's site is normal in DSCSA documents; what it says is the shipper's view).
 */
export function ownerOfMasterData(id: string, parties: PartyDirectory): string | undefined {
  const urn = CLASS_URN.exec(id);
  if (urn) return parties.organisationOfPrefix(urn[1]!);
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
