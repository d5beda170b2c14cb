import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { MasterDataEntity } from '@pedigree/database';
import { DataSource } from 'typeorm';

/** Owners' statements that give a storage temperature (GS1 Web Vocabulary terms, any of the vocabulary's bases). */
@Injectable()
export class StorageRangeRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  statements(): Promise<Pick<MasterDataEntity, 'id' | 'attributes'>[]> {
    return this.dataSource.query(
      `SELECT id, attributes FROM master_data
        WHERE authoritative AND vocabulary_type LIKE '%EPCClass'
          AND EXISTS (SELECT 1 FROM jsonb_object_keys(attributes) k WHERE k ~ '/voc/(minimum|maximum)Temperature$')`,
    );
  }
}
