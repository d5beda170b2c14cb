import type { PedigreeConfig } from '@pedigree/config';
import { buildEventTree } from '@pedigree/chain';
import { computeEventHash, eventHashDigest } from '@pedigree/epcis';
import type { ChainReaderService } from '../chain/chain-reader.service';
import { HopVerifierService } from './hop-verifier.service';
import type { HopRecord } from './provenance.repository';

const CONTEXT = ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'];

function event(serial: string): Record<string, unknown> {
  return {
    type: 'ObjectEvent',
    eventTime: '2026-11-01T10:00:00.000Z',
    eventTimeZoneOffset: '+00:00',
    epcList: [`urn:epc:id:sgtin:4012345.012345.${serial}`],
    action: 'OBSERVE',
    bizStep: 'shipping',
  };
}

const CONFIG = { anchorDeadlineSeconds: 600 } as PedigreeConfig;

function hops(): HopRecord[] {
  const events = ['A1', 'A2', 'A3'].map(event);
  const digests = events.map((e) => eventHashDigest(computeEventHash(e, CONTEXT as never)));
  const tree = buildEventTree(digests);
  return events.map((e, i) => {
    const payload = { '@context': CONTEXT, ...e };
    return {
      eventHash: digests[i]!,
      eventId: null,
      eventType: 'ObjectEvent',
      action: 'OBSERVE',
      bizStep: 'shipping',
      disposition: null,
      eventTime: new Date('2026-11-01T10:00:00Z'),
      bizLocation: null,
      readPoint: null,
      payload,
      payloadText: JSON.stringify(payload),
      flags: [],
      publisherOrgId: null,
      recordTime: new Date(),
      via: null,
      anchor: {
        batchId: '1',
        leafIndex: i,
        proof: tree.proofs[i]!,
        merkleRoot: Buffer.from(tree.root.slice(2), 'hex'),
        status: 'confirmed',
        txHash: null,
        blockNumber: '7',
      },
      custody: null,
    };
  });
}

describe('HopVerifierService', () => {
  const found = {
    anchorOf: jest.fn(() =>
      Promise.resolve({
        status: 'found' as const,
        anchor: { root: '', blockNumber: 7, timestamp: 0, sequence: 1, eventCount: 3 },
      }),
    ),
  };
  const verifier = () => new HopVerifierService(found as unknown as ChainReaderService, CONFIG);

  it('verifies untouched hops, and again from its memo', async () => {
    const service = verifier();
    for (let round = 0; round < 2; round++)
      for (const hop of hops()) expect((await service.check(hop)).status).toBe('verified');
  });

  it('catches a stored event edited after it was verified (the memo is keyed by what was read)', async () => {
    const service = verifier();
    const [hop] = hops();
    expect((await service.check(hop!)).status).toBe('verified');
    const edited = { ...hop!, payloadText: JSON.stringify({ ...hop!.payload, bizStep: 'receiving' }) };
    const check = await service.check(edited);
    expect(check.status).toBe('tampered');
    expect(check.hashMatches).toBe(false);
  });

  it('catches a proof or root swapped after verification', async () => {
    const service = verifier();
    const [first, second] = hops();
    expect((await service.check(first!)).status).toBe('verified');
    const swapped = { ...first!, anchor: { ...first!.anchor!, proof: second!.anchor!.proof } };
    expect((await service.check(swapped)).status).toBe('tampered');
    const otherRoot = { ...first!, anchor: { ...first!.anchor!, merkleRoot: Buffer.alloc(32, 1) } };
    expect((await service.check(otherRoot)).status).toBe('tampered');
  });

  it('still asks the chain every time, so a root gone from the chain is noticed', async () => {
    const missing = { anchorOf: jest.fn(() => Promise.resolve({ status: 'missing' as const })) };
    const service = new HopVerifierService(missing as unknown as ChainReaderService, CONFIG);
    const [hop] = hops();
    expect((await service.check(hop!)).status).toBe('tampered');
    expect((await service.check(hop!)).rootOnChain).toBe(false);
    expect(missing.anchorOf).toHaveBeenCalledTimes(2);
  });
});
