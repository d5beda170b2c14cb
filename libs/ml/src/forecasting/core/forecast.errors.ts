/** Codes a caller (the CLI, an API) can branch on without parsing messages. */
export type ForecastInputErrorCode =
  | 'EMPTY_INPUT'
  | 'MISSING_HEADER'
  | 'BAD_ROW'
  | 'BAD_DATE'
  | 'BAD_VALUE'
  | 'DUPLICATE_ROW'
  | 'BAD_FREQUENCY'
  | 'MISALIGNED_DATE'
  | 'MISSING_PERIOD'
  | 'SERIES_TOO_SHORT'
  | 'BAD_OPTION';

/** Bad forecasting input: never worth retrying, always names the line or the series when there is one. */
export class ForecastInputError extends Error {
  readonly retriable = false;
  readonly line?: number;
  readonly seriesId?: string;

  constructor(
    readonly code: ForecastInputErrorCode,
    message: string,
    details: { line?: number; seriesId?: string } = {},
  ) {
    super(message);
    this.name = 'ForecastInputError';
    this.line = details.line;
    this.seriesId = details.seriesId;
  }
}
