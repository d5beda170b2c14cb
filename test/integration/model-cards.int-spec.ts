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
import { glnOf } from '@pedigree/epcis';
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

  describe('the demand forecaster', () => {
    let forecaster: ModelSummary;

    /** Twenty weeks of a pharmacy's dispensing (as ingest stores it), then a retrain request as the API makes it. */
    beforeAll(async () => {
      const admin = apiClient(services[0]!.port, TEST_ADMIN_TOKEN);
      const pharmacy = await admin.post<{ id: string }>('/v1/admin/organisations', {
        name: 'Forecast Apotheke',
        role: 'dispenser',
        companyPrefixes: ['4260009'],
        glns: [glnOf('4260009', 0)],
        region: 'DE-N',
      });
      expect(pharmacy.status).toBe(201);
      for (let week = 0; week < 20; week++)
        for (let i = 0; i < 3 + (week % 5); i++) {
          const epc = `urn:epc:id:sgtin:4012345.012345.F${week}N${i}`;
          const hash = Buffer.alloc(32, 0xfc);
          hash.writeUInt32BE(week * 100 + i + 1);
          const time = new Date(Date.UTC(2026, 0, 5 + week * 7, 10));
          await db.query(
            `INSERT INTO packs (epc, kind, gtin, serial, status, last_event_hash, last_event_time)
             VALUES ($1, 'sgtin', '04012345123456', $1, 'dispensed', $2, $3)`,
            [epc, hash, time],
          );
          await db.query(
            `INSERT INTO epcis_events (event_hash, event_type, action, biz_step, event_time, event_time_zone_offset,
                                       epcs, payload, publisher_org_id, source)
             VALUES ($1, 'ObjectEvent', 'OBSERVE', 'dispensing', $2, '+00:00', $3, '{}', $4, 'test')`,
            [hash, time, [epc], pharmacy.body.id],
          );
        }
      expect((await admin.post('/v1/forecasts/retrain')).status).toBeLessThan(300);
      forecaster = await waitFor(
        'the forecaster’s card anchored',
        async () => {
          const models = (await admin.get<ModelSummary[]>('/v1/models')).body;
          const model = models.find((m) => m.name === 'demand-forecaster');
          if (!model) return undefined;
          const answer = (await admin.get<ModelAnswer>(`/v1/models/${model.name}/${model.version}`)).body;
          return answer.anchor?.status === 'confirmed' ? model : undefined;
        },
        120_000,
      );
    });

    const audit = () =>
      pedigreeJson<{ outcome: string; checks: string[] }>(
        services[0]!.port,
        TEST_ADMIN_TOKEN,
        ['audit', 'model', forecaster.name, forecaster.version, '--rpc', context.config.chainRpcUrl],
        context.env,
      );

    it('anchors a card per training run, proven with the training series stored beside the model', () => {
      expect(forecaster.card).toMatchObject({
        trainingItems: 1,
        codeVersion: expect.stringMatching(/^pedigree@/),
      });
      const report = audit();
      expect([report.code, report.report.outcome]).toEqual([0, 'proven']);
      expect(report.report.checks.join('\n')).toMatch(/training set stored with the model: 1 items/);
    });

    it('catches a training series edited after the run', async () => {
      await db.query(
        `UPDATE ml_models SET metadata = jsonb_set(metadata, '{trainingSeries,0,values,0}', '99')
          WHERE name = $1 AND version = $2`,
        [forecaster.name, forecaster.version],
      );
      const report = audit();
      expect([report.code, report.report.outcome]).toEqual([1, 'tampered']);
      expect(report.report.checks.join('\n')).toMatch(/training set/);
    });
  });
});
