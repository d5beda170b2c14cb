import { AnchorReader } from './chain-reader';

type Record = { blockNumber: bigint; timestamp: bigint; sequence: bigint; eventCount: number };

function fakeContract(answer: (root: string) => Record) {
  const release: (() => void)[] = [];
  const calls: string[] = [];
  return {
    calls,
    releaseAll: () => release.splice(0).forEach((r) => r()),
    contract: {
      anchorOf: (root: string) => {
        calls.push(root);
        return new Promise<Record>((resolve) => release.push(() => resolve(answer(root))));
      },
    },
  };
}

const ROOT = `0x${'ab'.repeat(32)}`;
const anchored = (): Record => ({
  blockNumber: 7n,
  timestamp: 1_700_000_000n,
  sequence: 3n,
  eventCount: 1000,
});

describe('AnchorReader', () => {
  it('shares one chain call among concurrent lookups of the same root, then answers from its cache', async () => {
    const fake = fakeContract(anchored);
    const reader = new AnchorReader(fake.contract as never);
    const lookups = Array.from({ length: 20 }, () => reader.anchorOf(ROOT));
    fake.releaseAll();
    const results = await Promise.all(lookups);
    expect(fake.calls).toHaveLength(1);
    expect(results.every((r) => r?.blockNumber === 7 && r.sequence === 3 && r.eventCount === 1000)).toBe(
      true,
    );
    expect((await reader.anchorOf(ROOT.toUpperCase().replace('0X', '0x')))?.root).toBe(ROOT);
    expect(fake.calls).toHaveLength(1);
  });

  it('does not cache a root the chain does not have (it may be on its way), and asks again', async () => {
    let onChain = false;
    const fake = fakeContract(() => (onChain ? anchored() : { ...anchored(), blockNumber: 0n }));
    const reader = new AnchorReader(fake.contract as never);
    const first = reader.anchorOf(ROOT);
    fake.releaseAll();
    expect(await first).toBeUndefined();
    onChain = true;
    const second = reader.anchorOf(ROOT);
    fake.releaseAll();
    expect((await second)?.blockNumber).toBe(7);
    expect(fake.calls).toHaveLength(2);
  });

  it('lets a failed lookup fail every waiter and the next lookup try again', async () => {
    let fail = true;
    const reader = new AnchorReader({
      anchorOf: () => (fail ? Promise.reject(new Error('node down')) : Promise.resolve(anchored())),
    } as never);
    await expect(Promise.all([reader.anchorOf(ROOT), reader.anchorOf(ROOT)])).rejects.toThrow('node down');
    fail = false;
    expect((await reader.anchorOf(ROOT))?.blockNumber).toBe(7);
  });
});
