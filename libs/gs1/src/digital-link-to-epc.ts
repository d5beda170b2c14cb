import { encodeUrnValue, isDigits } from './character-set';
import { type CompanyPrefixResolver, companyPrefixOffset } from './company-prefix';
import { type DigitalLink, parseDigitalLink } from './digital-link';
import type { Gs1Element } from './gs1-element';
import { Gs1ParseError } from './gs1-parse-error';

export interface DigitalLinkToEpcUrnOptions {
  /** Length of the GS1 Company Prefix, when the caller knows it. Wins over the resolver. */
  companyPrefixLength?: number;
  /** Asked for the company prefix length when `companyPrefixLength` is not given. */
  companyPrefixResolver?: CompanyPrefixResolver;
}

function resolveLength(link: DigitalLink, uri: string, options: DigitalLinkToEpcUrnOptions): number {
  const { ai, value } = link.primaryKey;
  const prefixed = value.slice(companyPrefixOffset(ai));
  const length = options.companyPrefixLength ?? options.companyPrefixResolver?.(prefixed, ai);
  if (length === undefined) {
    throw new Gs1ParseError(
      'GS1_UNKNOWN_COMPANY_PREFIX_LENGTH',
      `converting '${uri}' to an EPC URN needs the length of its GS1 Company Prefix (the first 6 to 12 digits of ` +
        `'${prefixed}'), and neither the companyPrefixLength option nor the company prefix resolver knows it`,
      { ai },
    );
  }
  if (!Number.isInteger(length) || length < 6 || length > 12 || !isDigits(prefixed, 0, length)) {
    throw new Gs1ParseError(
      'GS1_INVALID_COMPANY_PREFIX',
      `a GS1 Company Prefix of ${length} digits does not fit '${prefixed}' in '${uri}' (6 to 12 digits)`,
      { ai },
    );
  }
  return length;
}

function qualifier(link: DigitalLink, ai: string): Gs1Element | undefined {
  return link.qualifiers.find((q) => q.ai === ai);
}

function tooLong(uri: string, cpLength: number, ai: string): Gs1ParseError {
  return new Gs1ParseError(
    'GS1_INVALID_COMPANY_PREFIX',
    `a GS1 Company Prefix of ${cpLength} digits leaves no room for the reference in '${uri}'`,
    { ai },
  );
}

/**
 * The EPC URN of a GS1 Digital Link, at the finest level the link identifies: serial over lot (CPV dropped, EPC has
 * none), a bare GTIN as the pattern `urn:epc:idpat:sgtin:CP.IR.*`, a GRAI/GDTI/GCN/ITIP/CPI without serial as
 * their patterns. Needs the GS1 Company Prefix length: `companyPrefixLength` or a `companyPrefixResolver`; throws
 * `GS1_UNKNOWN_COMPANY_PREFIX_LENGTH` when neither knows it.
 */
export function digitalLinkToEpcUrn(uri: string, options: DigitalLinkToEpcUrnOptions = {}): string {
  const link = parseDigitalLink(uri);
  const { ai, value } = link.primaryKey;
  if (ai === '8013') {
    throw new Gs1ParseError('GS1_UNSUPPORTED_SCHEME', `'${uri}': a GMN (8013) has no EPC URN`, { ai });
  }
  const l = resolveLength(link, uri, options);
  switch (ai) {
    case '01': {
      if (l > 12) throw tooLong(uri, l, ai);
      const cp = value.slice(1, 1 + l);
      const ir = value[0] + value.slice(1 + l, 13);
      const serial = qualifier(link, '21');
      if (serial) return `urn:epc:id:sgtin:${cp}.${ir}.${encodeUrnValue(serial.value)}`;
      const tpx = qualifier(link, '235');
      if (tpx) return `urn:epc:id:upui:${cp}.${ir}.${encodeUrnValue(tpx.value)}`;
      const lot = qualifier(link, '10');
      if (lot) return `urn:epc:class:lgtin:${cp}.${ir}.${encodeUrnValue(lot.value)}`;
      return `urn:epc:idpat:sgtin:${cp}.${ir}.*`;
    }
    case '00':
      return `urn:epc:id:sscc:${value.slice(1, 1 + l)}.${value[0]}${value.slice(1 + l, 17)}`;
    case '414': {
      const ext = qualifier(link, '254');
      return `urn:epc:id:sgln:${value.slice(0, l)}.${value.slice(l, 12)}.${ext ? encodeUrnValue(ext.value) : '0'}`;
    }
    case '417':
      return `urn:epc:id:pgln:${value.slice(0, l)}.${value.slice(l, 12)}`;
    case '8003': {
      const key = value.slice(1, 14);
      const serial = value.slice(14);
      const head = `${key.slice(0, l)}.${key.slice(l, 12)}`;
      return serial ? `urn:epc:id:grai:${head}.${encodeUrnValue(serial)}` : `urn:epc:idpat:grai:${head}.*`;
    }
    case '8004':
      if (value.length <= l) throw tooLong(uri, l, ai);
      return `urn:epc:id:giai:${value.slice(0, l)}.${encodeUrnValue(value.slice(l))}`;
    case '8017':
    case '8018':
      return `urn:epc:id:${ai === '8017' ? 'gsrnp' : 'gsrn'}:${value.slice(0, l)}.${value.slice(l, 17)}`;
    case '253': {
      const head = `${value.slice(0, l)}.${value.slice(l, 12)}`;
      const serial = value.slice(13);
      return serial ? `urn:epc:id:gdti:${head}.${encodeUrnValue(serial)}` : `urn:epc:idpat:gdti:${head}.*`;
    }
    case '255': {
      const head = `${value.slice(0, l)}.${value.slice(l, 12)}`;
      const serial = value.slice(13);
      return serial ? `urn:epc:id:sgcn:${head}.${serial}` : `urn:epc:idpat:sgcn:${head}.*`;
    }
    case '401':
      if (value.length <= l) throw tooLong(uri, l, ai);
      return `urn:epc:id:ginc:${value.slice(0, l)}.${encodeUrnValue(value.slice(l))}`;
    case '402':
      return `urn:epc:id:gsin:${value.slice(0, l)}.${value.slice(l, 16)}`;
    case '8006': {
      if (l > 12) throw tooLong(uri, l, ai);
      const head = `${value.slice(1, 1 + l)}.${value[0]}${value.slice(1 + l, 13)}.${value.slice(14, 16)}.${value.slice(16, 18)}`;
      const serial = qualifier(link, '21');
      return serial
        ? `urn:epc:id:itip:${head}.${encodeUrnValue(serial.value)}`
        : `urn:epc:idpat:itip:${head}.*`;
    }
    case '8010': {
      if (value.length <= l) throw tooLong(uri, l, ai);
      const head = `${value.slice(0, l)}.${encodeUrnValue(value.slice(l))}`;
      const serial = qualifier(link, '8011');
      return serial ? `urn:epc:id:cpi:${head}.${serial.value}` : `urn:epc:idpat:cpi:${head}.*`;
    }
    default:
      throw new Gs1ParseError('GS1_UNSUPPORTED_SCHEME', `'${uri}': key (${ai}) has no EPC URN`, { ai });
  }
}
