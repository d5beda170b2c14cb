import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { ApiError } from '../api/api-error';
import type { Alert, AlertDetail } from '../api/types';
import { AlertStatusBadge, SeverityBadge } from '../components/badges';
import { CopyButton } from '../components/copy-button';
import { Dialog } from '../components/dialog';
import { NamedIdentifier } from '../components/named-identifier';
import { Loading, ProblemState } from '../components/problem-state';
import { formatDateTime, formatInteger, formatPercent, humanise } from '../format';
import { useApp } from '../hooks/app-context';
import { useApi } from '../hooks/use-api';
import { href } from '../hooks/use-route';
import { useStreamEvent } from '../hooks/use-stream';
import { modelHref } from '../model-cards';

type Action = 'acknowledge' | 'resolve';

const ACTION_TEXT: Record<Action, { title: string; button: string; done: string }> = {
  acknowledge: { title: 'Acknowledge alert', button: 'Acknowledge', done: 'acknowledged' },
  resolve: { title: 'Resolve alert', button: 'Resolve', done: 'resolved' },
};

function formatFeature(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Number.isInteger(value) ? String(value) : value.toFixed(3);
}

/** The versions of the detector's models when the alert was raised, each linking to its card. */
function ModelVersions({ models }: { models: Record<string, string> | undefined }) {
  const entries = Object.entries(models ?? {});
  if (entries.length === 0) return <p className="muted">No model versions recorded for this alert.</p>;
  return (
    <>
      <p className="muted small">The versions in use when it was raised. Each card says what trained it.</p>
      <ul className="plain-list model-versions">
        {entries.map(([name, version]) => (
          <li key={name}>
            <a href={modelHref(name, version)}>
              <span className="mono">{name}</span> <span className="mono small">{version}</span>
            </a>
            <span className="visually-hidden"> (open its model card)</span>
          </li>
        ))}
      </ul>
    </>
  );
}

