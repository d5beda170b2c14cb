import { type FormEvent, lazy, Suspense, useEffect, useMemo, useState } from 'react';
import type { Forecasts, ForecastSeries } from '../api/types';
import type { ForecastRow } from '../components/forecast-chart';
import { EmptyState, Loading, ProblemState } from '../components/problem-state';
import { formatDate, formatNumber } from '../format';
import { useApp } from '../hooks/app-context';
import { useApi } from '../hooks/use-api';
import { href, navigate } from '../hooks/use-route';
import { FORECASTER_MODEL, modelHref } from '../model-cards';

const ForecastChart = lazy(() => import('../components/forecast-chart'));

const HORIZONS = [1, 2, 3, 4, 5, 6, 7, 8];
const HISTORY_WEEKS = 26;

function pickSeries(forecasts: Forecasts, gtin: string, region: string): ForecastSeries | undefined {
  const forProduct = forecasts.series.filter((s) => s.gtin === gtin);
  return (
    forProduct.find((s) => (region ? s.region === region : s.region === null)) ??
    (region ? undefined : forProduct[0])
  );
}

function rowsOf(series: ForecastSeries, horizon: number): ForecastRow[] {
  const rows = new Map<string, ForecastRow>();
  for (const point of series.history.slice(-HISTORY_WEEKS))
    rows.set(point.periodStart, { periodStart: point.periodStart, actual: point.value });
  for (const point of series.forecast.filter((p) => p.horizon <= horizon)) {
    const row = rows.get(point.periodStart) ?? { periodStart: point.periodStart };
    rows.set(point.periodStart, {
      ...row,
      p50: point.p50,
      band80: [point.p10, point.p90],
      band95: [point.p025, point.p975],
    });
  }
  // Join the forecast to the last actual, so that the lines do not start in mid-air.
  const sorted = [...rows.values()].sort((a, b) => a.periodStart.localeCompare(b.periodStart));
  const lastActual = [...sorted].reverse().find((r) => r.actual !== undefined && r.p50 === undefined);
  if (lastActual?.actual !== undefined && sorted.some((r) => r.p50 !== undefined)) {
    lastActual.p50 = lastActual.actual;
    lastActual.band80 = [lastActual.actual, lastActual.actual];
    lastActual.band95 = [lastActual.actual, lastActual.actual];
  }
  return sorted;
}

