import {
  apiClient,
  createTestContext,
  database,
  pedigreeJson,
  type RunningService,
  startService,
  TEST_ADMIN_TOKEN,
  type TestContext,
  waitFor,
} from '@pedigree/testing';
import type { Client } from 'pg';

interface ModelSummary {
  name: string;
  version: string;
  card: { weightsHash: string; trainingSetHash: string; trainingItems: number; codeVersion: string } | null;
  cardDigest: string | null;
}

interface ModelAnswer extends ModelSummary {
  anchor: { merkleRoot: string; status: string } | null;
}

/**
 * Models on chain: the intelligence service trains its anomaly models on a fresh system, each model's card (weights
 * hash, training-set hash, code version, hyper-parameters, metrics) is anchored by the ledger, and
 * `pedigree audit model` checks the stored weights and card against EventAnchor, rebuilding the training set from
 * the seed and scale the card names. Then an operator swaps the weights, and edits the card: both are caught.
 */
describe('model cards anchored on chain', () => {
  let context: TestContext;
  const services: RunningService[] = [];
  let db: Client;
  let shipmentModel: ModelSummary;

  beforeAll(async () => {
    context = await createTestContext('model cards');
    for (const name of ['api', 'ledger', 'intelligence'] as const)
      services.push(await startService(name, context.env, 180_000));
    db = await database(context.config);
    const admin = apiClient(services[0]!.port, TEST_ADMIN_TOKEN);
    shipmentModel = await waitFor(
      'the anomaly models’ cards anchored',
      async () => {
        const models = (await admin.get<ModelSummary[]>('/v1/models')).body;
        const model = models.find((m) => m.name === 'anomaly-shipment');
        if (!model) return undefined;
        const answer = (await admin.get<ModelAnswer>(`/v1/models/${model.name}/${model.version}`)).body;
        return answer.anchor?.status === 'confirmed' ? model : undefined;
      },
      150_000,
    );
  });

  afterAll(async () => {
    await db?.end();
    await Promise.all(services.map((s) => s.stop()));
    await context?.cleanup();
  });

  function auditModel(...extra: string[]) {
    const args = [
      'audit',
      'model',
      shipmentModel.name,
      shipmentModel.version,
      '--rpc',
      context.config.chainRpcUrl,
    ];
    return pedigreeJson<{ outcome: string; checks: string[] }>(
      services[0]!.port,
      TEST_ADMIN_TOKEN,
      [...args, ...extra],
      context.env,
    );
  }

  it('lists each model with a card that names its weights, its training set and the code', () => {
    expect(shipmentModel.card).toMatchObject({
      weightsHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      trainingSetHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      codeVersion: expect.stringMatching(/^pedigree@/),
    });
    expect(shipmentModel.card!.trainingItems).toBeGreaterThan(0);
  });

  it('proves a model against the chain, rebuilding its training set from the card', () => {
    const audit = auditModel('--rebuild-training-set');
    expect([audit.code, audit.report.outcome]).toEqual([0, 'proven']);
    expect(audit.report.checks.join('\n')).toMatch(/training set rebuilt .* items, hash/);
    expect(audit.report.checks.join('\n')).toMatch(
      /EventAnchor.verifyEvent: the card's digest is in root 0x/,
    );
  });

  it('catches weights swapped in the database', async () => {
    const { rows } = await db.query<{ weight_data: Buffer }>(
      `SELECT weight_data FROM ml_models WHERE name = $1 AND version = $2`,
      [shipmentModel.name, shipmentModel.version],
    );
    const original = rows[0]!.weight_data;
    const swapped = Buffer.from(original);
    swapped[0] = swapped[0]! ^ 0xff;
    await db.query(`UPDATE ml_models SET weight_data = $3 WHERE name = $1 AND version = $2`, [
      shipmentModel.name,
      shipmentModel.version,
      swapped,
    ]);
    try {
      const audit = auditModel();
      expect([audit.code, audit.report.outcome]).toEqual([1, 'tampered']);
      expect(audit.report.checks.join('\n')).toMatch(
        /the stored weights hash to [0-9a-f]{64}, the card says/,
      );
    } finally {
      await db.query(`UPDATE ml_models SET weight_data = $3 WHERE name = $1 AND version = $2`, [
        shipmentModel.name,
        shipmentModel.version,
        original,
      ]);
    }
  });

  it('catches a card edited to claim better metrics, even with the weights hash left intact', async () => {
    await db.query(
      `UPDATE ml_models SET metadata = jsonb_set(metadata, '{card,metrics,q99Error}', '0.001')
        WHERE name = $1 AND version = $2`,
      [shipmentModel.name, shipmentModel.version],
    );
    const audit = auditModel();
    expect([audit.code, audit.report.outcome]).toEqual([1, 'tampered']);
    expect(audit.report.checks.join('\n')).toMatch(/EventAnchor.verifyEvent refuses the proof/);
  });
});
