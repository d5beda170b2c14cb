import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { PedigreeConfig } from '@pedigree/config';
import { Client } from 'pg';

/**
 * One ledger writes at a time: nonces of a signing account must be issued in order, so a second ledger instance
 * (rolling deploy, a stray process) waits as a hot standby. The lock is a PostgreSQL session advisory lock, held
 * on a connection of its own and released by PostgreSQL the moment that connection dies — a kill -9 included.
 */
@Injectable()
export class LeaderLockService implements OnApplicationShutdown {
  private readonly logger = new Logger(LeaderLockService.name);
  private client?: Client;
  private held = false;
  private lastAttempt = 0;

  constructor(private readonly config: PedigreeConfig) {}

  /** True while this process holds the lock; tries to take it (at most every 2 s) when it does not. */
  async isLeader(): Promise<boolean> {
    if (this.held) return true;
    if (Date.now() - this.lastAttempt < 2000) return false;
    this.lastAttempt = Date.now();
    try {
      if (!this.client) {
        const client = new Client({
          connectionString: this.config.databaseUrl,
          application_name: 'pedigree-ledger-lock',
        });
        client.on('error', (error) => this.lost(error));
        await client.connect();
        this.client = client;
      }
      const { rows } = await this.client.query<{ locked: boolean }>(
        `SELECT pg_try_advisory_lock(hashtext('pedigree-ledger:' || $1)) AS locked`,
        [this.config.databaseSchema],
      );
      this.held = rows[0]?.locked === true;
      if (this.held) this.logger.log('took the ledger lock: this instance writes to the chain');
      else this.logger.debug('another ledger holds the lock; standing by');
    } catch (error) {
      this.lost(error);
    }
    return this.held;
  }

  private lost(error: unknown): void {
    if (this.held) this.logger.warn({ err: error }, 'lost the ledger lock (database connection dropped)');
    this.held = false;
    const client = this.client;
    this.client = undefined;
    void client?.end().catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    this.held = false;
    await this.client?.end().catch(() => undefined);
  }
}
