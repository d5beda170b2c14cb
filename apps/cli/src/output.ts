export interface GlobalOptions {
  api: string;
  key?: string;
  json: boolean;
}

/** Prints JSON for scripts (--json) or the human rendering. */
export function print(options: GlobalOptions, value: unknown, human: () => string): void {
  process.stdout.write(`${options.json ? JSON.stringify(value, null, 2) : human()}\n`);
}
