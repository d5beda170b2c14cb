import { glnOf, pglnUrn } from '@pedigree/epcis';
import type { Principal } from '../auth/principal';
import type { HistoryStep, HopRecord, PackRecord } from '../provenance/provenance.repository';
import { heldBy } from './verification.service';
import type { VerifiedPack } from './verification.repository';

const PHARMACY: Principal = {
  role: 'dispenser',
  organisationId: 'org-pharmacy',
  companyPrefixes: ['4260001'],
  glns: [glnOf('4260001', 0)],
  apiKeyId: 'key-1',
};

function pack(over: Partial<PackRecord> = {}, hops: Partial<HopRecord>[] = []): VerifiedPack {
  const steps = hops.map(
    (hop, seq) =>
      ({
        seq,
        eventHash: Buffer.alloc(32),
        hop: { publisherOrgId: null, custody: null, ...hop },
      }) as HistoryStep,
  );
  return {
    pack: { ownerOrgId: 'org-maker', custodian: null, shippedTo: null, ...over } as PackRecord,
    openAlerts: 0,
    resolvedAlerts: 0,
    steps,
  };
}

describe('heldBy (what the harvesting detector is told)', () => {
  it('is true for the holder, the addressee of a shipment, a publisher or a party of a handoff', () => {
    expect(heldBy(pack({ ownerOrgId: 'org-pharmacy' }), PHARMACY)).toBe(true);
    expect(heldBy(pack({ shippedTo: glnOf('4260001', 0) }), PHARMACY)).toBe(true);
    expect(heldBy(pack({}, [{ publisherOrgId: 'org-pharmacy' }]), PHARMACY)).toBe(true);
    const handoff = {
      action: 'ship',
      fromParty: pglnUrn('4260001', 0),
      toParty: null,
    } as HopRecord['custody'];
    expect(heldBy(pack({}, [{ custody: handoff }]), PHARMACY)).toBe(true);
  });

  it('is false for a pack whose whole history is other organisations’', () => {
    const handoff = {
      action: 'ship',
      fromParty: pglnUrn('4012345', 0),
      toParty: pglnUrn('4260002', 0),
    } as HopRecord['custody'];
    expect(heldBy(pack({}, [{ publisherOrgId: 'org-maker', custody: handoff }]), PHARMACY)).toBe(false);
  });
});
