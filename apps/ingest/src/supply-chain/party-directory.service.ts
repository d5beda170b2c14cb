import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { companyPrefixResolver, type CompanyPrefixResolver, glnOfLocationOrParty } from '@pedigree/gs1';
import { DataSource } from 'typeorm';
import type { PartyResolver } from '@pedigree/supply-chain';

/**
 * Member organisations by GLN and company prefix, cached in memory (refreshed every few seconds) because the
 * rules consult it for every event of every batch.
 */
@Injectable()
export class PartyDirectory implements PartyResolver {
  private static readonly TTL_MS = 5000;
  private readonly logger = new Logger(PartyDirectory.name);
  private byGln = new Map<string, string>();
  private byPrefix = new Map<string, string>();
  private regulators = new Set<string>();
  private bySigner = new Map<string, string>();
  private members = new Set<string>();
  private prefixLengths: number[] = [];
  private prefixResolver: CompanyPrefixResolver = () => undefined;
  private loadedAt = 0;
  private readonly glnCache = new Map<string, string | null>();

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
    this.members = new Set(rows.map((row) => row.id));
    this.bySigner = new Map(
      rows.flatMap((row) => row.signing_addresses.map((address) => [address.toLowerCase(), row.id] as const)),
    );
    const byGln = new Map<string, string>();
    const byPrefix = new Map<string, string>();
    this.regulators = new Set(rows.filter((row) => row.role === 'regulator').map((row) => row.id));
    for (const row of rows) {
      for (const gln of row.glns) byGln.set(gln, row.id);
      for (const prefix of row.company_prefixes) byPrefix.set(prefix, row.id);
    }
    this.byGln = byGln;
    this.byPrefix = byPrefix;
    this.prefixLengths = [...new Set([...byPrefix.keys()].map((p) => p.length))].sort((a, b) => b - a);
    this.prefixResolver = companyPrefixResolver([...byPrefix.keys()].filter((p) => /^\d{6,12}$/.test(p)));
    this.loadedAt = Date.now();
    this.logger.debug(`loaded ${rows.length} organisations`);
  }

  glnOf(uri: string): string | undefined {
    let gln = this.glnCache.get(uri);
    if (gln === undefined) {
      gln = glnOfLocationOrParty(uri) ?? null;
      if (this.glnCache.size > 100_000) this.glnCache.clear();
      this.glnCache.set(uri, gln);
    }
    return gln ?? undefined;
  }

  organisationOfGln(gln: string): string | undefined {
    const direct = this.byGln.get(gln);
    if (direct) return direct;
    // A site GLN not listed explicitly still belongs to the owner of its company prefix.
    for (const length of this.prefixLengths) {
      const owner = this.byPrefix.get(gln.slice(0, length));
      if (owner) return owner;
    }
    return undefined;
  }

  /**
   * The length of the registered GS1 Company Prefix a key starts with (a Digital Link does not say where its prefix
   * ends; the registered prefixes do). See `CompanyPrefixResolver` for `prefixed`.
   */
  companyPrefixLength(prefixed: string, ai: string): number | undefined {
    return this.prefixResolver(prefixed, ai);
  }

  organisationOfPrefix(prefix: string): string | undefined {
    return this.byPrefix.get(prefix);
  }

  /** The active member whose registered key this is (lower-case address). */
  organisationOfSigner(address: string): string | undefined {
    return this.bySigner.get(address);
  }

  isActiveMember(orgId: string): boolean {
    return this.members.has(orgId);
  }

  isRegulator(orgId: string): boolean {
    return this.regulators.has(orgId);
  }
}
