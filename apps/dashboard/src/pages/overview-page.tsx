import { lazy, Suspense, useEffect, useState } from 'react';
import type { LatestEvent, Overview, Severity } from '../api/types';
import { Icon } from '../components/icon';
import { mergeNames, NamedIdentifier } from '../components/named-identifier';
import { Loading, ProblemState } from '../components/problem-state';
import { StatCard } from '../components/stat-card';
import { formatInteger, formatNumber, formatTime, humanise, pluralise } from '../format';
import { useApp } from '../hooks/app-context';
import { useApi } from '../hooks/use-api';
import { href } from '../hooks/use-route';
import { useStreamEvent, useStreamState } from '../hooks/use-stream';

const SeverityChart = lazy(() => import('../components/severity-chart'));

const LATEST_MAX = 10;
const POLL_MS = 30_000;

function mergeEvents(incoming: LatestEvent[], current: LatestEvent[]): LatestEvent[] {
  const seen = new Set<string>();
  const merged: LatestEvent[] = [];
  for (const event of [...incoming, ...current]) {
    if (seen.has(event.eventHash)) continue;
    seen.add(event.eventHash);
    merged.push(event);
  }
  return merged.slice(0, LATEST_MAX);
}

function totalAlerts(counts: Record<Severity, number>): number {
  return counts.low + counts.medium + counts.high + counts.critical;
}

