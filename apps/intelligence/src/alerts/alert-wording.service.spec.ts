import { Logger } from '@nestjs/common';
import type { MasterDataEntity } from '@pedigree/database';
import type { AlertCandidate } from './alerts.repository';
import { AlertWordingService } from './alert-wording.service';
import type { RegisteredGln, SubjectNamesRepository } from './subject-names.repository';

const pack = 'urn:epc:id:sgtin:4012345.012345.1001';

function candidate(summary: string): AlertCandidate {
  return {
    dedupeKey: `k:${summary}`,
    kind: 'reappearance',
    severity: 'high',
    score: 0.9,
    epcs: [pack],
    gtin: '04012345123456',
    lot: null,
    summary,
    evidence: { eventHashes: [], rules: [] },
    orgIds: [],
  };
}

function owner(id: string, attributes: Record<string, string>): MasterDataEntity {
  return {
    vocabularyType: 'urn:epcglobal:epcis:vtype:EPCClass',
    id,
    organisationId: 'maker',
    authoritative: true,
    attributes: Object.fromEntries(
      Object.entries(attributes).map(([k, v]) => [`urn:epcglobal:cbv:mda#${k}`, v]),
    ),
    children: [],
    updatedAt: new Date(),
  };
}

function repositoryOf(statements: MasterDataEntity[], registered: RegisteredGln[]) {
  const calls: string[][] = [];
  const repository = {
    ownerStatements(ids: string[]) {
      calls.push(ids);
      return Promise.resolve(statements.filter((s) => ids.includes(s.id)));
    },
    registered(glns: string[]) {
      return Promise.resolve(registered.filter((r) => glns.includes(r.gln)));
    },
  };
  return { repository: repository as unknown as SubjectNamesRepository, calls };
}

describe('AlertWordingService', () => {
  it('names the product from its owner’s master data and the pharmacy from the registry, in one lookup', async () => {
    const { repository, calls } = repositoryOf(
      [
        owner('urn:epc:idpat:sgtin:4012345.012345.*', {
          regulatedProductName: 'Amoxicillin',
          strengthDescription: '500 mg',
        }),
      ],
      [{ gln: '4260001000003', name: 'Apotheke am Markt' }],
    );
    const [first, second] = await new AlertWordingService(repository).word([
      candidate(`${pack} dispensed at 4260001000003 after it was dispensed at 5600001000006`),
      candidate(`${pack} was never commissioned`),
    ]);
    expect(first!.summary).toBe(
      `Amoxicillin 500 mg (${pack}) dispensed at Apotheke am Markt (GLN 4260001000003) after it was dispensed at 5600001000006`,
    );
    expect(second!.summary).toBe(`Amoxicillin 500 mg (${pack}) was never commissioned`);
    expect(calls).toHaveLength(1);
  });

  it('asks again only after a minute', async () => {
    const { repository, calls } = repositoryOf([], []);
    const service = new AlertWordingService(repository);
    await service.word([candidate(`${pack} was never commissioned`)]);
    await service.word([candidate(`${pack} was never commissioned`)]);
    expect(calls).toHaveLength(1);
  });

  it('keeps the identifiers when master data cannot be read', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const repository = {
      ownerStatements: () => Promise.reject(new Error('connection refused')),
      registered: () => Promise.resolve([]),
    } as unknown as SubjectNamesRepository;
    const alerts = [candidate(`${pack} was never commissioned`)];
    expect(await new AlertWordingService(repository).word(alerts)).toEqual(alerts);
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });
});
