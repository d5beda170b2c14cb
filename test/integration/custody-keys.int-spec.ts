import { custodyKeyTypedData, deriveAddress, readChainDeployment } from '@pedigree/chain';
import { CustodyLedger__factory, ParticipantRegistry__factory } from '@pedigree/contracts';
import {
  commissioningEvent,
  epcisDocument,
  packingEvent,
  partyOf,
  receivingEvent,
  sgtinUrn,
  shippingEvent,
  ssccUrn,
} from '@pedigree/epcis';
import {
  apiClient,
  createTestContext,
  database,
  registerMember,
  type RunningService,
  startService,
  TEST_ADMIN_TOKEN,
  type TestContext,
  waitFor,
} from '@pedigree/testing';
import { JsonRpcProvider, Wallet, zeroPadValue } from 'ethers';

interface SignatureRequest {
  id: string;
  action: string;
  consignment: string;
  status: string;
  typedData: {
    domain: Record<string, unknown>;
    types: Record<string, { name: string; type: string }[]>;
    message: Record<string, string>;
  };
}

const maker = partyOf('4012345');
const wholesaler = partyOf('4098765');
const pharmacy = partyOf('4260001');

/**
 * Custody handoffs on chain are signed by the custodian's own key (EIP-712, checked by CustodyLedger with
 * OpenZeppelin's ECDSA): keys the platform holds come from a keystore apart from the anchoring key, and a member
 * that registers its own key signs its handoffs itself; until it does, that consignment's later handoffs wait.
 */
