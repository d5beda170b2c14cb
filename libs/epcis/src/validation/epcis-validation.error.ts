import { type EpcisIssue, EpcisIssueCode } from './epcis-issue.types';

/**
 * The only error the EPCIS parser, validator and normaliser throw. Bad input never becomes valid by retrying, so
 * consumers dead-letter it; `issues` carry every problem with its code and JSON pointer.
 */
export class EpcisValidationError extends Error {
  /** The code of the first issue, which decides the HTTP status and the dead-letter reason. */
  readonly code: EpcisIssueCode;
  readonly issues: readonly EpcisIssue[];
  readonly retriable = false;
  /** HTTP status an API answers with: 413 for size/count limits, 400 otherwise. */
  readonly status: number;
  /** JSON pointer of the first issue. */
  readonly field?: string;

  constructor(issues: readonly EpcisIssue[], options: { cause?: unknown } = {}) {
    const first: EpcisIssue = issues[0] ?? {
      code: EpcisIssueCode.SCHEMA,
      message: 'invalid EPCIS input',
      field: '',
    };
    const more =
      issues.length > 1 ? ` (and ${issues.length - 1} more issue${issues.length > 2 ? 's' : ''})` : '';
    super(first.message + more, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EpcisValidationError';
    this.code = first.code;
    this.issues = issues.length > 0 ? issues : [first];
    this.field = first.field;
    this.status =
      first.code === EpcisIssueCode.TOO_LARGE || first.code === EpcisIssueCode.TOO_MANY_EVENTS ? 413 : 400;
  }

  static of(
    code: EpcisIssueCode,
    message: string,
    field = '',
    extra: Partial<EpcisIssue> = {},
  ): EpcisValidationError {
    return new EpcisValidationError([{ code, message, field, ...extra }]);
  }
}

export function isEpcisValidationError(error: unknown): error is EpcisValidationError {
  return error instanceof EpcisValidationError;
}
