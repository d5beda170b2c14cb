/**
 * Master data lookups for the detector: location and party identifiers (SGLN/PGLN URNs or Digital Links) → GLN →
 * site and organisation, distances between sites, and whether two GLNs belong to the same organisation (the
 * rules engine treats a member's sites as one holder, and so must the detector).
 */
import { describeEpc, glnOfLocationOrParty } from '@pedigree/gs1';
import type { DetectorMasterData, SiteRef } from './anomaly.types';

const EARTH_RADIUS_KM = 6371;

export class SiteDirectory {
  private readonly sites = new Map<string, SiteRef>();
  private readonly orgOfGln = new Map<string, string>();
  private readonly primarySite = new Map<string, SiteRef>();
  private readonly prefixes = new Map<string, string>();
  private readonly prefixLengths: number[];
  private readonly glnCache = new Map<string, string | null>();

  constructor(master: DetectorMasterData) {
    for (const site of master.sites) {
      this.sites.set(site.gln, site);
      this.orgOfGln.set(site.gln, site.orgId);
      if (!this.primarySite.has(site.orgId)) this.primarySite.set(site.orgId, site);
    }
    for (const party of master.parties ?? []) this.orgOfGln.set(party.gln, party.orgId);
    for (const { prefix, orgId } of master.prefixes ?? []) this.prefixes.set(prefix, orgId);
    this.prefixLengths = [...new Set([...this.prefixes.keys()].map((p) => p.length))].sort((a, b) => b - a);
  }

  /** GLN behind an SGLN/PGLN URN or Digital Link (cached: the same few hundred locations recur). */
  glnOf(uri: string | undefined): string | undefined {
    if (!uri) return undefined;
    let gln = this.glnCache.get(uri);
    if (gln === undefined) {
      gln = glnOfLocationOrParty(uri) ?? null;
      if (this.glnCache.size > 50_000) this.glnCache.clear();
      this.glnCache.set(uri, gln);
    }
    return gln ?? undefined;
  }

  organisationOf(gln: string | undefined): string | undefined {
    if (!gln) return undefined;
    const direct = this.orgOfGln.get(gln);
    if (direct) return direct;
    for (const length of this.prefixLengths) {
      const owner = this.prefixes.get(gln.slice(0, length));
      if (owner) return owner;
    }
    return undefined;
  }

  /** The members whose GS1 company prefixes the identifiers carry: the brand owners of those packs and cases. */
  brandOwnersOf(epcs: readonly string[]): string[] {
    const owners = new Set<string>();
    for (const epc of epcs.slice(0, 50)) {
      const prefix = describeEpc(epc)?.companyPrefix;
      const owner = prefix ? this.prefixes.get(prefix) : undefined;
      if (owner) owners.add(owner);
    }
    return [...owners];
  }

  /** The site a GLN names; a party GLN resolves to its organisation's first site. */
  site(gln: string | undefined): SiteRef | undefined {
    if (!gln) return undefined;
    const site = this.sites.get(gln);
    if (site) return site;
    const org = this.organisationOf(gln);
    return org ? this.primarySite.get(org) : undefined;
  }

  /** Site GLN for a location or party URI (parties map to their primary site). */
  siteGlnOf(uri: string | undefined): string | undefined {
    const gln = this.glnOf(uri);
    return gln ? (this.site(gln)?.gln ?? gln) : undefined;
  }

  sameHolder(a: string | undefined, b: string | undefined): boolean {
    if (!a || !b) return false;
    if (a === b) return true;
    const orgA = this.organisationOf(a);
    return orgA !== undefined && orgA === this.organisationOf(b);
  }

  /** Great-circle km between two sites, undefined when either has no coordinates. */
  distanceKm(a: string | undefined, b: string | undefined): number | undefined {
    const sa = this.site(a);
    const sb = this.site(b);
    if (
      !sa ||
      !sb ||
      sa.lat === undefined ||
      sa.lon === undefined ||
      sb.lat === undefined ||
      sb.lon === undefined
    )
      return undefined;
    const rad = Math.PI / 180;
    const dLat = (sb.lat - sa.lat) * rad;
    const dLon = (sb.lon - sa.lon) * rad;
    const h =
      Math.sin(dLat / 2) ** 2 + Math.cos(sa.lat * rad) * Math.cos(sb.lat * rad) * Math.sin(dLon / 2) ** 2;
    return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  roleOf(gln: string | undefined): string | undefined {
    return this.site(gln)?.role;
  }

  regionOf(gln: string | undefined): string | undefined {
    return this.site(gln)?.region;
  }

  countryOf(gln: string | undefined): string | undefined {
    return this.site(gln)?.country;
  }
}
