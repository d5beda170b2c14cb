/**
 * Tells the length of the GS1 Company Prefix a key starts with. `prefixed` is the key from where its company
 * prefix begins: a GTIN or ITIP without its indicator digit, an SSCC without its extension digit, a GRAI without its
 * leading 0, any other key as it is; `ai` names the key. Undefined when the prefix is not known.
 *
 * The length cannot be derived from a key alone (GS1 allocates prefixes of 6 to 12 digits); Pedigree knows the
 * prefixes of its registered organisations, see `companyPrefixResolver`.
 */
export type CompanyPrefixResolver = (prefixed: string, ai: string) => number | undefined;

const COMPANY_PREFIX = /^\d{6,12}$/;

/**
 * A resolver from known GS1 Company Prefixes: the longest one the key starts with wins (GS1 prefixes do not nest,
 * but a longest match is also right for a list that mixes a prefix with its sub-allocations).
 */
export function companyPrefixResolver(prefixes: Iterable<string>): CompanyPrefixResolver {
  const known = new Set<string>();
  for (const p of prefixes) {
    if (!COMPANY_PREFIX.test(p)) throw new RangeError(`'${p}' is not a GS1 Company Prefix (6 to 12 digits)`);
    known.add(p);
  }
  return (prefixed) => {
    for (let len = Math.min(12, prefixed.length); len >= 6; len--) {
      if (known.has(prefixed.slice(0, len))) return len;
    }
    return undefined;
  };
}

/** Where the company prefix starts within a key's value, per AI. */
export function companyPrefixOffset(ai: string): number {
  return ai === '01' || ai === '00' || ai === '8003' || ai === '8006' ? 1 : 0;
}
