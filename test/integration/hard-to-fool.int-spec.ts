import {
  commissioningEvent,
  epcisDocument,
  glnOf,
  receivingEvent,
  sgtinUrn,
  shippingEvent,
  partyOf,
} from '@pedigree/epcis';
import {
  createKafka,
  type DeadLetterMessage,
  Headers,
  signDocument,
  signRelay,
  topicName,
  Topics,
} from '@pedigree/messaging';
import {
  apiClient,
  createTestContext,
  readTopic,
  type RunningService,
  startService,
  TEST_ADMIN_TOKEN,
  type TestContext,
  waitFor,
} from '@pedigree/testing';
import { type Signer, Wallet } from 'ethers';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Kafka,
  logLevel,
  ResourcePatternTypes,
  type SASLOptions,
} from 'kafkajs';

const party = partyOf;
const maker = party('4012345');
const wholesaler = party('4098765');
const pharmacy = party('4260001');
const GTIN = '04012345123456';
const pack = (serial: string) => sgtinUrn('4012345', '12345', serial);

interface Member {
  id: string;
  key: string;
  signer: Signer;
  kafka: { username: string; password: string; topic: string };
}
interface CaptureJob {
  running: boolean;
  success: boolean;
  errors: { title: string; detail: string }[];
  waiting: { title: string; detail: string; waitingFor: string[] }[];
}
interface Verdict {
  status: string;
  packStatus?: string;
  reasons: { code: string }[];
}

/**
 * The trust model's first rows, tried as an attacker would against the real broker (SASL/SCRAM, ACLs), ingest and
 * API: an outsider on Kafka, a member impersonating another over Kafka and over the API, a non-holder shipping,
 * receiving, dispensing, destroying and recalling, and a member reading a history it never held. Each ends
 * refused with a clear code, and the genuine pack is exactly as it was.
 */
