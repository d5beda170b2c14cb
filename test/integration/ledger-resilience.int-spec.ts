import { connectContracts, createChainProvider, readChainDeployment } from '@pedigree/chain';
import { loadConfig } from '@pedigree/config';
import {
  commissioningEvent,
  epcisDocument,
  glnOf,
  receivingEvent,
  sgtinUrn,
  shippingEvent,
  ssccUrn,
  packingEvent,
  partyOf,
} from '@pedigree/epcis';
import {
  apiClient,
  createTestContext,
  database,
  deployTestContracts,
  type PrivateChain,
  produceDocuments,
  publisherHeader,
  type RunningService,
  startHardhatNode,
  startService,
  TEST_ADMIN_TOKEN,
  type TestContext,
  waitFor,
} from '@pedigree/testing';

const party = partyOf;
const maker = party('4012345');
const wholesaler = party('4098765');

interface AnchorStats {
  events: number;
  anchored: number;
  batches: number;
  confirmed: number;
  duplicateLeaves: number;
  roots: string[];
}

async function anchorStats(context: TestContext): Promise<AnchorStats> {
  const db = await database(context.config);
  try {
    const { rows } = await db.query<Omit<AnchorStats, 'roots'>>(
      `SELECT (SELECT count(*)::int FROM epcis_events) AS events,
              (SELECT count(*)::int FROM event_anchors ea JOIN anchor_batches b ON b.id = ea.batch_id WHERE b.status = 'confirmed') AS anchored,
              (SELECT count(*)::int FROM anchor_batches) AS batches,
              (SELECT count(*)::int FROM anchor_batches WHERE status = 'confirmed') AS confirmed,
              (SELECT count(*)::int - count(DISTINCT event_hash)::int FROM event_anchors) AS "duplicateLeaves"`,
    );
    const roots = await db.query<{ root: string }>(
      `SELECT '0x' || encode(merkle_root, 'hex') AS root FROM anchor_batches ORDER BY id`,
    );
    return { ...rows[0]!, roots: roots.rows.map((r) => r.root) };
  } finally {
    await db.end();
  }
}

/** On-chain RootAnchored events per root of this deployment: exactly one each means nothing was anchored twice. */
async function onChainAnchors(context: TestContext): Promise<Map<string, number>> {
  const config = loadConfig('tool', context.env);
  const deployment = readChainDeployment(config.chainDeploymentFile);
  const provider = createChainProvider(config.chainRpcUrl, deployment.chainId);
  try {
    const { anchor } = connectContracts(deployment, provider);
    const logs = await anchor.queryFilter(anchor.filters.RootAnchored(), deployment.deployedAtBlock);
    const counts = new Map<string, number>();
    for (const log of logs)
      counts.set(log.args.root.toLowerCase(), (counts.get(log.args.root.toLowerCase()) ?? 0) + 1);
    return counts;
  } finally {
    provider.destroy();
  }
}

function commissioningDocuments(count: number, perDocument: number, tag: string) {
  const documents = [];
  for (let d = 0; d < count / perDocument; d++) {
    const events = Array.from({ length: perDocument }, (_, i) =>
      commissioningEvent({
        epcs: [sgtinUrn('4012345', '12345', `${tag}${d}x${i}`)],
        at: maker,
        time: new Date(Date.now() - 3600_000 + d * 1000 + i),
        lot: `L${d}`,
        expiry: '2030-01-31',
      }),
    );
    documents.push(epcisDocument(events));
  }
  return documents;
}

/**
 * The ledger survives its own crash (kill -9 in the middle of anchoring) and a restart of the chain node (Hardhat
 * keeps no state: the node comes back empty and the contracts are redeployed) without losing or duplicating an
 * anchor. Each test runs its own Hardhat node so that killing it disturbs no other test file.
 */
