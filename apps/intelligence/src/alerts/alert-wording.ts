import { type NamedSubject, namedSubjectOf, subjectKey } from '@pedigree/epcis';

/**
 * GS1 keys as the detectors write them into alert text: pack, site and party EPC URNs, and bare GTINs and GLNs (a
 * "GTIN "/"GLN " before one is part of the match). A number inside a URN or a longer number is never taken.
 */
const IDENTIFIER =
  /(urn:epc:id:(?:sgtin|sgln|pgln):[^\s,;()]+)|(?:\b(GTIN|GLN) )?(?<![\w.:/%-])(\d{14}|\d{13})(?!\w)/g;

/**
 * A URN at the end of a sentence carries its full stop; the identifier does not (a serial or a GLN extension may end
 * in a dot, but a sentence's end is the likelier reading).
 */
function withoutTrailingStop(urn: string): [string, string] {
  const stop = /[.:]$/.test(urn) && namedSubjectOf(urn.slice(0, -1)) ? urn.slice(-1) : '';
  return [stop ? urn.slice(0, -1) : urn, stop];
}

/** The products and places a sentence mentions. */
export function subjectsIn(text: string): NamedSubject[] {
  const subjects: NamedSubject[] = [];
  for (const match of text.matchAll(IDENTIFIER)) {
    const identifier = match[1] ? withoutTrailingStop(match[1])[0] : match[3]!;
    const subject = namedSubjectOf(identifier);
    if (subject) subjects.push(subject);
  }
  return subjects;
}

/**
 * The sentence with each product and place a person would rather read by name named, the identifier kept beside it:
 * `urn:epc:id:sgtin:4012345.012345.1001 received at 4260001000003` →
 * `Amoxicillin 500 mg (urn:epc:id:sgtin:4012345.012345.1001) received at Apotheke am Markt (GLN 4260001000003)`.
 * `labels` maps subject keys (`gtin:…`, `gln:…`) to names; what it does not name stays as it was.
 */
export function nameSubjects(text: string, labels: ReadonlyMap<string, string>): string {
  return text.replace(
    IDENTIFIER,
    (whole, urn: string | undefined, keyword: string | undefined, digits: string) => {
      if (urn) {
        const [identifier, stop] = withoutTrailingStop(urn);
        const subject = namedSubjectOf(identifier);
        const label = subject && labels.get(subjectKey(subject));
        return label ? `${label} (${identifier})${stop}` : whole;
      }
      const subject = namedSubjectOf(digits);
      const label = subject && labels.get(subjectKey(subject));
      if (!subject || !label) return whole;
      return `${label} (${keyword ?? (subject.kind === 'product' ? 'GTIN' : 'GLN')} ${digits})`;
    },
  );
}
