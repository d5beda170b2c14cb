import { historyHeadOf, StateMap, StateNodeStore } from '@pedigree/chain';
import type { PedigreeConfig } from '@pedigree/config';
import { stateLeafOf } from '@pedigree/supply-chain';
import type { ChainReaderService } from '../chain/chain-reader.service';
import type { HopRecord, HistoryStep, PackRecord } from './provenance.repository';
import { packVerdict, type StateCheck, StateCheckService } from './state-check.service';
import type { StateNodeRepository } from './state-node.repository';

const EPC = 'urn:epc:id:sgtin:4012345.012345.1001';
const digest = (i: number) => Buffer.alloc(32, i);

function pack(count: number, overrides: Partial<PackRecord> = {}): PackRecord {
  return {
    epc: EPC,
    kind: 'sgtin',
    gtin: '04012345123456',
    serial: '1001',
    lot: 'L1',
    expiry: '2030-01-31',
    status: 'dispensed',
    custodian: 'urn:epc:id:sgln:4260001.00000.0',
    ownerOrgId: '00000000-0000-4000-8000-000000000003',
    parentEpc: null,
    shippedTo: null,
    historyCount: count,
    historyHead: historyHeadOf(Array.from({ length: count }, (_, i) => digest(i + 1))),
    flagged: 0,
    ...overrides,
  };
}

function steps(count: number, recordTime = new Date()): HistoryStep[] {
  return Array.from({ length: count }, (_, i) => ({
    seq: i + 1,
    eventHash: digest(i + 1),
    hop: { recordTime } as HopRecord,
  }));
}

/** The service against a map committed with `committed`, its root served as the chain's latest. */
async function service(committed: PackRecord | null) {
  const disk = new Map<string, Uint8Array>();
  const map = await StateMap.open(new StateNodeStore((k) => Promise.resolve(disk.get(k))));
  const other = pack(1, { epc: 'urn:epc:id:sgtin:4012345.012345.OTHER' });
  const leaves = [other, ...(committed ? [committed] : [])].map((p) => ({
    key: p.epc,
    leaf: stateLeafOf(p),
  }));
  const root = await map.apply(leaves);
  for (const [key, node] of map.store.takeWritten()) disk.set(key, node);
  const chain = {
    latestState: () => Promise.resolve({ status: 'found', state: { root, sequence: 1, blockNumber: 7 } }),
  } as unknown as ChainReaderService;
  const nodes = { node: (key: string) => Promise.resolve(disk.get(key)) } as unknown as StateNodeRepository;
  const config = { anchorDeadlineSeconds: 600 } as PedigreeConfig;
  return new StateCheckService(chain, nodes, config);
}

describe('StateCheckService', () => {
  it('verifies a pack whose rows and history are what the chain committed, with a proof', async () => {
    const check = await (await service(pack(3))).check(pack(3), steps(3));
    expect(check).toMatchObject({ status: 'verified', committedSteps: 3, committedAtBlock: 7 });
    expect(check.proof?.leaf).toMatchObject({ status: 'dispensed', count: 3 });
    expect(check.alerts?.committed).toBeNull();
  });

  it('answers tampered, naming the field, when a row says other than the chain', async () => {
    const check = await (await service(pack(3))).check(pack(3, { status: 'received' }), steps(3));
    expect(check.status).toBe('tampered');
    expect(check.reasons).toContain('the database says status "received"; the chain committed "dispensed"');
  });

  it('answers tampered when steps of the history were removed, even with the row made consistent', async () => {
    const check = await (await service(pack(3))).check(pack(2), steps(2));
    expect(check.status).toBe('tampered');
    expect(check.reasons.join(' ')).toMatch(/commits 3 events .* shows 2: events were removed/);
  });

  it('answers tampered when a step is replaced by another event', async () => {
    const edited = steps(3);
    edited[1] = { ...edited[1]!, eventHash: digest(99) };
    const check = await (await service(pack(3))).check(pack(3), edited);
    expect(check.status).toBe('tampered');
  });

  it('answers pending for newer steps within the deadline, unanchored past it', async () => {
    const svc = await service(pack(2));
    expect((await svc.check(pack(3), steps(3))).status).toBe('pending');
    const old = steps(3, new Date(Date.now() - 3_600_000));
    expect((await svc.check(pack(3), old)).status).toBe('unanchored');
  });

  it('answers absent for a pack the map does not hold', async () => {
    const check = await (await service(null)).check(pack(1), steps(1));
    expect(check.status).toBe('absent');
    expect(check.proof?.leaf).toBeNull();
  });
});

describe('packVerdict', () => {
  const state = (status: StateCheck['status']) => ({ status }) as StateCheck;
  it.each([
    [['verified'], 'verified', 'verified'],
    [['verified'], 'tampered', 'tampered'],
    [['tampered'], 'verified', 'tampered'],
    [['verified'], 'absent', 'unknown'],
    [[], 'absent', 'unknown'],
    [[], 'verified', 'tampered'],
    [['pending'], 'absent', 'pending'],
    [['unanchored'], 'absent', 'unanchored'],
    [['verified'], 'pending', 'pending'],
    [['verified'], 'unanchored', 'unanchored'],
    [['verified'], 'unverifiable', 'unverifiable'],
  ] as const)('hops %j with state %s → %s', (hops, status, verdict) => {
    expect(packVerdict([...hops], state(status))).toBe(verdict);
  });
});
