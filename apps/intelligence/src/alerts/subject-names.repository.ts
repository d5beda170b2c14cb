import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { MasterDataEntity, OrganisationEntity } from '@pedigree/database';
import { ArrayOverlap, DataSource } from 'typeorm';

/** A GLN and the name of the member registered with it. */
export interface RegisteredGln {
  gln: string;
  name: string;
}

/** What names the products and places alert text mentions: owners' master data, and the members' registry. */
@Injectable()
export class SubjectNamesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The owners' statements about these identifiers. Alert text is read by every member an alert concerns and by
   * regulators, so only the owner's word may name anything in it, never one member's own view.
   */
  ownerStatements(ids: string[]): Promise<MasterDataEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    // One array parameter, however many spellings (IN (...) would take one parameter each).
    return this.dataSource
      .getRepository(MasterDataEntity)
      .createQueryBuilder('m')
      .where('m.id = ANY(:ids)', { ids })
      .andWhere('m.authoritative')
      .getMany();
  }

  /** The members registered with these GLNs. */
  async registered(glns: string[]): Promise<RegisteredGln[]> {
    if (glns.length === 0) return [];
    const members = await this.dataSource
      .getRepository(OrganisationEntity)
      .find({ select: { name: true, glns: true }, where: { glns: ArrayOverlap(glns) } });
    return members.flatMap((m) =>
      m.glns.filter((gln) => glns.includes(gln)).map((gln) => ({ gln, name: m.name })),
    );
  }
}
