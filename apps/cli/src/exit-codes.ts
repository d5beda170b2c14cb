/** Exit codes scripts can rely on (sysexits.h where one fits). */
export const ExitCode = {
  OK: 0,
  /** The answer is negative: a pack not verified, documents rejected. */
  NEGATIVE: 1,
  /** Not final yet: verification pending (anchoring under way), captures still running. */
  PENDING: 2,
  USAGE: 64,
  DATA_ERROR: 65,
  NO_INPUT: 66,
  UNAVAILABLE: 69,
  NO_PERMISSION: 77,
  CONFIG: 78,
} as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    /** What the user can do about it. */
    readonly hint?: string,
  ) {
    super(message);
  }
}
