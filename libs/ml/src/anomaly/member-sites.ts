/**
 * The detector's master data from members as the registry holds them (the `organisations` table): the service
 * builds it from PostgreSQL and the offline evaluation from the simulated members exactly as `pedigree simulate`
 * registers them, so both resolve identifiers the same way.
 */
import type { DetectorMasterData, SiteRef } from './anomaly.types';

/** A registered member: one role, region and position for all its GLNs. */
export interface MemberRecord {
  id: string;
  /** The trade's role (manufacturer, wholesaler, pharmacy, ...). */
  role: string;
  region?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  /** The party's own GLN and its locations' GLNs, in registration order. */
  glns: readonly string[];
  companyPrefixes: readonly string[];
}

/**
 * One site per member, keyed by its first GLN; every GLN of the member resolves to it. The registry holds one
 * position per member, so its party GLN and its locations are one place. Keyed apart, a pharmacy's receipts
 * (addressed to its party) and its dispensing (at its location) were counted at two sites: every delivery read as
 * months of stock nobody sells, and the demo raised diversion alerts on ordinary orders (2026-12-06).
 */
export function detectorMasterDataOf(members: readonly MemberRecord[]): DetectorMasterData {
  const sites: SiteRef[] = [];
  for (const member of members) {
    const gln = member.glns[0];
    if (!gln) continue;
    sites.push({
      gln,
      orgId: member.id,
      role: member.role,
      ...(member.region ? { region: member.region, country: member.region.slice(0, 2) } : {}),
      ...(typeof member.latitude === 'number' && typeof member.longitude === 'number'
        ? { lat: member.latitude, lon: member.longitude }
        : {}),
    });
  }
  return {
    sites,
    parties: members.flatMap((m) => m.glns.map((gln) => ({ gln, orgId: m.id }))),
    prefixes: members.flatMap((m) => m.companyPrefixes.map((prefix) => ({ prefix, orgId: m.id }))),
  };
}
