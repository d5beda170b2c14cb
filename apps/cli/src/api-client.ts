import { CliError, ExitCode } from './exit-codes';

export interface ApiOptions {
  api: string;
  key?: string;
}

export interface Problem {
  code?: string;
  detail?: string;
  field?: string;
  status?: number;
}

/** Calls the Pedigree API; turns transport failures and problem documents into CliErrors that say what to do. */
export async function callApi<T>(
  options: ApiOptions,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  if (!options.key) {
    throw new CliError(
      'No API key.',
      ExitCode.CONFIG,
      'Pass --key pdg_… or set PEDIGREE_API_KEY (ask your consortium admin for a key).',
    );
  }
  let response: Response;
  try {
    response = await fetch(new URL(path, options.api), {
      method,
      headers: {
        authorization: `Bearer ${options.key}`,
        ...(body === undefined ? {} : { 'content-type': headers['content-type'] ?? 'application/json' }),
        ...headers,
      },
      body:
        body === undefined
          ? undefined
          : typeof body === 'string' || Buffer.isBuffer(body)
            ? body
            : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new CliError(
      `Cannot reach the Pedigree API at ${options.api} (${(error as Error).message}).`,
      ExitCode.UNAVAILABLE,
      'Check --api / PEDIGREE_API_URL, and that the API runs (npm run demo starts one on http://127.0.0.1:3000).',
    );
  }
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  if (response.status === 401)
    throw new CliError(
      'The API key was refused.',
      ExitCode.NO_PERMISSION,
      'Check the key; it may be revoked.',
    );
  if (response.status === 403) {
    throw new CliError(
      (parsed as Problem | undefined)?.detail ?? 'Your role may not do this.',
      ExitCode.NO_PERMISSION,
    );
  }
  if (response.status >= 500) {
    throw new CliError(
      `The API failed (${response.status}): ${(parsed as Problem | undefined)?.detail ?? text.slice(0, 200)}`,
      ExitCode.UNAVAILABLE,
      'Retry later.',
    );
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}
