import { Cron } from 'croner';
import { QueriesErrorCode, QueriesException } from './queries.exception';

export type QuerySchedule = Partial<Record<(typeof FIELDS)[number], string>>;

const FIELDS = ['second', 'minute', 'hour', 'dayOfMonth', 'month', 'dayOfWeek'] as const;
const TIME_FIELDS = ['second', 'minute', 'hour'] as const;
const FIELD_SYNTAX = /^(\*|\d{1,2}(-\d{1,2})?)(\/\d{1,2})?(,(\*|\d{1,2}(-\d{1,2})?)(\/\d{1,2})?)*$/;

/**
 * The cron expression (second precision, UTC) of an EPCIS QuerySchedule. Our reading of an omitted field, written
 * down since EPCIS leaves it to the implementation: a time field less significant than the most significant one
 * given is its minimum (`{hour: '2'}` runs once at 02:00:00, not every second of that hour); any other omitted field
 * is unconstrained. EPCIS numbers weekdays 1 (Monday) to 7 (Sunday); cron counts Sunday as 0 or 7, so they agree.
 */
export function cronOf(schedule: QuerySchedule): string {
  for (const field of FIELDS) {
    const value = schedule[field];
    if (value !== undefined && !FIELD_SYNTAX.test(value.replace(/\s+/g, '')))
      throw invalid(
        field,
        `schedule.${field} "${value.slice(0, 40)}" is not a list of numbers, ranges or */n.`,
      );
  }
  const mostSignificant = [...TIME_FIELDS].reverse().find((f) => schedule[f] !== undefined);
  const rank = mostSignificant === undefined ? -1 : TIME_FIELDS.indexOf(mostSignificant);
  const parts = FIELDS.map((field, index) => {
    const given = schedule[field]?.replace(/\s+/g, '');
    if (given !== undefined) return given;
    return index < 3 && index < rank ? '0' : index === 0 && rank === -1 ? '0' : '*';
  });
  const expression = parts.join(' ');
  try {
    new Cron(expression, { paused: true, timezone: 'UTC' });
  } catch (error) {
    throw invalid('schedule', `schedule is not a valid schedule: ${(error as Error).message.slice(0, 100)}.`);
  }
  return expression;
}

/** The next time a schedule fires after `from`. */
export function nextRun(schedule: QuerySchedule, from: Date): Date {
  const next = new Cron(cronOf(schedule), { paused: true, timezone: 'UTC' }).nextRun(from);
  if (!next) throw invalid('schedule', 'schedule never fires.');
  return next;
}

function invalid(field: string, message: string): QueriesException {
  return new QueriesException(
    QueriesErrorCode.SCHEDULE_INVALID,
    message,
    field === 'schedule' ? field : `schedule.${field}`,
  );
}
