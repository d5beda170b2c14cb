import { ApiError, problemOf } from './api-error';
import type {
  Alert,
  AlertDetail,
  AlertPage,
  AlertQuery,
  AlertsSummary,
  Forecasts,
  Me,
  ModelAudit,
  ModelSummary,
  Overview,
  Provenance,
  ShipmentPage,
  ShipmentQuery,
  VerifyResult,
} from './types';

type QueryValue = string | number | boolean | undefined | null;

export function queryString(params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '' || value === false) continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export interface RequestOptions {
  signal?: AbortSignal;
}

/**
 * The typed Pedigree API client. Every call sends `Authorization: Bearer <key>`; every failure is thrown as an
 * {@link ApiError} carrying the problem+json `detail` to show. A 401 is also reported to `onUnauthorized` (the key
 * was revoked or the organisation deactivated), so that the app can sign out.
 */
export class ApiClient {
  constructor(
    private readonly key: string,
    private readonly onUnauthorized: (error: ApiError) => void = () => undefined,
    private readonly baseUrl = '',
  ) {}

  private async request<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    options: RequestOptions = {},
  ): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.key}`,
          accept: 'application/json, application/problem+json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: options.signal,
        cache: 'no-store',
      });
    } catch (cause) {
      if (options.signal?.aborted) throw cause;
      throw ApiError.network(cause);
    }
    if (!response.ok) {
      const error = new ApiError(await problemOf(response));
      if (error.unauthorized) this.onUnauthorized(error);
      throw error;
    }
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  me(options?: RequestOptions): Promise<Me> {
    return this.request('GET', '/v1/me', undefined, options);
  }

  overview(options?: RequestOptions): Promise<Overview> {
    return this.request('GET', '/v1/stats/overview', undefined, options);
  }

  shipments(query: ShipmentQuery, options?: RequestOptions): Promise<ShipmentPage> {
    return this.request('GET', `/v1/shipments${queryString({ limit: 100, ...query })}`, undefined, options);
  }

  alerts(query: AlertQuery, options?: RequestOptions): Promise<AlertPage> {
    return this.request('GET', `/v1/alerts${queryString({ limit: 50, ...query })}`, undefined, options);
  }

  alertsSummary(options?: RequestOptions): Promise<AlertsSummary> {
    return this.request('GET', '/v1/alerts/summary', undefined, options);
  }

  alert(id: string, options?: RequestOptions): Promise<AlertDetail> {
    return this.request('GET', `/v1/alerts/${encodeURIComponent(id)}`, undefined, options);
  }

  acknowledgeAlert(id: string, comment: string): Promise<Alert> {
    return this.request('POST', `/v1/alerts/${encodeURIComponent(id)}/acknowledge`, { comment });
  }

  resolveAlert(id: string, comment: string): Promise<Alert> {
    return this.request('POST', `/v1/alerts/${encodeURIComponent(id)}/resolve`, { comment });
  }

  verify(barcode: string, options?: RequestOptions): Promise<VerifyResult> {
    return this.request('POST', '/v1/verify', { barcode }, options);
  }

  /** `id` is an EPC URN or a GS1 Digital Link; it is URL-encoded as one path segment. */
  provenance(id: string, options?: RequestOptions): Promise<Provenance> {
    return this.request('GET', `/v1/provenance/${encodeURIComponent(id)}`, undefined, options);
  }

  forecasts(query: { gtin?: string; region?: string }, options?: RequestOptions): Promise<Forecasts> {
    return this.request('GET', `/v1/forecasts${queryString(query)}`, undefined, options);
  }

  models(options?: RequestOptions): Promise<ModelSummary[]> {
    return this.request('GET', '/v1/models', undefined, options);
  }

  /** One model's card, stored weights and anchor proof (the weights make it large: ask for one at a time). */
  model(name: string, version: string, options?: RequestOptions): Promise<ModelAudit> {
    return this.request(
      'GET',
      `/v1/models/${encodeURIComponent(name)}/${encodeURIComponent(version)}`,
      undefined,
      options,
    );
  }

  /**
   * A fresh address of the SSE stream. EventSource cannot send headers, and a key must never sit in a URL (logs keep
   * URLs): the address carries a one-minute ticket instead, asked for with the key in a header.
   */
  async streamUrl(): Promise<string> {
    const { ticket } = await this.request<{ ticket: string }>('POST', '/v1/stream/tickets');
    return `${this.baseUrl}/v1/stream${queryString({ ticket })}`;
  }
}
