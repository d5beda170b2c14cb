import { Injectable } from '@nestjs/common';
import {
  masterDataIdsOf,
  type NamedSubject,
  namedSubjectOf,
  preferredStatement,
  subjectKey,
  subjectNameOf,
} from '@pedigree/epcis';
import type { Principal } from '../auth/principal';
import type { IdentifierNameDto, IdentifierNames } from './dto/identifier-name.dto';
import { MasterDataRepository, type NamingStatement, type RegisteredGln } from './master-data.repository';

/** Names change rarely and lists are read often: a minute of staleness is fine (as the verification's product cache). */
const NAME_TTL_MS = 60_000;
const NAME_CACHE_SIZE = 20_000;

type Found = Map<string, IdentifierNameDto | null>;

/**
 * Names for the GS1 keys a response shows (GTINs, packs, GLNs, SGLN and PGLN URNs): the product or place as master
 * data states it, for one reader. The owner's statement wins; else the reader's organisation's own; a GLN nobody
 * describes is named after the member registered with it. One lookup per response for what is not cached.
 */
@Injectable()
export class IdentifierNamesService {
  private readonly cache = new Map<string, { at: number; name: IdentifierNameDto | null }>();

  constructor(private readonly repository: MasterDataRepository) {}

  async namesOf(
    identifiers: Iterable<string | null | undefined>,
    principal: Principal,
  ): Promise<IdentifierNames> {
    const subjects = new Map<string, NamedSubject>();
    for (const identifier of identifiers) {
      if (!identifier || subjects.has(identifier)) continue;
      const subject = namedSubjectOf(identifier);
      if (subject) subjects.set(identifier, subject);
    }
    if (subjects.size === 0) return {};
    const found = await this.lookUp([...subjects.values()], principal.organisationId);
    const names: IdentifierNames = {};
    for (const [identifier, subject] of subjects) {
      const name = found.get(subjectKey(subject));
      if (name) names[identifier] = name;
    }
    return names;
  }

  private async lookUp(subjects: NamedSubject[], reader: string | undefined): Promise<Found> {
    const now = Date.now();
    const found: Found = new Map();
    const missing = new Map<string, NamedSubject>();
    for (const subject of subjects) {
      const key = subjectKey(subject);
      const cached = this.cache.get(`${reader ?? ''}|${key}`);
      if (cached && now - cached.at < NAME_TTL_MS) found.set(key, cached.name);
      else missing.set(key, subject);
    }
    if (missing.size === 0) return found;
    const fresh = await this.read([...missing.values()], reader);
    if (this.cache.size + missing.size > NAME_CACHE_SIZE) this.cache.clear();
    for (const key of missing.keys()) {
      const name = fresh.get(key) ?? null;
      found.set(key, name);
      this.cache.set(`${reader ?? ''}|${key}`, { at: now, name });
    }
    return found;
  }

  private async read(subjects: NamedSubject[], reader: string | undefined): Promise<Found> {
    const glns = subjects.flatMap((s) => (s.kind === 'location' ? [s.gln] : []));
    const { statements, registered } = await this.repository.naming(
      subjects.flatMap(masterDataIdsOf),
      glns,
      reader,
    );
    return namesFrom(subjects, statements, registered, reader);
  }
}

/**
 * Each subject's name for a reader: from the statement `preferredStatement` picks among those that name it, else
 * (a place) from the member registered with its GLN.
 */
export function namesFrom(
  subjects: NamedSubject[],
  statements: NamingStatement[],
  registered: RegisteredGln[],
  reader: string | undefined,
): Found {
  const bySubject = new Map<string, NamingStatement[]>();
  for (const statement of statements) {
    const subject = namedSubjectOf(statement.id);
    if (!subject) continue;
    const key = subjectKey(subject);
    bySubject.set(key, [...(bySubject.get(key) ?? []), statement]);
  }
  const names: Found = new Map();
  for (const subject of subjects) {
    const key = subjectKey(subject);
    const naming = (bySubject.get(key) ?? []).filter((s) => subjectNameOf(subject.kind, s.attributes));
    const chosen = preferredStatement(naming, reader);
    const keyField = subject.kind === 'product' ? { gtin: subject.gtin } : { gln: subject.gln };
    if (chosen) {
      const name = subjectNameOf(subject.kind, chosen.attributes)!;
      names.set(key, { ...name, ...keyField, source: chosen.authoritative ? 'owner' : 'own' });
      continue;
    }
    const member = subject.kind === 'location' ? registered.find((r) => r.gln === subject.gln) : undefined;
    if (member)
      names.set(key, {
        kind: 'location',
        label: member.name,
        name: member.name,
        ...keyField,
        source: 'registry',
      });
  }
  return names;
}
