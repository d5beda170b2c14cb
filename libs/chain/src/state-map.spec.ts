import fc from 'fast-check';
import { keccak256Bytes } from './keccak';
import {
  encodeStateLeaf,
  historyHeadOf,
  nextHistoryHead,
  StateMap,
  StateNodeStore,
  StateNodeTamperedError,
  type StateLeaf,
  verifyStateProof,
} from './state-map';

const digest = (i: number): Buffer => Buffer.alloc(32, i % 256);

function leaf(epc: string, count: number, status = 'received'): StateLeaf {
  const head = historyHeadOf(Array.from({ length: count }, (_, i) => digest(i))).toString('hex');
  return {
    v: 1,
    epc,
    kind: 'sgtin',
    status,
    lot: 'L1',
    expiry: '2027-01-31',
    custodian: 'urn:epc:id:sgln:4012345.00000.0',
    owner: '00000000-0000-4000-8000-000000000001',
    parent: null,
    shippedTo: null,
    count,
    head,
    flagged: 0,
  };
}

const epcOf = (i: number) => `urn:epc:id:sgtin:4012345.012345.${i}`;

/** A map written through one store and persisted to `disk`, as the ledger does with PostgreSQL. */
async function persistedMap(leaves: StateLeaf[][]) {
  const disk = new Map<string, Uint8Array>();
  const map = await StateMap.open(new StateNodeStore((key) => Promise.resolve(disk.get(key))));
  const roots: string[] = [];
  for (const batch of leaves) {
    roots.push(await map.apply(batch.map((leaf) => ({ key: leaf.epc, leaf }))));
    for (const [key, node] of map.store.takeWritten()) disk.set(key, node);
  }
  return { disk, map, roots };
}

/** The same batches through a store bounded to `bound` nodes, persisting after each batch; loader calls counted. */
async function boundedMap(batches: StateLeaf[][], bound: number) {
  const disk = new Map<string, Uint8Array>();
  const asked = new Map<string, number>();
  const store = new StateNodeStore((key) => {
    asked.set(key, (asked.get(key) ?? 0) + 1);
    return Promise.resolve(disk.get(key));
  }, bound);
  const map = await StateMap.open(store);
  const roots: string[] = [];
  let largest = 0;
  for (const batch of batches) {
    roots.push(await map.apply(batch.map((leaf) => ({ key: leaf.epc, leaf }))));
    largest = Math.max(largest, store.size);
    for (const [key, node] of store.takeWritten()) disk.set(key, node);
  }
  return { roots, asked, largest, store };
}

describe('StateNodeStore with a bound', () => {
  /** Content-addressed nodes, as the store checks them: the key is the node's keccak. */
  const node = (text: string) => Buffer.from(text);
  const keyOf = (value: Uint8Array) => Buffer.from(keccak256Bytes(value)).toString('hex');

  function fakeDisk(values: string[]) {
    const disk = new Map(values.map((v) => [keyOf(node(v)), node(v)] as const));
    const loads = new Map<string, number>();
    const loader = (key: string) => {
      loads.set(key, (loads.get(key) ?? 0) + 1);
      return Promise.resolve(disk.get(key));
    };
    return { loader, loads, key: (v: string) => keyOf(node(v)) };
  }

  it('keeps a node used in every generation, drops one nobody used for two, and stays within the bound', async () => {
    const { loader, loads, key } = fakeDisk(['a', 'b', 'c', 'd', 'e']);
    const store = new StateNodeStore(loader, 4);
    for (const v of ['a', 'b', 'a', 'c', 'a', 'd', 'a', 'e', 'a', 'b']) {
      await store.get(key(v));
      expect(store.size).toBeLessThanOrEqual(4);
    }
    expect(loads.get(key('a'))).toBe(1);
    expect(loads.get(key('b'))).toBe(2);
  });

  it('serves a node written and not yet persisted even after the cache dropped it', async () => {
    const { loader, key } = fakeDisk(['a', 'b', 'c', 'd', 'e']);
    const store = new StateNodeStore(loader, 2);
    await store.put(keyOf(node('w')), node('w'));
    for (const v of ['a', 'b', 'c', 'd', 'e']) await store.get(key(v));
    expect(await store.get(keyOf(node('w')))).toEqual(node('w'));
    expect(store.takeWritten().has(keyOf(node('w')))).toBe(true);
  });
});