export default function DemandPage({ params }: { params: URLSearchParams }) {
  const { client } = useApp();
  const gtin = params.get('gtin') ?? '';
  const region = params.get('region') ?? '';
  const horizonParam = Number(params.get('horizon') ?? '8');
  const horizon = HORIZONS.includes(horizonParam) ? horizonParam : 8;
  const forecasts = useApi<Forecasts>(
    (signal) => client.forecasts({ gtin: gtin || undefined, region: region || undefined }, { signal }),
    [client, gtin, region],
    {
      page: 'demand',
    },
  );

  const [draft, setDraft] = useState({ gtin, region, horizon });
  useEffect(() => setDraft({ gtin, region, horizon }), [gtin, region, horizon]);

  // With no product chosen yet, show the first one.
  const firstProduct = forecasts.data?.products[0]?.gtin;
  useEffect(() => {
    if (!gtin && firstProduct)
      navigate(href('/demand', { gtin: firstProduct, region, horizon }), { replace: true });
  }, [gtin, firstProduct, region, horizon]);

  const apply = (next: { gtin: string; region: string; horizon: number }, replace = false) =>
    navigate(href('/demand', { gtin: next.gtin, region: next.region, horizon: next.horizon }), { replace });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    apply(draft);
  };

  const data = forecasts.data;
  const series = data && gtin ? pickSeries(data, gtin, region) : undefined;
  const rows = useMemo(() => (series ? rowsOf(series, horizon) : []), [series, horizon]);
  const product = data?.products.find((p) => p.gtin === gtin);
  const productLabel = product
    ? `${product.name ? `${product.name}, ` : ''}GTIN ${product.gtin}`
    : gtin
      ? `GTIN ${gtin}`
      : '';
  const next = series?.forecast.find((p) => p.horizon === 1);

  return (
    <>
      <div className="page-header">
        <div>
          <h1 tabIndex={-1}>Demand forecast</h1>
          <p className="muted">Weekly units dispensed, and the forecast with its 80 % and 95 % bands.</p>
        </div>
      </div>

      {forecasts.error?.notFound ? (
        <EmptyState title="Forecasting is not available yet">
          <p>
            The API does not offer demand forecasts yet (it answered: {forecasts.error.detail}). Come back
            once the forecasting service is running.
          </p>
        </EmptyState>
      ) : forecasts.error ? (
        <ProblemState error={forecasts.error} what="demand forecasts" onRetry={forecasts.reload} />
      ) : null}
      {!data && forecasts.loading ? <Loading label="Loading forecasts…" /> : null}

      {data && !forecasts.error ? (
        <>
          <form className="filters panel" onSubmit={onSubmit} aria-label="Choose a forecast">
            <div className="field field--grow">
              <label htmlFor="d-gtin">Product</label>
              <select
                id="d-gtin"
                className="input"
                value={draft.gtin}
                onChange={(e) => {
                  const nextDraft = { ...draft, gtin: e.target.value };
                  setDraft(nextDraft);
                  apply(nextDraft, true);
                }}
              >
                {data.products.length === 0 ? <option value="">No products</option> : null}
                {data.products.map((p) => (
                  <option key={p.gtin} value={p.gtin}>
                    {p.name ? `${p.name} (${p.gtin})` : p.gtin}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="d-region">Region</label>
              <select
                id="d-region"
                className="input"
                value={draft.region}
                onChange={(e) => {
                  const nextDraft = { ...draft, region: e.target.value };
                  setDraft(nextDraft);
                  apply(nextDraft, true);
                }}
              >
                <option value="">All regions</option>
                {data.regions.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="d-horizon">Horizon</label>
              <select
                id="d-horizon"
                className="input"
                value={draft.horizon}
                onChange={(e) => {
                  const nextDraft = { ...draft, horizon: Number(e.target.value) };
                  setDraft(nextDraft);
                  apply(nextDraft, true);
                }}
              >
                {HORIZONS.map((h) => (
                  <option key={h} value={h}>
                    {h} {h === 1 ? 'week' : 'weeks'}
                  </option>
                ))}
              </select>
            </div>
          </form>

          {forecasts.loading ? <Loading label="Updating…" /> : null}

          {!series ? (
            <EmptyState title="No forecast for this choice">
              <p>
                {data.products.length === 0
                  ? 'No product has enough history for a forecast yet.'
                  : `There is no forecast for ${productLabel || 'this product'}${region ? ` in ${region}` : ''}. Try another region.`}
              </p>
            </EmptyState>
          ) : (
            <section className="panel" aria-labelledby="forecast-heading">
              <h2 id="forecast-heading">
                {productLabel}
                {series.region ? ` · ${series.region}` : ' · all regions'}
              </h2>
              <dl className="facts facts--inline">
                <div>
                  <dt>Method</dt>
                  <dd>{series.method}</dd>
                </div>
                <div>
                  <dt>Model version</dt>
                  <dd>
                    {/* The run's card: what the forecaster trained on and how well it did. */}
                    <a className="mono" href={modelHref(FORECASTER_MODEL, series.modelVersion)}>
                      {series.modelVersion}
                    </a>
                    <span className="visually-hidden"> (open its model card)</span>
                  </dd>
                </div>
                <div>
                  <dt>Horizon</dt>
                  <dd>
                    {horizon} {horizon === 1 ? 'week' : 'weeks'}
                  </dd>
                </div>
                {next ? (
                  <div>
                    <dt>Next week</dt>
                    <dd>
                      {formatNumber(next.p50)} units{' '}
                      <span className="muted">
                        (80 %: {formatNumber(next.p10)}–{formatNumber(next.p90)})
                      </span>
                    </dd>
                  </div>
                ) : null}
              </dl>
              <Suspense fallback={<Loading label="Loading the chart…" />}>
                <ForecastChart
                  rows={rows}
                  label={`Weekly demand for ${productLabel}: ${series.history.length} weeks of actuals and a ${horizon}-week forecast with 80 % and 95 % bands. The numbers are in the table below.`}
                />
              </Suspense>
              <details className="data-table">
                <summary>Show the numbers as a table</summary>
                <div className="table-wrap">
                  <table className="table table--compact">
                    <caption className="visually-hidden">Weekly actuals and forecast</caption>
                    <thead>
                      <tr>
                        <th scope="col">Week of</th>
                        <th scope="col" className="num">
                          Actual
                        </th>
                        <th scope="col" className="num">
                          Forecast (median)
                        </th>
                        <th scope="col" className="num">
                          80 % band
                        </th>
                        <th scope="col" className="num">
                          95 % band
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {[
                        ...series.history
                          .slice(-HISTORY_WEEKS)
                          .map((h) => ({ periodStart: h.periodStart, actual: h.value, point: undefined })),
                        ...series.forecast
                          .filter((p) => p.horizon <= horizon)
                          .map((p) => ({ periodStart: p.periodStart, actual: undefined, point: p })),
                      ].map((row) => (
                        <tr key={`${row.periodStart}-${row.point ? 'f' : 'a'}`}>
                          <th scope="row">{formatDate(row.periodStart)}</th>
                          <td className="num">{row.actual !== undefined ? formatNumber(row.actual) : '—'}</td>
                          <td className="num">{row.point ? formatNumber(row.point.p50) : '—'}</td>
                          <td className="num">
                            {row.point
                              ? `${formatNumber(row.point.p10)}–${formatNumber(row.point.p90)}`
                              : '—'}
                          </td>
                          <td className="num">
                            {row.point
                              ? `${formatNumber(row.point.p025)}–${formatNumber(row.point.p975)}`
                              : '—'}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </details>
            </section>
          )}
        </>
      ) : null}
    </>
  );
}