describe('hard to fool: authenticated publishers and holder rules', () => {
  let context: TestContext;
  const services: RunningService[] = [];
  const members: Record<'maker' | 'wholesaler' | 'pharmacy' | 'regulator', Member> = {} as never;
  let t = Date.now() - 3 * 3600_000;
  const at = () => new Date((t += 60_000));
  const api = (who: keyof typeof members) => apiClient(services[0]!.port, members[who].key);
  const GENUINE = pack('GEN1');

  beforeAll(async () => {
    context = await createTestContext('hard to fool', {
      deployContracts: false,
      env: { INGEST_PARK_TIMEOUT_SECONDS: '4' },
    });
    for (const name of ['api', 'ingest'] as const) services.push(await startService(name, context.env));
    const admin = apiClient(services[0]!.port, TEST_ADMIN_TOKEN);
    for (const [name, role, prefix] of [
      ['maker', 'manufacturer', '4012345'],
      ['wholesaler', 'distributor', '4098765'],
      ['pharmacy', 'dispenser', '4260001'],
      ['regulator', 'regulator', '4000001'],
    ] as const) {
      const created = await admin.post<{ id: string; signingKey: string; kafka: Member['kafka'] }>(
        '/v1/admin/organisations',
        { name: `HTF ${name}`, role, companyPrefixes: [prefix], glns: [glnOf(prefix, 0), glnOf(prefix, 1)] },
      );
      expect(created.status).toBe(201);
      expect(created.body.kafka.password.length).toBeGreaterThanOrEqual(24);
      const key = await admin.post<{ key: string }>(`/v1/admin/organisations/${created.body.id}/api-keys`, {
        label: 'test',
      });
      members[name] = {
        id: created.body.id,
        key: key.body.key,
        signer: new Wallet(created.body.signingKey),
        kafka: created.body.kafka,
      };
    }
    // The genuine history: made by the maker, shipped to and received by the pharmacy, through the API.
    await captured('maker', [
      commissioningEvent({ epcs: [GENUINE], at: maker, time: at(), lot: 'L1', expiry: '2030-01-31' }),
      shippingEvent({ epcs: [GENUINE], from: maker, to: pharmacy, time: at() }),
    ]);
    await captured('pharmacy', [receivingEvent({ epcs: [GENUINE], from: maker, at: pharmacy, time: at() })]);
    expect(await packState()).toMatchObject({ status: 'received' });
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await context?.cleanup();
  });

  async function capture(
    who: keyof typeof members,
    events: Record<string, unknown>[],
  ): Promise<CaptureJob & { location: string }> {
    const response = await api(who).request<{ captureID: string }>(
      'POST',
      '/epcis/v2/capture',
      JSON.stringify(epcisDocument(events)),
      { 'content-type': 'application/ld+json' },
    );
    expect(response.status).toBe(202);
    const location = response.headers.get('location')!;
    return waitFor(
      `capture ${location}`,
      async () => {
        const job = (await api(who).get<CaptureJob>(location)).body;
        // Finished and settled: nothing of the document still waits for a precondition.
        return job.running || job.waiting.length > 0 ? undefined : { ...job, location };
      },
      60_000,
      200,
    );
  }

  async function captured(who: keyof typeof members, events: Record<string, unknown>[]): Promise<void> {
    const job = await capture(who, events);
    expect([job.success, job.errors]).toEqual([true, []]);
  }

  async function refused(who: keyof typeof members, events: Record<string, unknown>[], code: string) {
    const before = await packState();
    const job = await capture(who, events);
    expect(job.success).toBe(false);
    expect(job.errors.map((e) => e.title)).toContain(code);
    expect(await packState()).toEqual(before);
  }

  /** What the regulator sees of the genuine pack: every refused attempt must leave it exactly so. */
  async function packState() {
    const response = await api('regulator').get<{ status: string; custodian: string; hops: unknown[] }>(
      `/v1/provenance/${encodeURIComponent(GENUINE)}`,
    );
    return {
      status: response.body.status,
      custodian: response.body.custodian,
      hops: response.body.hops.length,
    };
  }

  async function verify(serial: string): Promise<Verdict> {
    return (await api('pharmacy').get<Verdict>(`/v1/verify?gtin=${GTIN}&serial=${serial}`)).body;
  }

  function kafkaAs(sasl?: SASLOptions) {
    return new Kafka({
      clientId: 'htf-attacker',
      brokers: context.config.kafkaBrokers,
      ...(sasl ? { sasl } : {}),
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
      connectionTimeout: 3000,
      requestTimeout: 10_000,
    });
  }

  const memberSasl = (m: Member): SASLOptions => ({
    mechanism: 'scram-sha-512',
    username: m.kafka.username,
    password: m.kafka.password,
  });

  async function produceAs(m: Member, key: string, value: Buffer, headers: Record<string, string>) {
    const producer = kafkaAs(memberSasl(m)).producer();
    await producer.connect();
    try {
      await producer.send({ topic: m.kafka.topic, messages: [{ key, value, headers }] });
    } finally {
      await producer.disconnect();
    }
  }

  async function deadLetter(key: string): Promise<DeadLetterMessage> {
    return waitFor(
      `a dead letter for ${key}`,
      async () =>
        (await readTopic(context.config, Topics.eventsRejected, 10_000, 2000)).find(
          (l) => l.source.key === key,
        ),
      60_000,
      0,
    );
  }

  const counterfeit = (serial: string) =>
    Buffer.from(
      JSON.stringify(
        epcisDocument([
          commissioningEvent({
            epcs: [pack(serial)],
            at: maker,
            time: at(),
            lot: 'L1',
            expiry: '2030-01-31',
          }),
        ]),
      ),
    );

  describe('Kafka', () => {
    it('refuses a client with no credentials, or wrong ones, at the broker', async () => {
      for (const sasl of [
        undefined,
        { mechanism: 'scram-sha-512', username: members.maker.kafka.username, password: 'guessed-password' },
        { mechanism: 'scram-sha-512', username: 'pedigree', password: 'pedigree' },
      ] as (SASLOptions | undefined)[]) {
        const admin = kafkaAs(sasl).admin();
        await expect(admin.connect().then(() => admin.listTopics())).rejects.toThrow(
          /Closed connection|authentication failed|SASL/i,
        );
        await admin.disconnect().catch(() => undefined);
      }
    });

    it("lets a member's account write its documents to the EPCIS topic and nothing else", async () => {
      const kafka = kafkaAs(memberSasl(members.wholesaler));
      const producer = kafka.producer();
      await producer.connect();
      for (const topic of [Topics.alerts, Topics.eventsAccepted, Topics.eventsRejected]) {
        await expect(
          producer.send({
            topic: topicName(topic, context.config.kafkaTopicPrefix),
            messages: [{ value: '{"forged":true}' }],
          }),
        ).rejects.toThrow(/authoriz/i);
      }
      await producer.disconnect();
      // Reading anything, even the topic it writes to, ends in an authorisation error from the broker.
      const consumer = kafka.consumer({ groupId: `${context.id}-spy` });
      const crashed = new Promise<Error>((resolve) =>
        consumer.on(consumer.events.CRASH, (event) => resolve(event.payload.error)),
      );
      await consumer.connect();
      await consumer.subscribe({ topics: [members.wholesaler.kafka.topic], fromBeginning: true });
      await consumer.run({ eachMessage: () => Promise.reject(new Error('read a message it must not see')) });
      // kafkajs reports the broker's GROUP_AUTHORIZATION_FAILED as a coordinator it cannot find.
      expect((await crashed).message).toMatch(/authoriz|group coordinator/i);
      await consumer.disconnect().catch(() => undefined);
      // What the broker holds for the account: one grant, WRITE on the EPCIS topic.
      const admin = createKafka(context.config, 'htf-acl-check').admin();
      await admin.connect();
      const acls = await admin.describeAcls({
        resourceType: AclResourceTypes.ANY,
        resourcePatternType: ResourcePatternTypes.ANY,
        principal: `User:${members.wholesaler.kafka.username}`,
        operation: AclOperationTypes.ANY,
        permissionType: AclPermissionTypes.ANY,
      });
      await admin.disconnect();
      const grants = acls.resources.flatMap((r) =>
        r.acls.map((a) => [r.resourceType, r.resourceName, a.operation, a.permissionType]),
      );
      expect(grants).toEqual([
        [
          AclResourceTypes.TOPIC,
          members.wholesaler.kafka.topic,
          AclOperationTypes.WRITE,
          AclPermissionTypes.ALLOW,
        ],
      ]);
    });

    it('dead-letters a counterfeit commissioning with no signature; the serial stays unknown', async () => {
      await produceAs(members.wholesaler, 'cf-bare', counterfeit('CF1'), {});
      expect((await deadLetter('cf-bare')).reason.code).toBe('ORIGIN_MISSING');
      expect((await verify('CF1')).reasons.map((r) => r.code)).toEqual(['UNKNOWN_SERIAL']);
    });

    it("ignores publisher and capture-job headers a producer writes itself, so another member's job is untouched", async () => {
      const job = await capture('maker', [
        commissioningEvent({ epcs: [pack('JOB1')], at: maker, time: at(), lot: 'L1', expiry: '2030-01-31' }),
      ]);
      expect(job.success).toBe(true);
      const jobId = job.location.split('/').pop()!;
      await produceAs(members.wholesaler, 'cf-headers', counterfeit('CF2'), {
        [Headers.publisherOrgId]: members.maker.id,
        [Headers.captureId]: jobId,
      });
      expect((await deadLetter('cf-headers')).reason.code).toBe('ORIGIN_MISSING');
      const after = (await api('maker').get<CaptureJob>(job.location)).body;
      expect([after.success, after.errors]).toEqual([true, []]);
      expect((await verify('CF2')).reasons.map((r) => r.code)).toEqual(['UNKNOWN_SERIAL']);
    });

    it('takes the publisher from the signature: a member signing as itself cannot commission under another prefix', async () => {
      const value = counterfeit('CF3');
      await produceAs(members.wholesaler, 'cf-own-sig', value, {
        ...(await signDocument(members.wholesaler.signer, value)),
        [Headers.publisherOrgId]: members.maker.id,
      });
      expect((await deadLetter('cf-own-sig')).reason.code).toBe('RULE_PREFIX_NOT_OWNED');
      expect((await verify('CF3')).reasons.map((r) => r.code)).toEqual(['UNKNOWN_SERIAL']);
    });

    it('dead-letters forged signatures: a stranger’s member signature, and a relay signature by a key ingest does not trust', async () => {
      const value = counterfeit('CF4');
      const stranger = Wallet.createRandom();
      await produceAs(members.wholesaler, 'cf-forged', value, await signDocument(stranger, value));
      await produceAs(
        members.wholesaler,
        'cf-forged-relay',
        value,
        await signRelay(stranger, value, {
          publisher: members.maker.id,
          captureId: '',
          errorBehaviour: 'rollback',
        }),
      );
      // The maker's real signature over other bytes does not carry over to these.
      await produceAs(
        members.wholesaler,
        'cf-replayed',
        value,
        await signDocument(members.maker.signer, counterfeit('X')),
      );
      for (const key of ['cf-forged', 'cf-forged-relay', 'cf-replayed'])
        expect([key, (await deadLetter(key)).reason.code]).toEqual([key, 'ORIGIN_UNKNOWN_SIGNER']);
      expect((await verify('CF4')).reasons.map((r) => r.code)).toEqual(['UNKNOWN_SERIAL']);
    });

    it("accepts a member's own signed document from its own account (the front door still opens)", async () => {
      const value = counterfeit('OWN1');
      await produceAs(members.maker, 'own-signed', value, await signDocument(members.maker.signer, value));
      const verdict = await waitFor('the signed commissioning stored', async () => {
        const v = await verify('OWN1');
        return v.reasons.some((r) => r.code === 'UNKNOWN_SERIAL') ? undefined : v;
      });
      expect(verdict.packStatus).toBe('commissioned');
    });

    it('refuses documents signed with a revoked key', async () => {
      const admin = apiClient(services[0]!.port, TEST_ADMIN_TOKEN);
      const old = members.maker.signer as Wallet;
      const fresh = Wallet.createRandom();
      await admin.post(`/v1/admin/organisations/${members.maker.id}/signing-addresses`, {
        signingAddress: fresh.address,
      });
      const removed = await admin.delete(
        `/v1/admin/organisations/${members.maker.id}/signing-addresses/${old.address.toLowerCase()}`,
      );
      expect(removed.status).toBe(200);
      members.maker.signer = fresh;
      await new Promise((resolve) => setTimeout(resolve, 5500)); // ingest's directory refresh
      const value = counterfeit('REV1');
      await produceAs(members.maker, 'revoked-key', value, await signDocument(old, value));
      expect((await deadLetter('revoked-key')).reason.code).toBe('ORIGIN_UNKNOWN_SIGNER');
    });
  });

  describe('API: only the holder moves a pack', () => {
    const {
      bizLocation: _b,
      readPoint: _r,
      ...bareDispensing
    } = {
      type: 'ObjectEvent',
      action: 'OBSERVE',
      bizStep: 'dispensing',
      disposition: 'dispensed',
      epcList: [GENUINE],
      bizLocation: undefined,
      readPoint: undefined,
    };
    const now = () => ({ eventTime: at().toISOString(), eventTimeZoneOffset: '+00:00' });

    it('refuses a wholesaler dispensing a pack it never held, without a location', async () => {
      // The job finishes at once and says what the event waits for (the receipt that would make it the holder).
      const response = await api('wholesaler').request(
        'POST',
        '/epcis/v2/capture',
        JSON.stringify(epcisDocument([{ ...bareDispensing, ...now() }])),
        { 'content-type': 'application/ld+json' },
      );
      const location = response.headers.get('location')!;
      const waiting = await waitFor('the job to report what it waits for', async () => {
        const job = (await api('wholesaler').get<CaptureJob>(location)).body;
        return !job.running && job.waiting.length > 0 ? job : undefined;
      });
      expect(waiting.waiting[0]).toMatchObject({ title: 'RULE_NOT_HOLDER', waitingFor: [GENUINE] });
      const settled = await waitFor('the wait to end', async () => {
        const job = (await api('wholesaler').get<CaptureJob>(location)).body;
        return job.waiting.length === 0 ? job : undefined;
      });
      expect([settled.success, settled.errors.map((e) => e.title)]).toEqual([false, ['RULE_NOT_HOLDER']]);
      await refused('wholesaler', [{ ...bareDispensing, ...now() }], 'RULE_NOT_HOLDER');
      const verdict = await verify('GEN1');
      expect(verdict.packStatus).toBe('received');
      expect(verdict.reasons.map((r) => r.code)).not.toContain('ALREADY_DISPENSED');
    });

    it('refuses shipping the pharmacy’s pack by naming the pharmacy as the sender', async () => {
      await refused(
        'wholesaler',
        [shippingEvent({ epcs: [GENUINE], from: pharmacy, to: wholesaler, time: at() })].map((e) => ({
          ...e,
          bizLocation: { id: wholesaler.site },
          readPoint: { id: wholesaler.site },
        })),
        'RULE_NOT_AUTHORISED',
      );
    });

    it('refuses receiving a pack not addressed to the publisher', async () => {
      // Nothing is in transit to the wholesaler: the pharmacy holds the pack.
      await refused(
        'wholesaler',
        [receivingEvent({ epcs: [GENUINE], from: maker, at: wholesaler, time: at() })],
        'RULE_NOT_IN_TRANSIT',
      );
      // A pack in transit to the pharmacy: only the pharmacy receives it.
      const moving = pack('GEN2');
      await captured('maker', [
        commissioningEvent({ epcs: [moving], at: maker, time: at(), lot: 'L1', expiry: '2030-01-31' }),
        shippingEvent({ epcs: [moving], from: maker, to: pharmacy, time: at() }),
      ]);
      const job = await capture('wholesaler', [
        receivingEvent({ epcs: [moving], from: maker, at: wholesaler, time: at() }),
      ]);
      expect([job.success, job.errors.map((e) => e.title)]).toEqual([false, ['RULE_NOT_ADDRESSEE']]);
      expect((await verify('GEN2')).packStatus).toBe('in_transit');
    });

    it('refuses destroying and decommissioning by a non-holder', async () => {
      for (const [bizStep, disposition, action] of [
        ['destroying', 'destroyed', 'OBSERVE'],
        ['decommissioning', 'inactive', 'DELETE'],
      ] as const) {
        await refused(
          'wholesaler',
          [{ ...bareDispensing, ...now(), bizStep, disposition, action }],
          'RULE_NOT_HOLDER',
        );
      }
    });

    it('refuses a recall by anyone but the manufacturer or a regulator', async () => {
      await refused(
        'pharmacy',
        [{ ...bareDispensing, ...now(), bizStep: 'holding', disposition: 'recalled' }],
        'RULE_NOT_AUTHORISED',
      );
    });

    it('grants no read access to a member that only observed the pack', async () => {
      await captured('wholesaler', [
        { ...bareDispensing, ...now(), bizStep: 'inspecting', disposition: undefined },
      ]);
      const response = await api('wholesaler').get<{ code: string }>(
        `/v1/provenance/${encodeURIComponent(GENUINE)}`,
      );
      expect([response.status, response.body.code]).toEqual([403, 'PROVENANCE_NOT_A_PARTY']);
      expect((await api('pharmacy').get(`/v1/provenance/${encodeURIComponent(GENUINE)}`)).status).toBe(200);
      expect((await api('maker').get(`/v1/provenance/${encodeURIComponent(GENUINE)}`)).status).toBe(200);
    });

    it('lets the holder dispense, after all of that', async () => {
      await captured('pharmacy', [
        { ...bareDispensing, ...now(), bizLocation: { id: pharmacy.site }, readPoint: { id: pharmacy.site } },
      ]);
      expect((await packState()).status).toBe('dispensed');
    });
  });
});
