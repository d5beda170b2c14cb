import {
  glnOfLocationOrParty,
  isEpcUrn,
  isValidGln,
  isValidGtin,
  parseDigitalLink,
  parseEpcUrn,
} from '@pedigree/gs1';
import { cbvAttribute } from './master-data';

/**
 * What a person reads instead of a GS1 key: a product by its name and strength, a place by its name. Master data
 * states them per identifier, in whichever spelling the stating party chose (an EPC class URN, a Digital Link, an SGLN
 * or PGLN URN), so names are matched on the GS1 key behind the spelling: the GTIN of a product, the GLN of a place.
 */
export type NamedSubject = { kind: 'product'; gtin: string } | { kind: 'location'; gln: string };

/** A product's or a place's name as one statement of master data gives it. */
export interface SubjectName {
  kind: NamedSubject['kind'];
  /** `Amoxicillin 500 mg`, `Apotheke am Markt`: what to show. */
  label: string;
  name: string;
  strength?: string;
  /** A place's address, one line (`Marktplatz 1, 10115 Berlin, DE`). */
  address?: string;
}

const DIGITAL_LINK = 'https://id.gs1.org';

/** The key (`gtin:…`, `gln:…`) under which a subject's name is looked up and cached. */
export function subjectKey(subject: NamedSubject): string {
  return subject.kind === 'product' ? `gtin:${subject.gtin}` : `gln:${subject.gln}`;
}

/**
 * The product or place an identifier names: a GTIN-14 or GLN (digits), a pack (SGTIN URN or Digital Link, its
 * product), a product class (EPC class or pattern URN, GTIN Digital Link), a location or party (SGLN/PGLN URN, AI 414
 * or 417 Digital Link). Undefined for anything else (SSCCs, private location ids, malformed identifiers).
 */
export function namedSubjectOf(identifier: string): NamedSubject | undefined {
  if (/^\d{14}$/.test(identifier))
    return isValidGtin(identifier) ? { kind: 'product', gtin: identifier } : undefined;
  if (/^\d{13}$/.test(identifier))
    return isValidGln(identifier) ? { kind: 'location', gln: identifier } : undefined;
  const gln = glnOfLocationOrParty(identifier);
  if (gln) return { kind: 'location', gln };
  const gtin = gtinOf(identifier);
  return gtin ? { kind: 'product', gtin } : undefined;
}

function gtinOf(identifier: string): string | undefined {
  try {
    if (isEpcUrn(identifier))
      return parseEpcUrn(identifier).elements?.find((element) => element.ai === '01')?.value;
    if (identifier.startsWith('https://') || identifier.startsWith('http://')) {
      const key = parseDigitalLink(identifier).primaryKey;
      return key.ai === '01' ? key.value : undefined;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * Every identifier under which master data may describe the subject: the Digital Link, and the EPC URN for each
 * company prefix length the key may have (a GTIN or GLN does not say where its company prefix ends).
 */
export function masterDataIdsOf(subject: NamedSubject): string[] {
  if (subject.kind === 'product') {
    const { gtin } = subject;
    const ids = [`${DIGITAL_LINK}/01/${gtin}`];
    for (let length = 6; length <= 12; length++)
      ids.push(`urn:epc:idpat:sgtin:${gtin.slice(1, 1 + length)}.${gtin[0]}${gtin.slice(1 + length, 13)}.*`);
    return ids;
  }
  const { gln } = subject;
  const ids = [`${DIGITAL_LINK}/414/${gln}`, `${DIGITAL_LINK}/417/${gln}`];
  for (let length = 6; length <= 12; length++) {
    const [prefix, reference] = [gln.slice(0, length), gln.slice(length, 12)];
    ids.push(`urn:epc:id:sgln:${prefix}.${reference}.0`, `urn:epc:id:pgln:${prefix}.${reference}`);
  }
  return ids;
}

/** The name a statement's attributes give its subject (CBV master data attributes); undefined when they give none. */
export function subjectNameOf(
  kind: NamedSubject['kind'],
  attributes: Record<string, unknown>,
): SubjectName | undefined {
  if (kind === 'product') {
    const name =
      cbvAttribute(attributes, 'regulatedProductName') ?? cbvAttribute(attributes, 'tradeItemDescription');
    if (!name) return undefined;
    const strength = cbvAttribute(attributes, 'strengthDescription');
    return { kind, label: productLabel(name, strength), name, ...(strength ? { strength } : {}) };
  }
  const name = cbvAttribute(attributes, 'name');
  if (!name) return undefined;
  const address = addressOf(attributes);
  return { kind, label: name, name, ...(address ? { address } : {}) };
}

/** `Amoxicillin` and `500 mg` → `Amoxicillin 500 mg`; a name that already says its strength keeps it once. */
export function productLabel(name: string, strength: string | undefined): string {
  if (!strength || name.toLowerCase().includes(strength.toLowerCase())) return name;
  return `${name} ${strength}`;
}

function addressOf(attributes: Record<string, unknown>): string | undefined {
  const part = (local: string) => cbvAttribute(attributes, local);
  const city = [part('postalCode'), part('city')].filter(Boolean).join(' ');
  const line = [part('streetAddressOne'), city, part('countryCode')].filter(Boolean).join(', ');
  return line || undefined;
}

/** One organisation's statement about a subject, as far as choosing between statements needs it. */
export interface NameStatement {
  organisationId: string;
  authoritative: boolean;
  updatedAt: Date | string;
}

/**
 * Whose statement names a subject for a reader: the owner's (authoritative) if there is one, else the reader's own
 * organisation's, the latest first. Another member's non-authoritative statement is its private view and never shown
 * to anyone else. Without a reader organisation (the consortium admin, text shared by several members) only the
 * owner's statement counts.
 */
export function preferredStatement<S extends NameStatement>(
  statements: readonly S[],
  readerOrganisationId: string | undefined,
): S | undefined {
  const newestFirst = [...statements].sort(
    (a, b) => new Date(b.updatedAt).getTime() - new Date(a.updatedAt).getTime(),
  );
  return (
    newestFirst.find((s) => s.authoritative) ??
    (readerOrganisationId ? newestFirst.find((s) => s.organisationId === readerOrganisationId) : undefined)
  );
}
