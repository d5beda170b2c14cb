import { companyPrefixResolver, type CompanyPrefixResolver, glnOfLocationOrParty } from '@pedigree/gs1';
import type { PartyResolver } from '../supply-chain-engine';

/** One active member as the `organisations` table (or a simulated network) describes it. */
export interface MemberRecord {
  id: string;
  role: string;
  glns: readonly string[];
  companyPrefixes: readonly string[];
  signingAddresses?: readonly string[];
}

/**
 * Who is who, as ingest's rules ask it: members by GLN, company prefix and signing key. One implementation for the
 * ingest service (loaded from the database, see PartyDirectory) and the offline evaluation (from simulated master
 * data), so both decide with the same lookups.
 */
export class MemberDirectory implements PartyResolver {
  private readonly byGln = new Map<string, string>();
  private readonly byPrefix = new Map<string, string>();
  private readonly bySigner = new Map<string, string>();
  private readonly members = new Set<string>();
  private readonly regulators = new Set<string>();
  private readonly prefixLengths: number[];
  private readonly prefixResolver: CompanyPrefixResolver;
  private readonly glnCache = new Map<string, string | null>();

  constructor(records: readonly MemberRecord[]) {
    for (const record of records) {
      this.members.add(record.id);
      if (record.role === 'regulator') this.regulators.add(record.id);
      for (const gln of record.glns) this.byGln.set(gln, record.id);
      for (const prefix of record.companyPrefixes) this.byPrefix.set(prefix, record.id);
      for (const address of record.signingAddresses ?? [])
        this.bySigner.set(address.toLowerCase(), record.id);
    }
    this.prefixLengths = [...new Set([...this.byPrefix.keys()].map((p) => p.length))].sort((a, b) => b - a);
    this.prefixResolver = companyPrefixResolver(
      [...this.byPrefix.keys()].filter((p) => /^\d{6,12}$/.test(p)),
    );
  }

  get size(): number {
    return this.members.size;
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
