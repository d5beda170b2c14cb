import type { Problem } from './types';

/** An API failure with the problem+json body the API answered (or one made up for a network failure). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly field: string | undefined;

  constructor(problem: Problem) {
    super(problem.detail || problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.code = problem.code;
    this.title = problem.title;
    this.detail = problem.detail;
    this.field = problem.field;
  }

  get forbidden(): boolean {
    return this.status === 403;
  }

  get notFound(): boolean {
    return this.status === 404;
  }

  get unauthorized(): boolean {
    return this.status === 401;
  }

  static network(cause: unknown): ApiError {
    const message = cause instanceof Error ? cause.message : String(cause);
    return new ApiError({
      type: 'about:blank',
      title: 'The API cannot be reached',
      status: 0,
      detail: `The API cannot be reached (${message}). Check your connection and try again.`,
      code: 'NETWORK_ERROR',
    });
  }
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/** Reads an error response: problem+json if it is one, else a problem made from the status line. */
export async function problemOf(response: Response): Promise<Problem> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as Partial<Problem>;
    if (body && typeof body === 'object') {
      return {
        type: body.type ?? 'about:blank',
        title: body.title ?? response.statusText ?? 'Error',
        status: body.status ?? response.status,
        detail: body.detail ?? body.title ?? `The API answered ${response.status}.`,
        code: body.code ?? `HTTP_${response.status}`,
        ...(body.field ? { field: body.field } : {}),
      };
    }
  } catch {
    // not JSON: fall through
  }
  return {
    type: 'about:blank',
    title: response.statusText || 'Error',
    status: response.status,
    detail: `The API answered ${response.status} ${response.statusText}.`.trim(),
    code: `HTTP_${response.status}`,
  };
}