export function OverviewPage() {
  const { client, me } = useApp();
  const { state: streamState } = useStreamState();
  const overview = useApi((signal) => client.overview({ signal }), [client], { page: 'overview' });
  const [paused, setPaused] = useState(false);
  const [updatedAt, setUpdatedAt] = useState<string | null>(null);
  const { setData, reload } = overview;

  useEffect(() => {
    if (overview.data && !updatedAt) setUpdatedAt(new Date().toISOString());
  }, [overview.data, updatedAt]);

  // Without the live stream, fall back to polling.
  useEffect(() => {
    if (streamState === 'open' || paused) return;
    const timer = window.setInterval(reload, POLL_MS);
    return () => window.clearInterval(timer);
  }, [streamState, paused, reload]);

  useStreamEvent('stats', (stats) => {
    if (paused) return;
    setData((current) => ({
      ...stats,
      latestEvents: mergeEvents(stats.latestEvents ?? [], current?.latestEvents ?? []),
      // Events kept from earlier ticks keep their locations' names.
      names: mergeNames(current?.names, stats.names),
    }));
    setUpdatedAt(new Date().toISOString());
  });
  useStreamEvent('event', (event) => {
    if (paused) return;
    setData((current: Overview | undefined) =>
      current ? { ...current, latestEvents: mergeEvents([event], current.latestEvents) } : current,
    );
  });

  const scope =
    me.role === 'regulator' || me.role === 'admin'
      ? 'All organisations'
      : `${me.organisationName ?? 'Your organisation'} only`;
  const data = overview.data;

  return (
    <>
      <div className="page-header">
        <div>
          <h1 tabIndex={-1}>Overview</h1>
          <p className="muted">
            Scope: {scope}.{' '}
            {updatedAt ? (
              <span>
                Last updated {formatTime(updatedAt)}
                {paused ? ' (paused)' : streamState === 'open' ? ' (live)' : ''}.
              </span>
            ) : null}
          </p>
        </div>
        <div className="page-header__actions">
          <button type="button" className="button" aria-pressed={paused} onClick={() => setPaused((p) => !p)}>
            <Icon name={paused ? 'clock' : 'check'} size={16} />
            {paused ? 'Resume live updates' : 'Pause live updates'}
          </button>
        </div>
      </div>

      {!data && overview.loading ? <Loading label="Loading the overview…" /> : null}
      {overview.error && !data ? (
        <ProblemState error={overview.error} what="the overview" onRetry={overview.reload} />
      ) : null}
      {overview.error && data ? (
        <p className="notice notice--warning" role="status">
          Could not refresh the figures: {overview.error.detail} The figures below are from{' '}
          {updatedAt ? formatTime(updatedAt) : 'earlier'}.
        </p>
      ) : null}

      {data ? (
        <>
          <section aria-labelledby="flow-heading" className="panel">
            <h2 id="flow-heading">Event flow and anchoring</h2>
            <dl className="stats">
              <StatCard
                label="Events per second"
                value={formatNumber(data.eventsPerSecond)}
                hint="Live, last 10 seconds"
              />
              <StatCard label="Events in the last hour" value={formatInteger(data.eventsLastHour)} />
              <StatCard
                label="Anchoring lag p50"
                value={formatNumber(data.anchoringLagSeconds.p50)}
                unit="s"
                hint="Median, last 10 minutes"
              />
              <StatCard
                label="Anchoring lag p99"
                value={formatNumber(data.anchoringLagSeconds.p99)}
                unit="s"
                hint="99th percentile, last 10 minutes"
              />
              <StatCard
                label="Waiting for the chain"
                value={formatInteger(data.anchoringBacklog.events)}
                unit="events"
                hint={
                  data.anchoringBacklog.overdue > 0
                    ? `${formatInteger(data.anchoringBacklog.overdue)} past the anchoring deadline: they do not verify`
                    : `Oldest ${formatNumber(data.anchoringBacklog.oldestSeconds)} s`
                }
              />
            </dl>
          </section>

          <div className="grid-2">
            <section aria-labelledby="shipments-heading" className="panel">
              <h2 id="shipments-heading">Shipments</h2>
              <dl className="stats stats--2">
                <StatCard
                  label="In transit"
                  value={formatInteger(data.shipmentsInTransit)}
                  hint={<a href={href('/shipments', { status: 'in_transit' })}>See shipments in transit</a>}
                />
                <StatCard
                  label="Overdue"
                  value={
                    <span className="with-icon">
                      {data.shipmentsOverdue > 0 ? <Icon name="warning" size={20} /> : null}
                      {formatInteger(data.shipmentsOverdue)}
                    </span>
                  }
                  tone={data.shipmentsOverdue > 0 ? 'warning' : undefined}
                  hint={
                    <a href={href('/shipments', { status: 'in_transit', overdue: true })}>
                      See overdue shipments
                    </a>
                  }
                />
              </dl>
            </section>

            <section aria-labelledby="alerts-heading" className="panel">
              <h2 id="alerts-heading">Open alerts by severity</h2>
              <p className="muted">
                {pluralise(totalAlerts(data.openAlertsBySeverity), 'alert')} not yet resolved.{' '}
                <a href={href('/alerts', { status: 'open' })}>Open the alert inbox</a>
              </p>
              <Suspense fallback={<Loading label="Loading the chart…" />}>
                <SeverityChart counts={data.openAlertsBySeverity} />
              </Suspense>
            </section>
          </div>

          <section aria-labelledby="latest-heading" className="panel">
            <h2 id="latest-heading">Latest events</h2>
            {data.latestEvents.length === 0 ? (
              <p className="muted">No events in the last day.</p>
            ) : (
              <div
                role="log"
                aria-live={paused ? 'off' : 'polite'}
                aria-relevant="additions"
                aria-labelledby="latest-heading"
              >
                <ol className="event-log">
                  {data.latestEvents.map((event) => (
                    <li key={event.eventHash} className="event-log__item">
                      <time dateTime={event.eventTime} className="event-log__time">
                        {formatTime(event.eventTime)}
                      </time>
                      <span className="event-log__step">{humanise(event.bizStep ?? event.eventType)}</span>
                      <span className="event-log__type">{event.eventType}</span>
                      <span className="event-log__where">
                        <NamedIdentifier id={event.bizLocation} names={data.names} fallback="no location" />
                      </span>
                      <span className="event-log__hash mono" title={event.eventHash}>
                        <span className="visually-hidden">Event hash </span>
                        {event.eventHash}
                      </span>
                    </li>
                  ))}
                </ol>
              </div>
            )}
          </section>
        </>
      ) : null}
    </>
  );
}
