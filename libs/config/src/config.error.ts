/** Thrown at boot when the environment does not describe a valid configuration. Lists every problem at once. */
export class ConfigValidationError extends Error {
  readonly code = 'CONFIG_INVALID';
  readonly retriable = false;

  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n')}\n` +
        'Fix the environment variables above (see the configuration table in README.md).',
    );
    this.name = 'ConfigValidationError';
  }
}
