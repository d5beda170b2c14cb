import type { CustodyLedger, ParticipantRegistry } from '@pedigree/contracts';
import { consignmentId, identifierHash } from './chain-identifiers';
import { CustodyChecker } from './custody-checker';

const MAKER = '0x00000000000000000000000000000000000000aa';
const PHARMACY = '0x00000000000000000000000000000000000000bb';
const KEY = 'urn:epc:id:sscc:4012345.0000000001';
const EVENT = '11'.repeat(32);

/** A fake CustodyLedger holding one shipment maker → pharmacy, and a registry binding their GLNs. */
function fakes(logs: { from: string; to: string; eventHash: string }[]) {
  let queries = 0;
  const custody = {
    filters: { ShipmentRecorded: (id: string) => ({ id }), ReceiptRecorded: (id: string) => ({ id }) },
    queryFilter: (filter: { id: string }) => {
      queries++;
      return Promise.resolve(
        filter.id === consignmentId(KEY)
          ? logs.map((args) => ({ args: { ...args, sequence: 1n }, transactionHash: '0xtx', blockNumber: 7 }))
          : [],
      );
    },
  } as unknown as CustodyLedger;
  const owners = new Map([
    [identifierHash('gln', '4012345000009'), MAKER],
    [identifierHash('gln', '4260001000003'), PHARMACY],
  ]);
  const registry = {
    identifierOwner: (hash: string) => Promise.resolve(owners.get(hash) ?? `0x${'0'.repeat(40)}`),
  } as unknown as ParticipantRegistry;
  return { checker: new CustodyChecker(custody, registry), queries: () => queries };
}

const claim = {
  action: 'ship' as const,
  consignmentKey: KEY,
  eventHash: EVENT,
  fromParty: 'urn:epc:id:pgln:4012345.00000',
  toParty: 'urn:epc:id:pgln:4260001.00000',
};

describe('CustodyChecker', () => {
  it('confirms a handoff signed by the participants owning the parties’ GLNs, and remembers it', async () => {
    const { checker, queries } = fakes([{ from: MAKER, to: PHARMACY, eventHash: `0x${EVENT}` }]);
    const check = await checker.check(claim);
    expect(check).toMatchObject({
      status: 'confirmed',
      from: MAKER,
      to: PHARMACY,
      sequence: 1,
      blockNumber: 7,
    });
    await checker.check(claim);
    expect(queries()).toBe(1);
  });

  it('says mismatch, naming the GLN, when the claim names another sender than the chain holds', async () => {
    const { checker } = fakes([{ from: MAKER, to: PHARMACY, eventHash: `0x${EVENT}` }]);
    await checker.check(claim);
    const forged = await checker.check({ ...claim, fromParty: 'urn:epc:id:pgln:4260001.00000' });
    expect(forged.status).toBe('mismatch');
    expect(forged.reasons.join()).toMatch(/GLN 4260001000003 .* belongs to participant 0x0+bb/);
  });

  it('reads parties stored as bare GLNs too', async () => {
    const { checker } = fakes([{ from: MAKER, to: PHARMACY, eventHash: `0x${EVENT}` }]);
    const bare = await checker.check({ ...claim, fromParty: '4260001000003', toParty: '4260001000003' });
    expect(bare.status).toBe('mismatch');
    expect(
      (await checker.check({ ...claim, fromParty: '4012345000009', toParty: '4260001000003' })).status,
    ).toBe('confirmed');
  });

  it('says not_on_chain for another event of the consignment, or another consignment', async () => {
    const { checker } = fakes([{ from: MAKER, to: PHARMACY, eventHash: `0x${'22'.repeat(32)}` }]);
    expect((await checker.check(claim)).status).toBe('not_on_chain');
    expect(
      (await checker.check({ ...claim, consignmentKey: 'urn:epc:id:sscc:4012345.0000000002' })).status,
    ).toBe('not_on_chain');
  });
});
