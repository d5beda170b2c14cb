import { type FormEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from '../api/api-error';
import {
  ALERT_STATUSES,
  type Alert,
  type AlertPage,
  type AlertQuery,
  type AlertsSummary,
  type AlertStatus,
  type IdentifierNames,
  SEVERITIES,
  type Severity,
} from '../api/types';
import { AlertStatusBadge, SeverityBadge } from '../components/badges';
import { Icon } from '../components/icon';
import { mergeNames, NamedIdentifier } from '../components/named-identifier';
import { EmptyState, Loading, ProblemState } from '../components/problem-state';
import { formatAge, formatInteger, formatTime, humanise } from '../format';
import { useApp } from '../hooks/app-context';
import { useApi } from '../hooks/use-api';
import { href, navigate } from '../hooks/use-route';
import { useNow } from '../hooks/use-now';
import { useStreamEvent } from '../hooks/use-stream';
import { AlertDetailPanel } from './alert-detail';

/** The detector's patterns (ANOMALY_KINDS in libs/ml) and the verification-harvesting alert. */
const KNOWN_KINDS = [
  'cloned_serial',
  'unknown_serial',
  'reappearance',
  'lot_mismatch',
  'expiry_mismatch',
  'impossible_travel',
  'custody_break',
  'diversion',
  'grey_market_spike',
  'expired_dispensed',
  'temperature_excursion',
  'verification_harvesting',
];

interface Filters {
  status: AlertStatus | '';
  severity: Severity | '';
  kind: string;
}

function filtersFrom(params: URLSearchParams): Filters {
  const status = params.get('status');
  const severity = params.get('severity');
  return {
    // The inbox opens on what needs attention; "any" is explicit.
    status:
      status === 'any'
        ? ''
        : ALERT_STATUSES.includes(status as AlertStatus)
          ? (status as AlertStatus)
          : 'open',
    severity: SEVERITIES.includes(severity as Severity) ? (severity as Severity) : '',
    kind: params.get('kind') ?? '',
  };
}

function paramsOf(filters: Filters): Record<string, string> {
  return { status: filters.status || 'any', severity: filters.severity, kind: filters.kind.trim() };
}

function matches(alert: Alert, filters: Filters): boolean {
  return (
    (!filters.status || alert.status === filters.status) &&
    (!filters.severity || alert.severity === filters.severity) &&
    (!filters.kind.trim() || alert.kind === filters.kind.trim())
  );
}

/** The first pack by its product's name (the EPC below it), and how many more there are. */
function PackCell({ alert, names }: { alert: Alert; names: IdentifierNames | undefined }) {
  const first = alert.epcs[0];
  if (!first) return <span className="muted">—</span>;
  return (
    <>
      <NamedIdentifier id={first} names={names} />
      {alert.epcs.length > 1 ? (
        <span className="cell-line muted small">+{formatInteger(alert.epcs.length - 1)} more</span>
      ) : null}
    </>
  );
}

/** The inbox at a glance: what is unresolved, by kind and severity, each group one click from its list. */
function InboxSummary({
  summary,
  onPick,
}: {
  summary: AlertsSummary;
  onPick: (kind: string, severity: Severity) => void;
}) {
  if (summary.unresolved === 0) return null;
  return (
    <section className="panel inbox-summary" aria-labelledby="inbox-summary-heading">
      <h2 id="inbox-summary-heading" className="inbox-summary__title">
        {formatInteger(summary.unresolved)} unresolved {summary.unresolved === 1 ? 'alert' : 'alerts'}
      </h2>
      <ul className="inbox-summary__groups">
        {summary.groups.map((group) => (
          <li key={`${group.kind}:${group.severity}`}>
            <button
              type="button"
              className="button button--ghost"
              onClick={() => onPick(group.kind, group.severity)}
            >
              <SeverityBadge severity={group.severity} /> {humanise(group.kind)}:{' '}
              <strong>{formatInteger(group.open + group.acknowledged)}</strong>
              {group.acknowledged > 0 ? ` (${formatInteger(group.acknowledged)} acknowledged)` : ''}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function AlertsPage({ alertId, params }: { alertId: string | undefined; params: URLSearchParams }) {
  const { client, announce } = useApp();
  const now = useNow();
  const applied = useMemo(() => filtersFrom(params), [params]);
  const [draft, setDraft] = useState<Filters>(applied);
  useEffect(() => setDraft(applied), [applied]);

  const query: AlertQuery = {
    status: applied.status || undefined,
    severity: applied.severity || undefined,
    kind: applied.kind.trim() || undefined,
    limit: 50,
  };
  const queryKey = JSON.stringify(query);
  const list = useApi<AlertPage>((signal) => client.alerts(query, { signal }), [client, queryKey], {
    page: 'alerts',
  });
  const summary = useApi<AlertsSummary>((signal) => client.alertsSummary({ signal }), [client, queryKey], {
    page: 'alerts',
  });
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const [liveMessage, setLiveMessage] = useState('');
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<ApiError | null>(null);
  const appliedRef = useRef(applied);
  appliedRef.current = applied;
  const { setData } = list;

  // New and updated alerts arrive on the SSE stream: no reload needed.
  const dataRef = useRef(list.data);
  dataRef.current = list.data;
  useStreamEvent('alert', (alert) => {
    const current = dataRef.current;
    if (!current) return;
    if (current.items.some((a) => a.id === alert.id)) {
      setData(
        (page) =>
          page && { ...page, items: page.items.map((a) => (a.id === alert.id ? { ...a, ...alert } : a)) },
      );
      return;
    }
    if (!matches(alert, appliedRef.current)) return;
    setData((page) =>
      page && !page.items.some((a) => a.id === alert.id) ? { ...page, items: [alert, ...page.items] } : page,
    );
    setFresh((ids) => new Set(ids).add(alert.id));
    setLiveMessage(
      `New ${alert.severity} alert at ${formatTime(alert.openedAt)}: ${humanise(alert.kind)}. ${alert.summary}`,
    );
  });

  const select = (id: string) => {
    setFresh((current) => {
      if (!current.has(id)) return current;
      const next = new Set(current);
      next.delete(id);
      return next;
    });
  };
  useEffect(() => {
    if (alertId) select(alertId);
  }, [alertId]);

  const loadMore = async () => {
    const cursor = list.data?.nextCursor;
    if (!cursor) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await client.alerts({ ...query, cursor });
      setData((current) => {
        const known = new Set(current?.items.map((a) => a.id));
        return {
          items: [...(current?.items ?? []), ...page.items.filter((a) => !known.has(a.id))],
          nextCursor: page.nextCursor,
          names: mergeNames(current?.names, page.names),
        };
      });
      announce(`${page.items.length} more alerts loaded`);
    } catch (cause) {
      setMoreError(cause instanceof ApiError ? cause : ApiError.network(cause));
    } finally {
      setLoadingMore(false);
    }
  };

  const onUpdated = useCallback(
    (updated: Alert) => {
      setData((current) =>
        current
          ? { ...current, items: current.items.map((a) => (a.id === updated.id ? { ...a, ...updated } : a)) }
          : current,
      );
    },
    [setData],
  );

  const apply = (next: Filters, replace = false) =>
    navigate(href(alertId ? `/alerts/${encodeURIComponent(alertId)}` : '/alerts', paramsOf(next)), {
      replace,
    });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    apply(draft);
  };

  const items = list.data?.items ?? [];
  const linkParams = paramsOf(applied);

  return (
    <>
      <div className="page-header">
        <div>
          <h1 tabIndex={-1}>Alert inbox</h1>
          <p className="muted">
            Suspicious patterns raised by the intelligence service. New alerts appear here as they are raised.
          </p>
        </div>
        <div className="page-header__actions">
          <button type="button" className="button" onClick={list.reload} disabled={list.loading}>
            Refresh
          </button>
        </div>
      </div>

      <form className="filters panel" onSubmit={onSubmit} aria-label="Filter alerts">
        <div className="field">
          <label htmlFor="a-status">Status</label>
          <select
            id="a-status"
            className="input"
            value={draft.status}
            onChange={(e) => {
              const next = { ...draft, status: e.target.value as Filters['status'] };
              setDraft(next);
              apply(next, true);
            }}
          >
            <option value="open">Open</option>
            <option value="acknowledged">Acknowledged</option>
            <option value="resolved">Resolved</option>
            <option value="">Any status</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="a-severity">Severity</label>
          <select
            id="a-severity"
            className="input"
            value={draft.severity}
            onChange={(e) => {
              const next = { ...draft, severity: e.target.value as Filters['severity'] };
              setDraft(next);
              apply(next, true);
            }}
          >
            <option value="">Any severity</option>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {humanise(s)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="a-kind">Kind</label>
          <input
            id="a-kind"
            className="input"
            list="a-kinds"
            value={draft.kind}
            onChange={(e) => setDraft({ ...draft, kind: e.target.value })}
            placeholder="Any kind"
            autoComplete="off"
          />
          <datalist id="a-kinds">
            {KNOWN_KINDS.map((k) => (
              <option key={k} value={k}>
                {humanise(k)}
              </option>
            ))}
          </datalist>
        </div>
        <div className="filters__actions">
          <button type="submit" className="button button--primary">
            Apply filters
          </button>
          <button
            type="button"
            className="button button--ghost"
            onClick={() => apply({ status: 'open', severity: '', kind: '' })}
          >
            Clear
          </button>
        </div>
      </form>

      {summary.data ? (
        <InboxSummary
          summary={summary.data}
          onPick={(kind, severity) => apply({ status: 'open', severity, kind })}
        />
      ) : null}

      <div className="live-notice" role="status" aria-live="polite" aria-atomic="true">
        {liveMessage ? (
          <>
            <Icon name="bell" size={16} />
            <span>{liveMessage}</span>
          </>
        ) : null}
      </div>

      <div className={alertId ? 'split split--open' : 'split'}>
        <section className="split__list" aria-labelledby="alert-list-heading">
          <h2 id="alert-list-heading" className="visually-hidden">
            Alerts
          </h2>
          {list.error ? (
            <ProblemState error={list.error} what="the alert inbox" onRetry={list.reload} />
          ) : null}
          {!list.data && list.loading ? <Loading label="Loading alerts…" /> : null}
          {list.data && !list.error ? (
            items.length === 0 ? (
              <EmptyState title="No alerts match">
                <p>
                  {applied.status === 'open'
                    ? 'Nothing needs attention right now. New alerts will appear here.'
                    : 'Try other filters.'}
                </p>
              </EmptyState>
            ) : (
              <>
                <p className="result-summary">
                  {formatInteger(items.length)} {items.length === 1 ? 'alert' : 'alerts'}
                  {list.data.nextCursor ? ' shown; more available' : ''}.
                </p>
                <div className="table-wrap">
                  <table className="table table--cards table--alerts">
                    <caption className="visually-hidden">Alerts, newest first</caption>
                    <thead>
                      <tr>
                        <th scope="col">Severity</th>
                        <th scope="col">Kind and summary</th>
                        <th scope="col">Pack</th>
                        <th scope="col" className="num">
                          Occurrences
                        </th>
                        <th scope="col">Age</th>
                        <th scope="col">Status</th>
                      </tr>
                    </thead>
                    <tbody>
                      {items.map((alert) => {
                        const selected = alert.id === alertId;
                        const isFresh = fresh.has(alert.id);
                        return (
                          <tr
                            key={alert.id}
                            className={
                              [selected ? 'row--selected' : '', isFresh ? 'row--new' : ''].join(' ').trim() ||
                              undefined
                            }
                            data-alert-id={alert.id}
                          >
                            <td data-label="Severity">
                              <SeverityBadge severity={alert.severity} />
                            </td>
                            <td data-label="Kind and summary">
                              <a
                                className="alert-link"
                                href={href(`/alerts/${encodeURIComponent(alert.id)}`, linkParams)}
                                aria-current={selected ? 'true' : undefined}
                              >
                                {isFresh ? <span className="new-tag">New</span> : null}
                                <strong>{humanise(alert.kind)}</strong>
                              </a>
                              <div className="alert-summary">{alert.summary}</div>
                            </td>
                            <td data-label="Pack" className="small">
                              <PackCell alert={alert} names={list.data?.names} />
                            </td>
                            <td data-label="Occurrences" className="num">
                              {formatInteger(alert.occurrences)}
                            </td>
                            <td data-label="Age">
                              <time dateTime={alert.openedAt} title={alert.openedAt}>
                                {formatAge(alert.openedAt, now)}
                              </time>
                            </td>
                            <td data-label="Status">
                              <AlertStatusBadge status={alert.status} />
                            </td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </div>
                {list.data.nextCursor ? (
                  <div className="load-more">
                    <button
                      type="button"
                      className="button"
                      onClick={() => void loadMore()}
                      disabled={loadingMore}
                      aria-busy={loadingMore}
                    >
                      {loadingMore ? 'Loading…' : 'Load more alerts'}
                    </button>
                    {moreError ? (
                      <p className="field__error" role="alert">
                        {moreError.detail}
                      </p>
                    ) : null}
                  </div>
                ) : null}
              </>
            )
          ) : null}
        </section>

        {alertId ? (
          <AlertDetailPanel
            key={alertId}
            alertId={alertId}
            onUpdated={onUpdated}
            closeHref={href('/alerts', linkParams)}
          />
        ) : null}
      </div>
    </>
  );
}
