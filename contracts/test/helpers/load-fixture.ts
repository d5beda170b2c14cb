import { network } from 'hardhat';

/** A deployment fixture: a named async function, run once and then restored from an EVM snapshot. */
export type Fixture<T> = () => Promise<T>;

interface Snapshot {
  fixture: Fixture<unknown>;
  data: unknown;
  id: string;
}

let snapshots: Snapshot[] = [];

async function takeSnapshot(): Promise<string> {
  return (await network.provider.request({ method: 'evm_snapshot' })) as string;
}

/**
 * Runs `fixture` the first time and snapshots the chain; later calls revert to that snapshot and return the
 * same data. Same semantics as `loadFixture` of @nomicfoundation/hardhat-network-helpers (not installed here).
 */
export async function loadFixture<T>(fixture: Fixture<T>): Promise<T> {
  if (fixture.name === '') throw new Error('loadFixture needs a named function, not an anonymous one');
  const index = snapshots.findIndex((snapshot) => snapshot.fixture === fixture);
  if (index === -1) {
    const data = await fixture();
    snapshots.push({ fixture, data, id: await takeSnapshot() });
    return data;
  }
  const snapshot = snapshots[index];
  const reverted = await network.provider.request({ method: 'evm_revert', params: [snapshot.id] });
  if (reverted !== true) throw new Error(`could not revert to the snapshot of ${fixture.name}`);
  // Reverting drops every later snapshot, and the snapshot itself: take it again.
  snapshots = snapshots.slice(0, index + 1);
  snapshot.id = await takeSnapshot();
  return snapshot.data as T;
}