describe('custody keys: handoffs signed by the custodian, relayed by the platform', () => {
  let context: TestContext;
  const services: RunningService[] = [];
  const members: Record<string, { id: string; key: string }> = {};
  let provider: JsonRpcProvider;
  let custody: ReturnType<typeof CustodyLedger__factory.connect>;
  let registry: ReturnType<typeof ParticipantRegistry__factory.connect>;
  const own = Wallet.createRandom();
  let t = Date.now() - 3600_000;
  const at = () => new Date((t += 60_000));
  const api = (who: string) => apiClient(services[0]!.port, members[who]!.key);

  beforeAll(async () => {
    context = await createTestContext('custody keys');
    for (const name of ['api', 'ingest', 'ledger'] as const)
      services.push(await startService(name, context.env));
    const admin = apiClient(services[0]!.port, TEST_ADMIN_TOKEN);
    for (const [name, role, prefix] of [
      ['maker', 'manufacturer', '4012345'],
      ['wholesaler', 'distributor', '4098765'],
      ['pharmacy', 'dispenser', '4260001'],
    ] as const)
      members[name] = await registerMember(admin, { name: `Keys ${name}`, role, prefix });
    const deployment = readChainDeployment(context.config.chainDeploymentFile);
    provider = new JsonRpcProvider(context.config.chainRpcUrl, undefined, { staticNetwork: true });
    custody = CustodyLedger__factory.connect(deployment.contracts.CustodyLedger, provider);
    registry = ParticipantRegistry__factory.connect(deployment.contracts.ParticipantRegistry, provider);
    await waitFor('the members registered on chain', async () => {
      const keys = await Promise.all(
        Object.keys(members).map((m) => api(m).get<{ chainStatus: string }>('/v1/custody/key')),
      );
      return keys.every((k) => k.body.chainStatus === 'registered') || undefined;
    });
  });

  afterAll(async () => {
    provider?.destroy();
    await Promise.all(services.map((s) => s.stop()));
    await context?.cleanup();
  });

  async function capture(who: string, events: Record<string, unknown>[]): Promise<void> {
    const response = await api(who).request(
      'POST',
      '/epcis/v2/capture',
      JSON.stringify(epcisDocument(events)),
      {
        'content-type': 'application/ld+json',
      },
    );
    expect(response.status).toBe(202);
  }

  async function transfers(consignment: string): Promise<{ status: string; chain_error: string | null }[]> {
    const db = await database(context.config);
    try {
      return (
        await db.query<{ status: string; chain_error: string | null }>(
          'SELECT status, chain_error FROM custody_transfers WHERE consignment_key = $1 ORDER BY id',
          [consignment],
        )
      ).rows;
    } finally {
      await db.end();
    }
  }

  it("signs with the keystore's key, not the anchoring key; the relayer pays but is no party", async () => {
    const pallet = ssccUrn('4012345', 101);
    const pack = sgtinUrn('4012345', '12345', 'KEY1');
    await capture('maker', [
      commissioningEvent({ epcs: [pack], at: maker, time: at(), lot: 'K1', expiry: '2030-01-31' }),
      packingEvent({ parent: pallet, children: [pack], at: maker, time: at() }),
      shippingEvent({ epcs: [pallet], from: maker, to: wholesaler, time: at() }),
    ]);
    await capture('wholesaler', [
      receivingEvent({ epcs: [pallet], from: maker, at: wholesaler, time: at() }),
    ]);
    await waitFor(
      'the handoff received on chain',
      async () => (await transfers(pallet))[0]?.status === 'received_on_chain' || undefined,
    );
    const [shipped] = await custody.queryFilter(custody.filters.ShipmentRecorded());
    const [received] = await custody.queryFilter(custody.filters.ReceiptRecorded());
    // The parties are the members' participants on chain (their org ids), derived from the custody keystore.
    const orgOf = async (address: string) => (await registry.participantOf(address))[1];
    expect(await orgOf(shipped!.args.from)).toBe(
      zeroPadValue(`0x${members.maker!.id.replace(/-/g, '')}`, 32),
    );
    expect(await orgOf(received!.args.to)).toBe(
      zeroPadValue(`0x${members.wholesaler!.id.replace(/-/g, '')}`, 32),
    );
    const custodyKeystore = deriveAddress(context.env.LEDGER_CUSTODY_MNEMONIC!, 10);
    const anchoring = deriveAddress(context.env.LEDGER_MNEMONIC!, 10);
    expect([shipped!.args.from, received!.args.to]).toContain(custodyKeystore);
    expect([shipped!.args.from, received!.args.to]).not.toContain(anchoring);
    // Sent by the relayer: the transaction's sender is neither party.
    const tx = await provider.getTransaction(shipped!.transactionHash);
    expect([shipped!.args.from, shipped!.args.to]).not.toContain(tx!.from);
    expect(shipped!.args.sequence).toBe(1n);
    expect(received!.args.sequence).toBe(1n);
  });

  it('refuses a custody key registration the key did not sign, or signed for another member', async () => {
    const domain = (await api('pharmacy').get<{ domain: Record<string, unknown> }>('/v1/custody/key')).body
      .domain;
    const stranger = Wallet.createRandom();
    const typed = custodyKeyTypedData(domain, members.pharmacy!.id, own.address);
    const byStranger = await stranger.signTypedData(typed.domain, typed.types, typed.message);
    const refused = await api('pharmacy').request<{ code: string; field: string }>('PUT', '/v1/custody/key', {
      address: own.address,
      signature: byStranger,
    });
    expect([refused.status, refused.body.code, refused.body.field]).toEqual([
      400,
      'CUSTODY_KEY_PROOF_INVALID',
      'signature',
    ]);
    const forOther = custodyKeyTypedData(domain, members.wholesaler!.id, own.address);
    const replayed = await api('pharmacy').request<{ code: string }>('PUT', '/v1/custody/key', {
      address: own.address,
      signature: await own.signTypedData(forOther.domain, forOther.types, forOther.message),
    });
    expect([replayed.status, replayed.body.code]).toEqual([400, 'CUSTODY_KEY_PROOF_INVALID']);
  });

  it('a member with its own key signs its receipt; until then that consignment waits, others flow', async () => {
    const domain = (await api('pharmacy').get<{ domain: Record<string, unknown> }>('/v1/custody/key')).body
      .domain;
    const typed = custodyKeyTypedData(domain, members.pharmacy!.id, own.address);
    const registered = await api('pharmacy').request<{ mode: string }>('PUT', '/v1/custody/key', {
      address: own.address,
      signature: await own.signTypedData(typed.domain, typed.types, typed.message),
    });
    expect([registered.status, registered.body.mode]).toEqual([200, 'own']);
    await waitFor('the pharmacy moved to its own key on chain', async () => {
      const key = await api('pharmacy').get<{ address: string; pendingAddress: string | null }>(
        '/v1/custody/key',
      );
      return (key.body.address === own.address && key.body.pendingAddress === null) || undefined;
    });
    expect(await registry.isActive(own.address)).toBe(true);

    const [box, box2, other] = [201, 202, 102].map((n) => ssccUrn('4012345', n));
    const packs = ['KEY2', 'KEY3', 'KEY4'].map((serial) => sgtinUrn('4012345', '12345', serial));
    await capture('maker', [
      ...packs.map((p) =>
        commissioningEvent({ epcs: [p], at: maker, time: at(), lot: 'K2', expiry: '2030-01-31' }),
      ),
      ...[box, box2, other].map((parent, i) =>
        packingEvent({ parent, children: [packs[i]!], at: maker, time: at() }),
      ),
      shippingEvent({ epcs: [box, box2], from: maker, to: pharmacy, time: at() }),
    ]);
    // The pharmacy (own key) receives both boxes and returns one; meanwhile a maker → wholesaler pallet flows.
    await capture('pharmacy', [receivingEvent({ epcs: [box, box2], from: maker, at: pharmacy, time: at() })]);
    await capture('maker', [shippingEvent({ epcs: [other], from: maker, to: wholesaler, time: at() })]);
    await capture('pharmacy', [shippingEvent({ epcs: [box], from: pharmacy, to: maker, time: at() })]);

    const requests = await waitFor('the receipt waiting for the pharmacy', async () => {
      const list = await api('pharmacy').get<{ items: SignatureRequest[] }>('/v1/custody/signature-requests');
      return list.body.items.length === 2 ? list.body.items : undefined;
    });
    expect(requests.map((r) => [r.action, r.consignment, r.status])).toEqual([
      ['receive', box, 'awaiting_signature'],
      ['receive', box2, 'awaiting_signature'],
    ]);
    expect((await transfers(box))[0]!.status).toBe('awaiting_signature');
    // Others flow meanwhile.
    await waitFor(
      'the unrelated shipment on chain',
      async () => (await transfers(other))[0]?.status === 'shipped_on_chain' || undefined,
    );
    // The pharmacy's return of box waits behind the receipt; it is not refused.
    await waitFor('the return stored', async () => (await transfers(box))[1] || undefined);
    expect((await transfers(box))[1]!.status).toBe('pending');

    // Another member cannot sign for it, and a stranger's signature is refused with a reason.
    const first = requests[0]!;
    const stranger = Wallet.createRandom();
    const wrong = await api('pharmacy').post<{ code: string }>(
      `/v1/custody/signature-requests/${first.id}/signature`,
      {
        signature: await stranger.signTypedData(
          first.typedData.domain,
          first.typedData.types,
          first.typedData.message,
        ),
      },
    );
    expect([wrong.status, wrong.body.code]).toEqual([400, 'CUSTODY_SIGNATURE_INVALID']);
    const notYours = await api('wholesaler').post<{ code: string }>(
      `/v1/custody/signature-requests/${first.id}/signature`,
      {
        signature: await own.signTypedData(
          first.typedData.domain,
          first.typedData.types,
          first.typedData.message,
        ),
      },
    );
    expect([notYours.status, notYours.body.code]).toEqual([404, 'CUSTODY_REQUEST_NOT_FOUND']);

    for (const request of requests) {
      const { domain: d, types, message } = request.typedData;
      const signed = await api('pharmacy').post<{ status: string }>(
        `/v1/custody/signature-requests/${request.id}/signature`,
        { signature: await own.signTypedData(d, types, message) },
      );
      expect([signed.status, signed.body.status]).toEqual([200, 'signed']);
    }
    // The receipts go on chain as the pharmacy's own; then the return, which waited, asks for its signature.
    const shipBack = await waitFor('the return waiting for the pharmacy', async () => {
      const list = await api('pharmacy').get<{ items: SignatureRequest[] }>('/v1/custody/signature-requests');
      return list.body.items.find((r) => r.action === 'ship');
    });
    expect(shipBack.consignment).toBe(box);
    const { domain: d, types, message } = shipBack.typedData;
    await api('pharmacy').post(`/v1/custody/signature-requests/${shipBack.id}/signature`, {
      signature: await own.signTypedData(d, types, message),
    });
    await waitFor('the return shipped on chain', async () => {
      const rows = await transfers(box);
      return (rows[0]?.status === 'received_on_chain' && rows[1]?.status === 'shipped_on_chain') || undefined;
    });
    const receipts = await custody.queryFilter(
      custody.filters.ReceiptRecorded(undefined, undefined, own.address),
    );
    expect(receipts).toHaveLength(2);
    const returned = await custody.queryFilter(custody.filters.ShipmentRecorded(undefined, own.address));
    expect(returned.map((l) => [l.args.to, l.args.sequence])).toEqual([[expect.any(String), 2n]]);
    const all = await api('pharmacy').get<{ items: SignatureRequest[] }>(
      '/v1/custody/signature-requests?all=true',
    );
    expect(all.body.items.map((r) => r.status)).toEqual(['recorded', 'recorded', 'recorded']);
  });
});
