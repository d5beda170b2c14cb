import { EPCIS_CONTEXT_URL } from '@pedigree/epcis';
import type { Request, Response } from 'express';
import { negotiated } from './events-query.controller';

/** Just what `negotiated` uses of express: content negotiation as `req.accepts` does it, and the headers it sets. */
function exchange(accept: string) {
  const headers: Record<string, string> = {};
  const req = {
    accepts: (types: string[]) => {
      const wanted = accept.split(',').map((t) => t.trim().split(';')[0]!);
      if (wanted.includes('*/*')) return types[0];
      return types.find((t) => wanted.includes(t)) ?? false;
    },
  } as unknown as Request;
  const res = {
    type: (t: string) => (headers['content-type'] = t),
    vary: (v: string) => (headers.vary = v),
  } as unknown as Response;
  return { req, res, headers };
}

const queryDocument = (events: Record<string, unknown>[]) => ({
  '@context': [EPCIS_CONTEXT_URL],
  type: 'EPCISQueryDocument',
  schemaVersion: '2.0',
  creationDate: '2026-12-06T08:00:00Z',
  epcisBody: { queryResults: { queryName: 'SimpleEventQuery', resultsBody: { eventList: events } } },
});
const event = {
  type: 'ObjectEvent',
  eventTime: '2026-12-06T07:00:00Z',
  eventTimeZoneOffset: '+00:00',
  action: 'OBSERVE',
  bizStep: 'shipping',
  epcList: ['urn:epc:id:sgtin:4012345.012345.1'],
};

describe('query answers by Accept', () => {
  it('gives JSON-LD by default and to */*, JSON to application/json', () => {
    for (const [accept, type] of [
      ['*/*', 'application/ld+json'],
      ['application/ld+json', 'application/ld+json'],
      ['application/json', 'application/json'],
      ['image/png', 'application/ld+json'],
    ] as const) {
      const { req, res, headers } = exchange(accept);
      expect(typeof negotiated(queryDocument([event]), req, res)).toBe('object');
      expect(headers).toEqual({ 'content-type': type, vary: 'Accept' });
    }
  });

  it('writes the EPCIS 2.0 XML query document when XML is asked for', () => {
    const { req, res, headers } = exchange('application/xml');
    const xml = negotiated(queryDocument([event]), req, res) as string;
    expect(headers['content-type']).toBe('application/xml');
    expect(xml).toMatch(/<epcisq:EPCISQueryDocument/);
    expect(xml).toContain('<bizStep>urn:epcglobal:cbv:bizstep:shipping</bizStep>');
  });

  it('answers 406, naming the field, when the events have no XML form', () => {
    const { req, res } = exchange('text/xml');
    const custom = {
      ...event,
      type: 'example:PalletEvent',
      '@context': [{ example: 'https://example.com/' }],
    };
    expect(() => negotiated(queryDocument([custom]), req, res)).toThrow(
      expect.objectContaining({ status: 406, code: 'NOT_ACCEPTABLE' }),
    );
  });
});
