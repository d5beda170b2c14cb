import { alertsKey } from '@pedigree/chain';
import type { PedigreeConfig } from '@pedigree/config';
import type { EntityManager } from 'typeorm';
import type { LedgerChainService } from '../chain/ledger-chain.service';
import type { StateMapRepository } from './state-map.repository';
import { StateHistoryMismatchError, StateMapService } from './state-map.service';

const EPC = 'urn:epc:id:sgtin:4012345.012345.1001';

/** The service over an in-memory node table, with the chain's latest root and the batches' roots given. */
function setup(chainRoot = `0x${'0'.repeat(64)}`, batchRoots: string[] = []) {
  const disk = new Map<string, Uint8Array>();
  const repository = {
    node: (key: string) => Promise.resolve(disk.get(key)),
    nodes: (keys: string[]) =>
      Promise.resolve(new Map(keys.flatMap((k) => (disk.has(k) ? [[k, disk.get(k)!] as const] : [])))),
    saveNodes: (_: EntityManager, nodes: Map<string, Uint8Array>) => {
      for (const [key, node] of nodes) disk.set(key, node);
      return Promise.resolve();
    },
    latestRoot: () => Promise.resolve(batchRoots.at(-1) ?? null),
    hasRoot: (root: string) => Promise.resolve(batchRoots.includes(root)),
  } as unknown as StateMapRepository;
  const chain = {
    readOnly: () => ({ anchor: { latestState: () => Promise.resolve({ root: chainRoot }) } }),
  } as unknown as LedgerChainService;
  const config = { ledgerStateCacheNodes: 0 } as PedigreeConfig;
  return { service: new StateMapService(config, repository, chain), disk };
}

describe('StateMapService', () => {
  it('keeps each identifier’s open and resolved alerts from the transitions, in order', async () => {
    const { service } = setup();
    const manager = {} as EntityManager;
    await service.apply(
      manager,
      await service.alertEntries([
        { alertId: 'a1', status: 'open', epcs: [EPC] },
        { alertId: 'a2', status: 'open', epcs: [EPC] },
      ]),
    );
    const entries = await service.alertEntries([
      { alertId: 'a1', status: 'acknowledged', epcs: [EPC] },
      { alertId: 'a2', status: 'resolved', epcs: [EPC] },
    ]);
    expect(entries).toEqual([
      { key: alertsKey(EPC), leaf: { v: 1, epc: EPC, open: ['a1'], resolved: ['a2'] } },
    ]);
  });

  it('rolls the map back to the root before a batch that was not committed', async () => {
    const { service } = setup();
    const before = await service.currentRoot();
    await service.apply(
      {} as EntityManager,
      await service.alertEntries([{ alertId: 'a', status: 'open', epcs: [EPC] }]),
    );
    expect(await service.currentRoot()).not.toBe(before);
    service.rollback(before);
    expect(await service.currentRoot()).toBe(before);
    expect(await service.alertEntries([{ alertId: 'b', status: 'open', epcs: [EPC] }])).toEqual([
      { key: alertsKey(EPC), leaf: { v: 1, epc: EPC, open: ['b'], resolved: [] } },
    ]);
  });

  it('refuses to start when the chain’s latest root is not among the database’s batches', async () => {
    const { service } = setup(`0x${'ab'.repeat(32)}`, [`0x${'cd'.repeat(32)}`]);
    await expect(service.currentRoot()).rejects.toThrow(StateHistoryMismatchError);
  });
});
