import { Trie } from '@ethereumjs/trie';
import fc from 'fast-check';
import { TrieBatchWriter, type TrieWrite } from './state-trie-batch';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** The library's own trie over the same keys, one put at a time: the reference the batch writer must equal. */
async function libraryRoot(rounds: TrieWrite[][]): Promise<string> {
  const trie = await Trie.create();
  for (const round of rounds) await trie.batch(round.map((w) => ({ type: 'put' as const, ...w })));
  return hex(trie.root());
}

async function batchedRoots(rounds: TrieWrite[][]) {
  const nodes = new Map<string, Uint8Array>();
  const writer = new TrieBatchWriter(
    (key) => Promise.resolve(nodes.get(key)),
    (key, node) => nodes.set(key, node),
  );
  const empty = (await Trie.create()).EMPTY_TRIE_ROOT;
  let root = empty;
  for (const round of rounds) root = await writer.write(root, empty, round);
  return { root: hex(root), nodes };
}

/** Short keys and values make nodes under 32 bytes, which parents hold inline: that path is exercised too. */
const write = (keyBytes: number, valueBytes: number) =>
  fc.record({
    key: fc.uint8Array({ minLength: keyBytes, maxLength: keyBytes }),
    value: fc.uint8Array({ minLength: 1, maxLength: valueBytes }),
  });

describe('TrieBatchWriter', () => {
  it('property: the same root as @ethereumjs/trie for any rounds of puts (long and short keys and values)', async () => {
    for (const [keyBytes, valueBytes] of [
      [32, 200],
      [2, 4],
      [1, 40],
    ]) {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(write(keyBytes, valueBytes), { maxLength: 40 }), { maxLength: 6 }),
          async (rounds) => {
            expect((await batchedRoots(rounds)).root).toBe(await libraryRoot(rounds));
          },
        ),
        { numRuns: 60 },
      );
    }
  });

  it('writes only nodes the new root reaches (no intermediate versions), and the library proves every key', async () => {
    const keys = Array.from({ length: 300 }, (_, i) => ({
      key: Buffer.from(hex(Buffer.from(`k${i}`)).padStart(64, '0'), 'hex'),
      value: Buffer.from(`value of key ${i}, long enough to be hashed`),
    }));
    const first = await batchedRoots([keys.slice(0, 150)]);
    const both = await batchedRoots([keys.slice(0, 150), keys.slice(100)]);
    const reference = await Trie.create();
    for (const w of keys) await reference.put(w.key, w.value);
    expect(both.root).toBe(hex(reference.root()));
    const reachable = new Set<string>();
    for (const w of keys) {
      const proof = await reference.createProof(w.key);
      for (const node of proof) reachable.add(hex(reference['hash'](node)));
      expect(hex((await reference.verifyProof(reference.root(), w.key, proof))!)).toBe(hex(w.value));
    }
    const secondRound = [...both.nodes.keys()].filter((key) => !first.nodes.has(key));
    expect(secondRound.length).toBeGreaterThan(0);
    for (const key of secondRound) expect(reachable.has(key)).toBe(true);
    for (const key of reachable) expect(both.nodes.has(key)).toBe(true);
  });

  it('names a missing node instead of writing a wrong root', async () => {
    const writer = new TrieBatchWriter(
      () => Promise.resolve(undefined),
      () => undefined,
    );
    const empty = (await Trie.create()).EMPTY_TRIE_ROOT;
    await expect(
      writer.write(Buffer.alloc(32, 7), empty, [{ key: Buffer.alloc(32), value: Buffer.from('x') }]),
    ).rejects.toThrow(/missing trie node 0707/);
  });

  it('refuses keys of different lengths', async () => {
    const writer = new TrieBatchWriter(
      () => Promise.resolve(undefined),
      () => undefined,
    );
    const empty = (await Trie.create()).EMPTY_TRIE_ROOT;
    const writes = [
      { key: Buffer.alloc(2), value: Buffer.from('a') },
      { key: Buffer.alloc(3), value: Buffer.from('b') },
    ];
    await expect(writer.write(empty, empty, writes)).rejects.toThrow(/same length/);
  });
});