/** The selected alert: its evidence (events, rules, model features and score), history and the actions on it. */
export function AlertDetailPanel({
  alertId,
  onUpdated,
  closeHref,
}: {
  alertId: string;
  onUpdated: (alert: Alert) => void;
  closeHref: string;
}) {
  const { client, announce } = useApp();
  const detail = useApi<AlertDetail>((signal) => client.alert(alertId, { signal }), [client, alertId]);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [action, setAction] = useState<Action | null>(null);
  const [comment, setComment] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const commentId = useId();
  const commentHintId = useId();
  const commentErrorId = useId();
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const { setData } = detail;

  // Keyboard and screen-reader users land on the alert they opened.
  const loaded = detail.data?.id === alertId;
  useEffect(() => {
    if (loaded) headingRef.current?.focus();
  }, [loaded]);

  useStreamEvent('alert', (alert) => {
    if (alert.id === alertId) setData((current) => (current ? { ...current, ...alert } : current));
  });

  const open = (next: Action) => {
    setAction(next);
    setComment('');
    setFormError(null);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!action) return;
    const text = comment.trim();
    if (!text) {
      setFormError('A comment is required: say what was checked or done.');
      textareaRef.current?.focus();
      return;
    }
    setSubmitting(true);
    setFormError(null);
    try {
      const updated =
        action === 'acknowledge'
          ? await client.acknowledgeAlert(alertId, text)
          : await client.resolveAlert(alertId, text);
      setData((current) => (current ? { ...current, ...updated } : current));
      onUpdated(updated);
      announce(`Alert ${ACTION_TEXT[action].done}.`);
      setAction(null);
      // The button that opened the dialog may be gone now: put focus back on the alert.
      window.setTimeout(() => headingRef.current?.focus(), 0);
    } catch (cause) {
      const error = cause instanceof ApiError ? cause : ApiError.network(cause);
      setFormError(error.forbidden ? `Your role may not ${action} alerts. ${error.detail}` : error.detail);
    } finally {
      setSubmitting(false);
    }
  };

  const alert = detail.data;
  return (
    <section className="split__detail panel" aria-labelledby="alert-detail-heading">
      <div className="detail-header">
        <a className="button button--ghost button--small" href={closeHref}>
          Close details
        </a>
      </div>
      {detail.error ? <ProblemState error={detail.error} what="this alert" onRetry={detail.reload} /> : null}
      {!alert && detail.loading ? <Loading label="Loading the alert…" /> : null}
      {alert ? (
        <>
          <h2 id="alert-detail-heading" ref={headingRef} tabIndex={-1}>
            {humanise(alert.kind)}
          </h2>
          <div className="badge-row">
            <SeverityBadge severity={alert.severity} />
            <AlertStatusBadge status={alert.status} />
          </div>
          <p className="lead">{alert.summary}</p>

          <dl className="facts">
            <div>
              <dt>Score</dt>
              <dd>
                {formatPercent(alert.score)} <span className="muted">({alert.score.toFixed(2)})</span>
              </dd>
            </div>
            <div>
              <dt>Occurrences</dt>
              <dd>{formatInteger(alert.occurrences)}</dd>
            </div>
            <div>
              <dt>Opened</dt>
              <dd>{formatDateTime(alert.openedAt)}</dd>
            </div>
            <div>
              <dt>Last updated</dt>
              <dd>{formatDateTime(alert.updatedAt)}</dd>
            </div>
            <div>
              <dt>Product</dt>
              <dd>
                <NamedIdentifier id={alert.gtin} names={alert.names} prefix="GTIN" />
              </dd>
            </div>
            <div>
              <dt>Lot</dt>
              <dd className="mono">{alert.lot ?? '—'}</dd>
            </div>
            {alert.evidence.apiKeyId ? (
              <div className="facts__wide">
                <dt>API key</dt>
                <dd className="mono">{alert.evidence.apiKeyId}</dd>
              </div>
            ) : null}
            <div className="facts__wide">
              <dt>{alert.epcs.length === 1 ? 'Pack' : 'Packs'}</dt>
              <dd>
                <ul className="plain-list">
                  {alert.epcs.map((epc) => (
                    <li key={epc}>
                      <a className="mono break" href={href('/provenance', { q: epc })}>
                        {epc}
                      </a>
                      <span className="visually-hidden"> (open its provenance)</span>
                      {alert.names?.[epc] &&
                      alert.names[epc].label !== alert.names[alert.gtin ?? '']?.label ? (
                        <span className="cell-line muted small">{alert.names[epc].label}</span>
                      ) : null}
                    </li>
                  ))}
                </ul>
              </dd>
            </div>
          </dl>

          <div className="actions">
            {alert.status === 'open' ? (
              <button type="button" className="button button--primary" onClick={() => open('acknowledge')}>
                Acknowledge
              </button>
            ) : null}
            {alert.status !== 'resolved' ? (
              <button type="button" className="button" onClick={() => open('resolve')}>
                Resolve
              </button>
            ) : (
              <p className="muted">This alert is resolved. It reopens if the pattern fires again.</p>
            )}
          </div>

          <h3>Evidence: events</h3>
          {alert.events?.length ? (
            <div className="table-wrap">
              <table className="table table--cards table--compact">
                <caption className="visually-hidden">Events behind this alert</caption>
                <thead>
                  <tr>
                    <th scope="col">Event Hash ID</th>
                    <th scope="col">Business step</th>
                    <th scope="col">Time</th>
                    <th scope="col">Location</th>
                  </tr>
                </thead>
                <tbody>
                  {alert.events.map((event) => (
                    <tr key={event.eventHash}>
                      <td data-label="Event Hash ID">
                        <code className="break">{event.eventHash}</code>
                        <div className="muted small">{event.eventType}</div>
                      </td>
                      <td data-label="Business step">{humanise(event.bizStep)}</td>
                      <td data-label="Time">
                        <time dateTime={event.eventTime}>{formatDateTime(event.eventTime)}</time>
                      </td>
                      <td data-label="Location" className="small">
                        <NamedIdentifier id={event.bizLocation} names={alert.names} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : alert.evidence.eventHashes.length ? (
            <ul className="plain-list">
              {alert.evidence.eventHashes.map((hash) => (
                <li key={hash}>
                  <code className="break">{hash}</code> <CopyButton value={hash} label="event hash ID" />
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">No events recorded.</p>
          )}

          <h3>Rules fired</h3>
          {alert.evidence.rules.length ? (
            <ul className="tag-list">
              {alert.evidence.rules.map((rule) => (
                <li key={rule}>
                  <code>{rule}</code>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">No hard rule fired: raised by the model alone.</p>
          )}

          <h3>Model features and score</h3>
          {alert.evidence.features && Object.keys(alert.evidence.features).length ? (
            <table className="table table--compact table--kv">
              <caption className="visually-hidden">
                Model features, with the anomaly score {alert.score.toFixed(2)}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Feature</th>
                  <th scope="col" className="num">
                    Value
                  </th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(alert.evidence.features).map(([name, value]) => (
                  <tr key={name}>
                    <th scope="row" className="mono">
                      {name}
                    </th>
                    <td className="num">{formatFeature(value)}</td>
                  </tr>
                ))}
                <tr className="row--total">
                  <th scope="row">Score</th>
                  <td className="num">{alert.score.toFixed(3)}</td>
                </tr>
              </tbody>
            </table>
          ) : (
            <p className="muted">
              No model features for this alert (score {alert.score.toFixed(2)} from the rule).
            </p>
          )}

          <h3>Detector models</h3>
          <ModelVersions models={alert.evidence.models} />

          <h3>History</h3>
          {alert.comments.length ? (
            <ol className="history">
              {alert.comments.map((c, index) => (
                <li key={`${c.at}-${index}`}>
                  <div className="history__meta">
                    <strong>{humanise(c.action)}</strong> by {c.by} ·{' '}
                    <time dateTime={c.at}>{formatDateTime(c.at)}</time>
                  </div>
                  <p className="history__text">{c.text}</p>
                </li>
              ))}
            </ol>
          ) : (
            <p className="muted">No comments yet.</p>
          )}
        </>
      ) : null}

      <Dialog
        open={action !== null}
        title={action ? ACTION_TEXT[action].title : ''}
        onClose={() => setAction(null)}
        describedBy={commentHintId}
      >
        <form onSubmit={(event) => void submit(event)} noValidate>
          <div className="field">
            <label htmlFor={commentId}>Comment (required)</label>
            <p className="field__hint" id={commentHintId}>
              {action === 'resolve'
                ? 'Say how the alert was settled, for the audit trail.'
                : 'Say who is looking into it and what will be checked, for the audit trail.'}
            </p>
            <textarea
              ref={textareaRef}
              id={commentId}
              className="input input--wide"
              rows={4}
              value={comment}
              onChange={(event) => setComment(event.target.value)}
              required
              aria-required="true"
              aria-invalid={formError ? true : undefined}
              aria-describedby={formError ? `${commentHintId} ${commentErrorId}` : commentHintId}
            />
            {formError ? (
              <p className="field__error" id={commentErrorId} role="alert">
                {formError}
              </p>
            ) : null}
          </div>
          <div className="dialog__actions">
            <button type="button" className="button button--ghost" onClick={() => setAction(null)}>
              Cancel
            </button>
            <button
              type="submit"
              className="button button--primary"
              disabled={submitting}
              aria-busy={submitting}
            >
              {submitting ? 'Saving…' : action ? ACTION_TEXT[action].button : ''}
            </button>
          </div>
        </form>
      </Dialog>
    </section>
  );
}
