import { LruMap } from './lru-map';

const WEEK_MS = 7 * 86_400_000;

/** Unusual weeks of one pharmacy next to each other: one incident, reported as one alert. */
export interface SpikeRun {
  /** The subject of the run's alert: the pharmacy and its first unusual week, as a lone week's alert has. */
  subject: string;
  firstWeek: string;
  lastWeek: string;
  epcs: string[];
}

const weekMs = (week: string) => Date.parse(`${week}T00:00:00Z`);

/**
 * A grey-market spike that lasts three weeks raised three alerts, one per pharmacy-week, for one thing to look into.
 * A week flagged next to a pharmacy's last run (within a week of its first or last week) joins it: the run's alert
 * grows with the week's packs. A week further away starts a new run.
 */
export class SpikeRuns {
  private readonly runs = new LruMap<string, SpikeRun>(10_000);

  note(site: string, week: string, epcs: readonly string[]): SpikeRun {
    const run = this.runs.get(site);
    const t = weekMs(week);
    const joins =
      run !== undefined && t >= weekMs(run.firstWeek) - WEEK_MS && t <= weekMs(run.lastWeek) + WEEK_MS;
    const next: SpikeRun = joins
      ? {
          subject: run.subject,
          firstWeek: t < weekMs(run.firstWeek) ? week : run.firstWeek,
          lastWeek: t > weekMs(run.lastWeek) ? week : run.lastWeek,
          epcs: [...new Set([...run.epcs, ...epcs])],
        }
      : { subject: `${site}:${week}`, firstWeek: week, lastWeek: week, epcs: [...epcs] };
    this.runs.set(site, next);
    return next;
  }

  runOf(site: string): SpikeRun | undefined {
    return this.runs.get(site);
  }

  /** The site's run ends (its alert was withdrawn): a later unusual week starts a new one. */
  forget(site: string): void {
    this.runs.delete(site);
  }

  snapshot(): [string, SpikeRun][] {
    return [...this.runs.entries()];
  }

  restore(entries: readonly [string, SpikeRun][]): void {
    for (const [site, run] of entries) this.runs.set(site, run);
  }
}
