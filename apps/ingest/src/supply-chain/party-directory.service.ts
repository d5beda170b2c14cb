import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { MemberDirectory, type PartyResolver } from '@pedigree/supply-chain';
import { DataSource } from 'typeorm';

/**
 * Member organisations by GLN and company prefix, cached in memory (refreshed every few seconds) because the
 * rules consult it for every event of every batch. The lookups are `MemberDirectory`'s, shared with the evaluation.
 */
@Injectable()
export class PartyDirectory implements PartyResolver {
  private static readonly TTL_MS = 5000;
  private readonly logger = new Logger(PartyDirectory.name);
  private directory = new MemberDirectory([]);
  private loadedAt = 0;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async refreshIfStale(): Promise<void> {
    if (Date.now() - this.loadedAt < PartyDirectory.TTL_MS) return;
    await this.refresh();
  }

  /**
   * A signer or publisher this directory does not know may be a member registered a moment ago: reload, at most once
   * a second, before refusing it. `wait`: when the last load is younger than that, wait for the second to pass (for
   * a publisher the trusted API relay vouches for, it did just check that member's key). True when it reloaded.
   */
  async refreshForUnknownParty(wait: boolean): Promise<boolean> {
    const age = Date.now() - this.loadedAt;
    if (age < 1_000) {
      if (!wait) return false;
      await new Promise((resolve) => setTimeout(resolve, 1_000 - age));
    }
    await this.refresh();
    return true;
  }

  async refresh(): Promise<void> {
    const rows: {
      id: string;
      role: string;
      glns: string[];
      company_prefixes: string[];
      signing_addresses: string[];
    }[] = await this.dataSource.query(
      `SELECT id, role, glns, company_prefixes, signing_addresses FROM organisations WHERE active`,
    );
    this.directory = new MemberDirectory(
      rows.map((row) => ({
        id: row.id,
        role: row.role,
        glns: row.glns,
        companyPrefixes: row.company_prefixes,
        signingAddresses: row.signing_addresses,
      })),
    );
    this.loadedAt = Date.now();
    this.logger.debug(`loaded ${rows.length} organisations`);
  }

  glnOf(uri: string): string | undefined {
    return this.directory.glnOf(uri);
  }

  organisationOfGln(gln: string): string | undefined {
    return this.directory.organisationOfGln(gln);
  }

  /** See `MemberDirectory.companyPrefixLength`. */
  companyPrefixLength(prefixed: string, ai: string): number | undefined {
    return this.directory.companyPrefixLength(prefixed, ai);
  }

  organisationOfPrefix(prefix: string): string | undefined {
    return this.directory.organisationOfPrefix(prefix);
  }

  organisationOfSigner(address: string): string | undefined {
    return this.directory.organisationOfSigner(address);
  }

  isActiveMember(orgId: string): boolean {
    return this.directory.isActiveMember(orgId);
  }

  isRegulator(orgId: string): boolean {
    return this.directory.isRegulator(orgId);
  }
}
