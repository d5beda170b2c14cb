import {
  commissioningEvent,
  epcisDocument,
  glnOf,
  type Party,
  pglnUrn,
  sglnUrn,
  sgtinUrn,
} from '@pedigree/epcis';
import {
  apiClient,
  createTestContext,
  repoRoot,
  type RunningService,
  startService,
  TEST_ADMIN_TOKEN,
  type TestContext,
} from '@pedigree/testing';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const maker: Party = { companyPrefix: '4012345', pgln: pglnUrn('4012345', 0), site: sglnUrn('4012345', 1) };

/** The `pedigree` command as an integrator types it: real process, real API, exit codes and --json output. */
describe('pedigree CLI', () => {
  let context: TestContext;
  const services: RunningService[] = [];
  let key: string;
  let member: { signingKey: string; kafka: { username: string; password: string } };
  const dir = mkdtempSync(join(tmpdir(), 'pedigree-cli-'));

  const pedigree = (...args: (string | Record<string, string>)[]) => {
    const env = Object.assign({}, ...args.filter((a) => typeof a === 'object')) as Record<string, string>;
    const result = spawnSync(
      process.execPath,
      [
        join(repoRoot(), 'bin', 'pedigree.js'),
        '--api',
        `http://127.0.0.1:${services[0]!.port}`,
        ...args.filter((a): a is string => typeof a === 'string'),
      ],
      {
        encoding: 'utf8',
        env: { ...process.env, ...context.env, PEDIGREE_API_KEY: key, ...env },
        timeout: 120_000,
      },
    );
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  beforeAll(async () => {
    context = await createTestContext('cli', { deployContracts: false });
    services.push(await startService('api', context.env), await startService('ingest', context.env));
    const admin = apiClient(services[0]!.port, TEST_ADMIN_TOKEN);
    const org = await admin.post<{ id: string } & typeof member>('/v1/admin/organisations', {
      name: 'CLI Pharma',
      role: 'manufacturer',
      companyPrefixes: ['4012345'],
      glns: [glnOf('4012345', 0), glnOf('4012345', 1)],
    });
    key = (
      await admin.post<{ key: string }>(`/v1/admin/organisations/${org.body.id}/api-keys`, { label: 'cli' })
    ).body.key;
    member = org.body;
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await context?.cleanup();
  });

  it('prints help for every command', () => {
    for (const command of [
      [],
      ['publish'],
      ['verify'],
      ['audit'],
      ['simulate'],
      ['forecast', 'backtest'],
      ['bench'],
    ]) {
      const result = pedigree(...command, '--help');
      expect([command.join(' '), result.code]).toEqual([command.join(' '), 0]);
      expect(result.stdout).toMatch(/Usage: pedigree/);
    }
  });

  it('publishes a folder through the capture API and summarises accepted and rejected documents with reasons', () => {
    const docs = join(dir, 'docs');
    mkdirSync(docs);
    writeFileSync(
      join(docs, 'good.jsonld'),
      JSON.stringify(
        epcisDocument([
          commissioningEvent({
            epcs: [sgtinUrn('4012345', '12345', 'CLI1')],
            at: maker,
            time: new Date(Date.now() - 60_000),
            lot: 'C1',
            expiry: '2030-01-31',
          }),
        ]),
      ),
    );
    const bad = epcisDocument([
      commissioningEvent({
        epcs: [sgtinUrn('4012345', '12345', 'CLI2')],
        at: maker,
        time: new Date(Date.now() - 60_000),
        lot: 'C1',
        expiry: '2030-01-31',
      }),
    ]) as { epcisBody: { eventList: Record<string, unknown>[] } };
    bad.epcisBody.eventList[0]!.bizStep = 'teleporting';
    writeFileSync(join(docs, 'bad.jsonld'), JSON.stringify(bad));
    writeFileSync(join(docs, 'broken.json'), '{ not json');
    const result = pedigree('--json', 'publish', docs);
    const summary = JSON.parse(result.stdout) as {
      accepted: number;
      rejected: number;
      unreadable: number;
      results: { file: string; errors: string[] }[];
    };
    expect(summary).toMatchObject({ accepted: 1, rejected: 1, unreadable: 1 });
    expect(summary.results.find((r) => r.file.endsWith('bad.jsonld'))!.errors[0]).toMatch(
      /EPCIS_NON_STANDARD_VOCABULARY.*teleporting/,
    );
    expect(result.code).toBe(65);
  });

  it('publishes straight to Kafka as the member itself: its own account, each document signed with its key', async () => {
    const docs = join(dir, 'kafka');
    mkdirSync(docs);
    writeFileSync(
      join(docs, 'own.jsonld'),
      JSON.stringify(
        epcisDocument([
          commissioningEvent({
            epcs: [sgtinUrn('4012345', '12345', 'CLIK1')],
            at: maker,
            time: new Date(Date.now() - 60_000),
            lot: 'C1',
            expiry: '2030-01-31',
          }),
        ]),
      ),
    );
    const asMember = {
      KAFKA_SASL_USERNAME: member.kafka.username,
      KAFKA_SASL_PASSWORD: member.kafka.password,
    };
    const unsigned = pedigree('publish', docs, '--via', 'kafka', asMember, { PEDIGREE_SIGNING_KEY: '' });
    expect(unsigned.code).toBe(64);
    expect(unsigned.stderr).toMatch(/PEDIGREE_SIGNING_KEY/);
    const result = pedigree('--json', 'publish', docs, '--via', 'kafka', asMember, {
      PEDIGREE_SIGNING_KEY: member.signingKey,
    });
    expect([result.code, (JSON.parse(result.stdout) as { queued: number }).queued]).toEqual([0, 1]);
    const deadline = Date.now() + 60_000;
    let verdict = pedigree('--json', 'verify', '(01)04012345123456(21)CLIK1');
    while (/UNKNOWN_SERIAL/.test(verdict.stdout) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      verdict = pedigree('--json', 'verify', '(01)04012345123456(21)CLIK1');
    }
    expect((JSON.parse(verdict.stdout) as { packStatus: string }).packStatus).toBe('commissioned');
  });

  it('publishes a large EPCIS 2.0 XML file through the API in parts, each its own job', () => {
    const events = Array.from(
      { length: 2_500 },
      (_, i) =>
        `<ObjectEvent><eventTime>${new Date(Date.now() - 60_000).toISOString()}</eventTime>` +
        `<eventTimeZoneOffset>+00:00</eventTimeZoneOffset><epcList><epc>urn:epc:id:sgtin:4012345.012345.X${i}</epc></epcList>` +
        `<action>ADD</action><bizStep>urn:epcglobal:cbv:bizstep:commissioning</bizStep>` +
        `<disposition>urn:epcglobal:cbv:disp:active</disposition><readPoint><id>${maker.site}</id></readPoint></ObjectEvent>`,
    );
    const file = join(dir, 'end-of-day.xml');
    writeFileSync(
      file,
      `<?xml version="1.0" encoding="UTF-8"?>\n<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" creationDate="${new Date().toISOString()}">` +
        `<EPCISBody><EventList>\n${events.join('\n')}\n</EventList></EPCISBody></epcis:EPCISDocument>\n`,
    );
    const result = pedigree('--json', 'publish', file, '--part-events', '1000');
    const summary = JSON.parse(result.stdout) as {
      accepted: number;
      results: { file: string; accepted: number; errors: string[] }[];
    };
    expect([result.code, summary.accepted]).toEqual([0, 3]);
    expect(summary.results.map((r) => [r.file.replace(dir, ''), r.accepted])).toEqual([
      ['/end-of-day.xml [events 1–1000]', 1000],
      ['/end-of-day.xml [events 1001–2000]', 1000],
      ['/end-of-day.xml [events 2001–2500]', 500],
    ]);
    const verdict = pedigree('--json', 'verify', 'urn:epc:id:sgtin:4012345.012345.X2499');
    expect((JSON.parse(verdict.stdout) as { packStatus: string }).packStatus).toBe('commissioned');
  });

  it('publishes an EPCIS 1.2 master data document through the API, whole, and reports the elements stored', () => {
    const file = join(dir, 'products-masterdata.xml');
    writeFileSync(
      file,
      readFileSync(
        join(repoRoot(), 'libs/epcis/src/xml/testing/dscsa-masterdata-1.2.xml'),
        'utf8',
      ).replaceAll('0312345', '4012345'),
    );
    const result = pedigree('--json', 'publish', file);
    const summary = JSON.parse(result.stdout) as {
      accepted: number;
      masterData: number;
      results: { file: string; events: number; masterData: number; errors: string[] }[];
    };
    expect([result.code, summary.accepted, summary.masterData]).toEqual([0, 1, 2]);
    expect(summary.results).toEqual([
      expect.objectContaining({ file, events: 0, masterData: 2, errors: [] }),
    ]);
    const human = pedigree('publish', file);
    expect(human.stdout).toContain('1 accepted');
    expect(human.stdout).toContain('2 master data element(s) stored');
  });

  it('publishes an EPCIS 1.2 XML document straight to Kafka, signed by the member', async () => {
    const file = join(dir, 'dscsa.xml');
    writeFileSync(
      file,
      readFileSync(join(repoRoot(), 'libs/epcis/src/xml/testing/dscsa-epcis-1.2.xml'), 'utf8')
        .replaceAll('0312345', '4012345')
        .replace(/012345\.100([12])</g, '012345.K12X$1<'),
    );
    const result = pedigree('--json', 'publish', file, '--via', 'kafka', {
      KAFKA_SASL_USERNAME: member.kafka.username,
      KAFKA_SASL_PASSWORD: member.kafka.password,
      PEDIGREE_SIGNING_KEY: member.signingKey,
    });
    expect([result.code, (JSON.parse(result.stdout) as { queued: number }).queued]).toEqual([0, 1]);
    const deadline = Date.now() + 60_000;
    let verdict = pedigree('--json', 'verify', 'urn:epc:id:sgtin:4012345.012345.K12X1');
    while (/UNKNOWN_SERIAL/.test(verdict.stdout) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      verdict = pedigree('--json', 'verify', 'urn:epc:id:sgtin:4012345.012345.K12X1');
    }
    // Commissioned, packed and shipped by the document's three events.
    expect(JSON.parse(verdict.stdout)).toMatchObject({ packStatus: 'in_transit' });
  });

  it('verifies a pack with a human verdict or JSON, and exit codes scripts can use', () => {
    const verified = pedigree('verify', '(01)04012345123456(21)CLI1');
    expect(verified.stdout).toMatch(/NOT VERIFIED|PENDING|VERIFIED/);
    const unknown = pedigree('--json', 'verify', '(01)04012345123456(21)NOPE');
    expect(JSON.parse(unknown.stdout)).toMatchObject({
      verified: false,
      reasons: [{ code: 'UNKNOWN_SERIAL' }],
    });
    expect(unknown.code).toBe(1);
    // The pack's EPC URN, as EPCIS documents and provenance answers show it, reads as the same GTIN and serial.
    const byUrn = pedigree('--json', 'verify', 'urn:epc:id:sgtin:4012345.012345.NOPE');
    expect(JSON.parse(byUrn.stdout)).toMatchObject({
      gtin: '04012345123456',
      serial: 'NOPE',
      reasons: [{ code: 'UNKNOWN_SERIAL' }],
    });
    const unreadable = pedigree('verify', '(01)04012345123457(21)X');
    expect(unreadable.code).toBe(65);
    expect(unreadable.stderr).toMatch(/could not be read.*check digit/i);
    const noKey = spawnSync(
      process.execPath,
      [
        join(repoRoot(), 'bin', 'pedigree.js'),
        '--api',
        `http://127.0.0.1:${services[0]!.port}`,
        'verify',
        '(01)04012345123456(21)X',
      ],
      {
        encoding: 'utf8',
        env: { PATH: process.env.PATH },
      },
    );
    expect(noKey.status).toBe(78);
    expect(noKey.stderr).toMatch(/No API key.*PEDIGREE_API_KEY/s);
    const down = spawnSync(
      process.execPath,
      [
        join(repoRoot(), 'bin', 'pedigree.js'),
        '--api',
        'http://127.0.0.1:9',
        '--key',
        key,
        'verify',
        '(01)04012345123456(21)X',
      ],
      { encoding: 'utf8' },
    );
    expect(down.status).toBe(69);
  });

  it('simulates a network to files and backtests its demand', () => {
    const out = join(dir, 'scenario');
    const simulated = pedigree(
      '--json',
      'simulate',
      '--preset',
      'tiny',
      '--seed',
      '3',
      '--inject',
      'cloned_serial=1',
      '--out',
      out,
    );
    expect(simulated.code).toBe(0);
    expect(JSON.parse(simulated.stdout).documents).toBeGreaterThan(10);
    expect(existsSync(join(out, 'labels.json'))).toBe(true);
    const backtest = pedigree(
      'forecast',
      'backtest',
      '--input',
      join(out, 'demand.csv'),
      '--baselines-only',
      '--horizon',
      '4',
      '--origins',
      '2',
    );
    expect(backtest.code).toBe(0);
    expect(backtest.stdout).toMatch(/MASE/);
    expect(backtest.stdout).toMatch(/seasonal-naive/);

    const badCsv = join(dir, 'bad.csv');
    writeFileSync(badCsv, 'series_id,date,value\nA,2026-01-05,3\nA,not-a-date,4\n');
    const failed = pedigree('forecast', 'backtest', '--input', badCsv);
    expect(failed.code).toBe(65);
    expect(failed.stderr).toMatch(/line 3/i);
    expect(pedigree('simulate', '--preset', 'tiny').code).toBe(64);
    expect(pedigree('simulate', '--out', out, '--inject', 'teleport=1').stderr).toMatch(
      /unknown pattern "teleport"/,
    );
    expect(
      readFileSync(join(out, 'demand.csv'), 'utf8')
        .split('\n')
        .find((line) => !line.startsWith('#')),
    ).toBe('series_id,date,value');
  });
});
