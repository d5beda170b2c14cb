import { Injectable, Logger } from '@nestjs/common';
import {
  masterDataIdsOf,
  type NamedSubject,
  namedSubjectOf,
  preferredStatement,
  subjectKey,
  subjectNameOf,
} from '@pedigree/epcis';
import type { AlertCandidate } from './alerts.repository';
import { nameSubjects, subjectsIn } from './alert-wording';
import { SubjectNamesRepository } from './subject-names.repository';

/** Names change rarely and detectors repeat the same products and sites: a minute of staleness is fine. */
const NAME_TTL_MS = 60_000;
const NAME_CACHE_SIZE = 20_000;

/**
 * Words alerts for people: the products and places an alert's sentence mentions by GS1 key are named from their
 * owners' master data (a place nobody describes, after the member registered with its GLN), the key kept beside the
 * name. What cannot be named stays an identifier; naming never holds an alert back.
 */
@Injectable()
export class AlertWordingService {
  private readonly logger = new Logger(AlertWordingService.name);
  private readonly cache = new Map<string, { at: number; label: string | undefined }>();

  constructor(private readonly repository: SubjectNamesRepository) {}

  async word(candidates: AlertCandidate[]): Promise<AlertCandidate[]> {
    try {
      const labels = await this.labels(candidates.flatMap((c) => subjectsIn(c.summary)));
      if (labels.size === 0) return candidates;
      return candidates.map((c) => ({ ...c, summary: nameSubjects(c.summary, labels) }));
    } catch (error) {
      this.logger.warn(
        { err: error },
        'cannot name the products and places in alerts; they keep their identifiers',
      );
      return candidates;
    }
  }

  /** Subject key → label, for the subjects that have one; one lookup for what is not cached. */
  private async labels(subjects: NamedSubject[]): Promise<Map<string, string>> {
    const now = Date.now();
    const labels = new Map<string, string>();
    const missing = new Map<string, NamedSubject>();
    for (const subject of subjects) {
      const key = subjectKey(subject);
      const cached = this.cache.get(key);
      if (cached && now - cached.at < NAME_TTL_MS) {
        if (cached.label) labels.set(key, cached.label);
      } else missing.set(key, subject);
    }
    if (missing.size === 0) return labels;
    const fresh = await this.read([...missing.values()]);
    if (this.cache.size + missing.size > NAME_CACHE_SIZE) this.cache.clear();
    for (const key of missing.keys()) {
      const label = fresh.get(key);
      this.cache.set(key, { at: now, label });
      if (label) labels.set(key, label);
    }
    return labels;
  }

  private async read(subjects: NamedSubject[]): Promise<Map<string, string>> {
    const glns = subjects.flatMap((s) => (s.kind === 'location' ? [s.gln] : []));
    const [statements, registered] = await Promise.all([
      this.repository.ownerStatements(subjects.flatMap(masterDataIdsOf)),
      this.repository.registered(glns),
    ]);
    const labels = new Map<string, string>();
    for (const subject of subjects) {
      const key = subjectKey(subject);
      const naming = statements.filter((s) => {
        const about = namedSubjectOf(s.id);
        return about && subjectKey(about) === key && subjectNameOf(subject.kind, s.attributes);
      });
      // No reader: the text is shared, so only an owner's statement counts.
      const owner = preferredStatement(naming, undefined);
      const label = owner
        ? subjectNameOf(subject.kind, owner.attributes)!.label
        : subject.kind === 'location'
          ? registered.find((r) => r.gln === subject.gln)?.name
          : undefined;
      if (label) labels.set(key, label);
    }
    return labels;
  }
}