describe('ledger resilience', () => {
  let chain: PrivateChain;
  let context: TestContext;
  const services: Partial<Record<'api' | 'ingest' | 'ledger', RunningService>> = {};
  const orgs: Record<string, string> = {};

  beforeAll(async () => {
    chain = await startHardhatNode();
    context = await createTestContext('ledger resilience', {
      env: { CHAIN_RPC_URL: chain.rpcUrl, LEDGER_BATCH_MAX_EVENTS: '50', LEDGER_BATCH_MAX_WAIT_MS: '200' },
    });
    services.api = await startService('api', context.env);
    services.ingest = await startService('ingest', context.env);
    const admin = apiClient(services.api.port, TEST_ADMIN_TOKEN);
    for (const [name, role, prefix] of [
      ['Acme Pharma', 'manufacturer', '4012345'],
      ['Central Wholesale', 'distributor', '4098765'],
    ] as const) {
      orgs[role] = (
        await admin.post<{ id: string }>('/v1/admin/organisations', {
          name,
          role,
          companyPrefixes: [prefix],
          glns: [glnOf(prefix, 0), glnOf(prefix, 1)],
        })
      ).body.id;
    }
  });

  afterAll(async () => {
    await Promise.all(Object.values(services).map((s) => s.stop()));
    await context?.cleanup();
    await chain?.kill();
  });

  it('anchors every event exactly once after a kill -9 in the middle of anchoring', async () => {
    const documents = commissioningDocuments(1500, 50, 'K');
    await produceDocuments(
      context.config,
      documents.map((value) => ({ key: 'lot-K', headers: publisherHeader(orgs.manufacturer!), value })),
    );
    await waitFor(
      '1,500 events stored',
      async () => (await anchorStats(context)).events >= 1500,
      120_000,
      500,
    );

    services.ledger = await startService('ledger', context.env);
    await waitFor(
      'anchoring to be under way',
      async () => {
        const stats = await anchorStats(context);
        return stats.batches >= 1 && stats.confirmed < stats.batches;
      },
      120_000,
      20,
    );
    await services.ledger.kill();
    const atCrash = await anchorStats(context);
    expect(atCrash.confirmed).toBeLessThan(30);

    services.ledger = await startService('ledger', context.env);
    const done = await waitFor(
      'every event anchored after the restart',
      async () => {
        const stats = await anchorStats(context);
        return stats.anchored === 1500 && stats.confirmed === stats.batches ? stats : undefined;
      },
      180_000,
      500,
    );
    expect(done.duplicateLeaves).toBe(0);
    const onChain = await onChainAnchors(context);
    expect(onChain.size).toBe(done.batches);
    for (const root of done.roots) expect([root, onChain.get(root)]).toEqual([root, 1]);
  });

  it('replays participants, anchors and custody onto a chain that restarted empty, each exactly once', async () => {
    const pallet = ssccUrn('4012345', 777);
    const items = Array.from({ length: 5 }, (_, i) => sgtinUrn('4012345', '12345', `R${i}`));
    const t0 = Date.now() - 1800_000;
    await produceDocuments(context.config, [
      {
        key: pallet,
        headers: publisherHeader(orgs.manufacturer!),
        value: epcisDocument([
          commissioningEvent({ epcs: items, at: maker, time: new Date(t0), lot: 'R1', expiry: '2030-01-31' }),
          packingEvent({ parent: pallet, children: items, at: maker, time: new Date(t0 + 1000) }),
          shippingEvent({ epcs: [pallet], from: maker, to: wholesaler, time: new Date(t0 + 2000) }),
        ]),
      },
      {
        key: pallet,
        headers: publisherHeader(orgs.distributor!),
        value: epcisDocument([
          receivingEvent({ epcs: [pallet], from: maker, at: wholesaler, time: new Date(t0 + 3000) }),
        ]),
      },
    ]);
    const custodyDone = async () => {
      const db = await database(context.config);
      try {
        const { rows } = await db.query<{ status: string }>(
          `SELECT status FROM custody_transfers WHERE consignment_key = $1`,
          [pallet],
        );
        return rows[0]?.status === 'received_on_chain';
      } finally {
        await db.end();
      }
    };
    const before = await waitFor(
      'the custody handoff and every anchor on the first chain',
      async () => {
        const stats = await anchorStats(context);
        return stats.anchored === stats.events && (await custodyDone()) ? stats : undefined;
      },
      120_000,
      500,
    );

    // The node dies and comes back empty on the same port; the contracts are deployed again.
    await chain.kill();
    chain = await startHardhatNode(chain.port);
    await deployTestContracts(loadConfig('tool', context.env));

    const after = await waitFor(
      'every anchor and handoff replayed onto the new chain',
      async () => {
        const stats = await anchorStats(context);
        if (stats.confirmed !== stats.batches || stats.anchored !== stats.events) return undefined;
        // The records only count once the new chain holds them: the database alone says nothing about the chain.
        if ((await onChainAnchors(context)).size !== stats.batches) return undefined;
        return (await custodyDone()) ? stats : undefined;
      },
      240_000,
      1000,
    );
    expect(after.batches).toBe(before.batches);
    expect(after.duplicateLeaves).toBe(0);
    const onChain = await onChainAnchors(context);
    expect(onChain.size).toBe(after.batches);
    for (const root of after.roots) expect([root, onChain.get(root)]).toEqual([root, 1]);

    const db = await database(context.config);
    try {
      const registered = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM organisations WHERE chain_status = 'registered'`,
      );
      expect(registered.rows[0]!.n).toBe(2);
    } finally {
      await db.end();
    }
  });
});
