import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The repository root, found from this file (works from sources and from dist/). */
export function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'nest-cli.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the repository root (nest-cli.json)');
    dir = parent;
  }
  return dir;
}

/** Third-party conformance data, read in place from the shared folder beside the repository. */
export function conformanceDir(...parts: string[]): string {
  return resolve(repoRoot(), '..', 'shared', 'conformance', ...parts);
}
