import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  CBV_KINDS,
  CBV_NAMESPACES,
  type CbvKind,
  cbvTermOf,
  compactCbv,
  expandCbv,
  isStandardCbv,
  isStandardCbvTerm,
  standardCbvTerms,
} from './cbv-vocabulary';

const CONTEXT = resolve(
  __dirname,
  '..',
  '..',
  '..',
  '..',
  '..',
  'shared',
  'conformance',
  'epcis',
  'epcis-context.jsonld',
);

describe('CBV vocabulary', () => {
  it('converts bare ↔ web URI ↔ legacy URN for each kind', () => {
    expect(expandCbv('bizStep', 'shipping')).toBe('https://ref.gs1.org/cbv/BizStep-shipping');
    expect(expandCbv('disposition', 'in_transit')).toBe('https://ref.gs1.org/cbv/Disp-in_transit');
    expect(expandCbv('bizTransactionType', 'po')).toBe('https://ref.gs1.org/cbv/BTT-po');
    expect(expandCbv('sourceDestType', 'owning_party')).toBe('https://ref.gs1.org/cbv/SDT-owning_party');
    expect(expandCbv('errorReason', 'did_not_occur')).toBe('https://ref.gs1.org/cbv/ER-did_not_occur');
    expect(expandCbv('bizStep', 'urn:epcglobal:cbv:bizstep:receiving')).toBe(
      'https://ref.gs1.org/cbv/BizStep-receiving',
    );
    expect(compactCbv('bizStep', 'https://ref.gs1.org/cbv/BizStep-shipping')).toBe('shipping');
    expect(compactCbv('disposition', 'urn:epcglobal:cbv:disp:in_transit')).toBe('in_transit');
    expect(compactCbv('bizStep', 'shipping')).toBe('shipping');
  });

  it('leaves values outside the standard vocabulary alone', () => {
    const own = 'https://example.com/vocab/bizstep/exampling';
    expect(expandCbv('bizStep', own)).toBe(own);
    expect(compactCbv('bizStep', own)).toBe(own);
    expect(expandCbv('bizStep', 'exampling')).toBe('exampling');
    // A non-standard term in the CBV namespace keeps its URI form when compacted.
    expect(compactCbv('bizStep', 'https://ref.gs1.org/cbv/BizStep-exampling')).toBe(
      'https://ref.gs1.org/cbv/BizStep-exampling',
    );
    expect(isStandardCbv('bizStep', 'https://ref.gs1.org/cbv/BizStep-exampling')).toBe(false);
    // A term of one kind is not a term of another.
    expect(isStandardCbv('disposition', 'shipping')).toBe(false);
    expect(expandCbv('disposition', 'shipping')).toBe('shipping');
  });

  it('recognises standard terms in all three spellings', () => {
    expect(isStandardCbv('bizStep', 'shipping')).toBe(true);
    expect(isStandardCbv('bizStep', 'https://ref.gs1.org/cbv/BizStep-shipping')).toBe(true);
    expect(isStandardCbv('bizStep', 'urn:epcglobal:cbv:bizstep:shipping')).toBe(true);
    expect(isStandardCbvTerm('bizStep', 'https://ref.gs1.org/cbv/BizStep-shipping')).toBe(false);
    expect(cbvTermOf('bizStep', 'https://ns.gs1.org/cbv/BizStep-shipping')).toEqual({
      term: 'shipping',
      form: 'legacy',
    });
    expect(cbvTermOf('bizStep', 'shipping')).toBeUndefined();
  });

  it('has exactly the term lists of the EPCIS 2.0 JSON-LD context', () => {
    const context = JSON.parse(readFileSync(CONTEXT, 'utf8')) as { '@context': Record<string, unknown> };
    const ctx = context['@context'];
    const termsOf = (scoped: unknown): string[] =>
      Object.keys(scoped as Record<string, unknown>).filter((k) => !k.startsWith('@') && k !== 'epcis');
    const scopedOf = (entry: unknown) => (entry as { '@context': unknown })['@context'];
    const sourceList = scopedOf(ctx.sourceList) as Record<string, unknown>;
    const bizTransactionList = scopedOf(ctx.bizTransactionList) as Record<string, unknown>;
    const errorDeclaration = scopedOf(ctx.errorDeclaration) as Record<string, unknown>;
    const expected: Record<CbvKind, string[]> = {
      bizStep: termsOf(scopedOf(ctx.bizStep)),
      disposition: termsOf(scopedOf(ctx.disposition)),
      sourceDestType: termsOf(scopedOf(sourceList.type)),
      bizTransactionType: termsOf(scopedOf(bizTransactionList.type)),
      errorReason: termsOf(scopedOf(errorDeclaration.reason)),
    };
    for (const kind of CBV_KINDS) {
      expect([...standardCbvTerms(kind)].sort()).toEqual(expected[kind].sort());
    }
  });

  it('round-trips every standard term through web URI and URN (property)', () => {
    const anyTerm = fc
      .constantFrom(...CBV_KINDS)
      .chain((kind) => fc.constantFrom(...standardCbvTerms(kind)).map((term) => ({ kind, term })));
    fc.assert(
      fc.property(anyTerm, ({ kind, term }) => {
        const web = expandCbv(kind, term);
        expect(web).toBe(CBV_NAMESPACES[kind].web + term);
        expect(compactCbv(kind, web)).toBe(term);
        expect(compactCbv(kind, CBV_NAMESPACES[kind].urn + term)).toBe(term);
        expect(expandCbv(kind, CBV_NAMESPACES[kind].urn + term)).toBe(web);
        expect(isStandardCbv(kind, web)).toBe(true);
      }),
    );
  });
});