describe('state map', () => {
  it('computes the same roots with a bounded node cache, within the bound, keeping the nodes every batch touches', async () => {
    const batches = Array.from({ length: 12 }, (_, b) =>
      Array.from({ length: 60 }, (_, i) => leaf(epcOf((b * 37 + i * 11) % 400), b + 1)),
    );
    const { roots: expected } = await persistedMap(batches);
    const { roots, asked, largest } = await boundedMap(batches, 120);
    expect(roots).toEqual(expected);
    expect(largest).toBeLessThanOrEqual(120);
    // Nodes were dropped and read again from the store, but the root of each batch, the next batch's first step,
    // was never one of them (used by every batch, it stays in the recent generation).
    expect(asked.size).toBeGreaterThan(0);
    for (const root of expected.slice(0, -1)) expect(asked.get(root.replace(/^0x/, ''))).toBeUndefined();
  });

  it('reads a cold batch a trie level at a time when the store can read many nodes at once, with the same roots', async () => {
    const batches = Array.from({ length: 6 }, (_, b) =>
      Array.from({ length: 200 }, (_, i) => leaf(epcOf((b * 53 + i * 7) % 1000), b + 1)),
    );
    const { disk, roots: expected } = await persistedMap(batches);
    const batch = Array.from({ length: 200 }, (_, i) => leaf(epcOf((i * 13) % 1000), 9));
    const next = await (async () => {
      const { map } = await persistedMap(batches);
      return map.apply(batch.map((l) => ({ key: l.epc, leaf: l })));
    })();

    // A fresh ledger (nothing cached) writes the next batch over the persisted trie.
    const reads: number[] = [];
    let single = 0;
    const store = new StateNodeStore(
      () => Promise.resolve(void single++),
      0,
      (keys) => {
        reads.push(keys.length);
        return Promise.resolve(
          new Map(keys.flatMap((k) => (disk.has(k) ? [[k, disk.get(k)!] as const] : []))),
        );
      },
    );
    const map = await StateMap.open(store, expected.at(-1));
    expect(await map.apply(batch.map((l) => ({ key: l.epc, leaf: l })))).toBe(next);
    expect(single).toBe(0);
    // ~1,000 keys make a trie 3-4 levels deep: a handful of reads, the widest holding most of the nodes.
    expect(reads.length).toBeLessThanOrEqual(6);
    expect(Math.max(...reads)).toBeGreaterThan(100);

    // An edited node is still refused, and only the read that needed it fails.
    const edited = new Map(disk);
    const rootKey = expected.at(-1)!.slice(2);
    const tampered = Buffer.from(edited.get(rootKey)!);
    tampered[tampered.length - 1] ^= 1;
    edited.set(rootKey, tampered);
    const reader = new StateNodeStore(undefined, 0, (keys) =>
      Promise.resolve(new Map(keys.map((k) => [k, edited.get(k)!] as const))),
    );
    await expect(
      (await StateMap.open(reader, expected.at(-1))).prove(epcOf(1), expected.at(-1)!),
    ).rejects.toThrow(StateNodeTamperedError);
  });

  it('links a history: each head names the previous one', () => {
    const h1 = nextHistoryHead(null, digest(1));
    expect(nextHistoryHead(h1, digest(2))).toEqual(historyHeadOf([digest(1), digest(2)]));
    expect(historyHeadOf([digest(2), digest(1)])).not.toEqual(historyHeadOf([digest(1), digest(2)]));
  });

  it('proves leaves and absences against the root from persisted nodes alone', async () => {
    const batches = [Array.from({ length: 300 }, (_, i) => leaf(epcOf(i), 1))];
    batches.push(Array.from({ length: 100 }, (_, i) => leaf(epcOf(i * 3), 2, 'dispensed')));
    const { disk, roots } = await persistedMap(batches);
    // A fresh reader with nothing in memory (the API) proves from what was persisted.
    const reader = await StateMap.open(new StateNodeStore((key) => Promise.resolve(disk.get(key))));
    const latest = roots[1];
    const proof = await reader.prove(epcOf(3), latest);
    expect(proof.leaf?.status).toBe('dispensed');
    await expect(verifyStateProof(latest, proof)).resolves.toEqual({ valid: true, leaf: proof.leaf });
    // The older root still proves the older state, so only the chain's latest root may be trusted.
    const old = await reader.prove(epcOf(3), roots[0]);
    expect(old.leaf?.status).toBe('received');
    const absent = await reader.prove(epcOf(9999), latest);
    expect(absent.leaf).toBeNull();
    await expect(verifyStateProof(latest, absent)).resolves.toEqual({ valid: true, leaf: null });
  });

  it('persists only what the new root reaches: replaced nodes of a batch are not written', async () => {
    const { disk, map } = await persistedMap([Array.from({ length: 500 }, (_, i) => leaf(epcOf(i), 1))]);
    const reachable = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const proof = await map.prove(epcOf(i), map.root);
      for (const node of proof.nodes)
        if (node.length >= 66)
          reachable.add(Buffer.from(keccak256Bytes(Buffer.from(node.slice(2), 'hex'))).toString('hex'));
    }
    expect(new Set(disk.keys())).toEqual(reachable);
  });

  it('refuses a node store whose nodes were edited', async () => {
    const { disk, roots } = await persistedMap([Array.from({ length: 50 }, (_, i) => leaf(epcOf(i), 1))]);
    const key = roots[0].slice(2); // the root node: on every path
    const node = disk.get(key)!;
    const edited = Buffer.from(node);
    edited[edited.length - 1] ^= 1;
    disk.set(key, edited);
    const reader = await StateMap.open(new StateNodeStore((k) => Promise.resolve(disk.get(k))));
    await expect(reader.prove(epcOf(1), roots[0])).rejects.toThrow(StateNodeTamperedError);
  });

  it('property: random histories prove, and any single-field change of a leaf breaks the proof', async () => {
    const fields: (keyof StateLeaf)[] = [
      'status',
      'lot',
      'expiry',
      'custodian',
      'owner',
      'parent',
      'count',
      'head',
      'flagged',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(fc.nat(40), fc.constantFrom('commissioned', 'in_transit', 'received', 'dispensed')),
          {
            minLength: 1,
            maxLength: 60,
          },
        ),
        fc.constantFrom(...fields),
        async (steps, field) => {
          const counts = new Map<number, number>();
          const batches = steps.map(([i, status]) => {
            counts.set(i, (counts.get(i) ?? 0) + 1);
            return [leaf(epcOf(i), counts.get(i)!, status)];
          });
          const { map, roots } = await persistedMap(batches);
          const root = roots[roots.length - 1];
          const target = epcOf(steps[0][0]);
          const proof = await map.prove(target, root);
          expect(proof.leaf?.count).toBe(counts.get(steps[0][0]));
          expect((await verifyStateProof(root, proof)).valid).toBe(true);
          const changed = { ...proof.leaf! } as Record<string, unknown>;
          changed[field] =
            typeof changed[field] === 'number'
              ? (changed[field] as number) + 1
              : `${String(changed[field])}x`;
          const forged = { ...proof, leaf: changed as unknown as StateLeaf };
          expect((await verifyStateProof(root, forged)).valid).toBe(false);
          // Nor does a proof of the right leaf hold against any other root.
          if (roots.length > 1 && roots[0] !== root) {
            const previous = await map.prove(target, roots[0]);
            if (encodeStateLeaf(previous.leaf!).compare(encodeStateLeaf(proof.leaf!)) !== 0)
              expect((await verifyStateProof(root, previous)).valid).toBe(false);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
