import type { Principal } from '../auth/principal';
import type { MasterDataService } from '../master-data/master-data.service';
import type { LotPackRow, LotProvenanceRepository } from './lot-provenance.repository';
import { LotProvenanceService } from './lot-provenance.service';

const GTIN = '04012345123456';
const pack = (epc: string, extra: Partial<LotPackRow> = {}): LotPackRow => ({
  epc,
  serial: epc.split('.').at(-1)!,
  status: 'received',
  expiry: '2028-06-30',
  custodian: '4098765000002',
  location: null,
  parentEpc: null,
  containerStatus: null,
  ownerOrgId: 'wholesaler',
  ownerName: 'Grossiste Nord',
  flagged: 0,
  lastEventTime: new Date('2026-12-01T10:00:00Z'),
  ownSteps: [],
  ...extra,
});

function service(rows: LotPackRow[], owner = 'maker') {
  const repository = {
    // The steps are the asker's own: the fixture's belong to the wholesaler.
    packs: jest.fn((_gtin: string, _lot: string, asker: string | null) =>
      Promise.resolve(rows.map((row) => (asker === 'wholesaler' ? row : { ...row, ownSteps: [] }))),
    ),
    ownsGtin: jest.fn((org: string) => Promise.resolve(org === owner)),
  };
  const masterData = { productOfPack: () => Promise.resolve({ name: 'Amoxicillin', strength: '500 mg' }) };
  return {
    lots: new LotProvenanceService(
      repository as unknown as LotProvenanceRepository,
      masterData as unknown as MasterDataService,
    ),
    repository,
  };
}

const member = (organisationId: string, role: Principal['role'] = 'distributor'): Principal => ({
  role,
  organisationId,
  companyPrefixes: [],
  glns: [],
});

describe('LotProvenanceService', () => {
  const rows = [
    pack('urn:epc:id:sgtin:4012345.012345.1'),
    pack('urn:epc:id:sgtin:4012345.012345.2', { ownerOrgId: 'pharmacy', status: 'dispensed', flagged: 1 }),
    pack('urn:epc:id:sgtin:4012345.012345.3', {
      ownerOrgId: 'pharmacy',
      ownSteps: [{ type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'shipping', disposition: 'in_transit' }],
    }),
    pack('urn:epc:id:sgtin:4012345.012345.4', {
      ownerOrgId: 'pharmacy',
      ownSteps: [{ type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'inspecting', disposition: null }],
    }),
  ];

  it('gives the manufacturer and regulators the whole lot, counted by status', async () => {
    for (const principal of [member('maker', 'manufacturer'), member('reg', 'regulator')]) {
      const answer = await service(rows).lots.lot(GTIN, 'L1', principal);
      expect(answer).toMatchObject({
        scope: 'whole_lot',
        packCount: 4,
        flaggedPacks: 1,
        product: { name: 'Amoxicillin', strength: '500 mg' },
      });
      expect(answer.byStatus).toEqual({ received: 3, dispensed: 1 });
    }
  });

  it('gives another member the packs it holds or handled, not those it only observed', async () => {
    const { lots, repository } = service(rows);
    const answer = await lots.lot(GTIN, 'L1', member('wholesaler'));
    expect(repository.packs).toHaveBeenCalledWith(GTIN, 'L1', 'wholesaler', 10_001);
    // It holds pack 1 and shipped pack 3; it only inspected pack 4 and never touched pack 2.
    expect(answer.scope).toBe('handled_by_you');
    expect(answer.packs.map((p) => p.serial)).toEqual(['1', '3']);
  });

  it('answers 404 when the member may see no pack of the lot', async () => {
    await expect(service(rows).lots.lot(GTIN, 'L1', member('stranger'))).rejects.toMatchObject({
      code: 'PROVENANCE_UNKNOWN_PACK',
    });
  });

  it('refuses a GTIN with a wrong check digit and a lot outside AI (10)', async () => {
    const { lots } = service(rows);
    await expect(lots.lot('04012345123457', 'L1', member('maker'))).rejects.toMatchObject({ field: 'gtin' });
    await expect(lots.lot(GTIN, 'L'.repeat(21), member('maker'))).rejects.toMatchObject({ field: 'lot' });
    await expect(lots.lot(GTIN, 'L 1', member('maker'))).rejects.toMatchObject({ field: 'lot' });
  });
});
