import { parseDigitalLink } from './digital-link';
import { isEpcUrn, parseEpcUrn } from './epc-urn';

/** What supply-chain rules need to know about an instance identifier. */
export interface EpcFacts {
  /** EPC scheme: `sgtin`, `sscc`, `sgln`, … */
  kind: string;
  /** GTIN-14 of an SGTIN. */
  gtin?: string;
  serial?: string;
  companyPrefix?: string;
}

/** Facts about an EPC URN; undefined for anything that is not a well-formed EPC URN. */
export function describeEpc(urn: string): EpcFacts | undefined {
  if (!isEpcUrn(urn)) return undefined;
  try {
    const identity = parseEpcUrn(urn);
    const value = (ai: string) => identity.elements?.find((e) => e.ai === ai)?.value;
    return {
      kind: identity.scheme,
      gtin: value('01'),
      serial: value('21'),
      companyPrefix: identity.companyPrefix,
    };
  } catch {
    return undefined;
  }
}

/** The canonical form of an EPC URN (percent-encoding and case as the Tag Data Standard writes them). */
export function normaliseEpcUrn(urn: string): string {
  return parseEpcUrn(urn).urn;
}

/**
 * The GLN behind a location or party identifier: an SGLN or PGLN URN, or a Digital Link with AI 414 or 417.
 * Undefined for anything else (private location ids are legal in EPCIS and simply have no GLN).
 */
export function glnOfLocationOrParty(uri: string): string | undefined {
  try {
    if (uri.startsWith('urn:epc:id:sgln:') || uri.startsWith('urn:epc:id:pgln:')) {
      const identity = parseEpcUrn(uri);
      return identity.elements?.find((e) => e.ai === '414' || e.ai === '417')?.value;
    }
    if (uri.startsWith('http://') || uri.startsWith('https://')) {
      const link = parseDigitalLink(uri);
      return link.primaryKey.ai === '414' || link.primaryKey.ai === '417' ? link.primaryKey.value : undefined;
    }
  } catch {
    return undefined;
  }
  return undefined;
}
