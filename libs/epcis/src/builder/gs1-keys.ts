import { gs1CheckDigit } from '@pedigree/gs1';

/**
 * Identifier factories for a company prefix, in EPC URN form (Tag Data Standard partitioning: the company prefix
 * and the item / serial / location reference share 12 or 17 digits).
 */
export function sgtinUrn(
  companyPrefix: string,
  itemReference: string,
  serial: string,
  indicator = '0',
): string {
  return `urn:epc:id:sgtin:${companyPrefix}.${indicator}${itemReference.padStart(12 - companyPrefix.length, '0')}.${serial}`;
}

export function gtinOf(companyPrefix: string, itemReference: string, indicator = '0'): string {
  const body = `${indicator}${companyPrefix}${itemReference.padStart(12 - companyPrefix.length, '0')}`;
  return body + String(gs1CheckDigit(body));
}

export function ssccUrn(companyPrefix: string, serialReference: number, extension = '0'): string {
  const width = 16 - companyPrefix.length;
  return `urn:epc:id:sscc:${companyPrefix}.${extension}${String(serialReference).padStart(width, '0')}`;
}

export function sglnUrn(companyPrefix: string, locationReference: number, extension = '0'): string {
  const width = 12 - companyPrefix.length;
  return `urn:epc:id:sgln:${companyPrefix}.${String(locationReference).padStart(width, '0')}.${extension}`;
}

export function pglnUrn(companyPrefix: string, partyReference: number): string {
  const width = 12 - companyPrefix.length;
  return `urn:epc:id:pgln:${companyPrefix}.${String(partyReference).padStart(width, '0')}`;
}

export function glnOf(companyPrefix: string, reference: number): string {
  const body = companyPrefix + String(reference).padStart(12 - companyPrefix.length, '0');
  return body + String(gs1CheckDigit(body));
}
