import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** API keys with an open high verification-harvesting alert, and that alert's id. */
@Injectable()
export class SuspectKeysRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async open(): Promise<Map<string, string>> {
    const rows: { key: string; id: string }[] = await this.dataSource.query(
      `SELECT evidence->>'apiKeyId' AS key, id FROM alerts
        WHERE kind = 'verification_harvesting' AND status <> 'resolved' AND severity IN ('high', 'critical')
          AND evidence ? 'apiKeyId'`,
    );
    return new Map(rows.map((r) => [r.key, String(r.id)]));
  }
}
