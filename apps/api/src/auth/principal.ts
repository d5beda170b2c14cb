import type { OrganisationRole } from '@pedigree/database';

export type PrincipalRole = OrganisationRole | 'admin';

/** Who is calling: an organisation through one of its API keys, or the consortium admin's bootstrap token. */
export interface Principal {
  role: PrincipalRole;
  organisationId?: string;
  organisationName?: string;
  companyPrefixes: string[];
  glns: string[];
  apiKeyId?: string;
}

/** Roles that may read everything (provenance of any pack, every alert). */
export function readsEverything(principal: Principal): boolean {
  return principal.role === 'admin' || principal.role === 'regulator';
}
