import type { ModelSummary } from '../api/types';
import { ModelAnchorBadge } from '../components/badges';
import { EmptyState, Loading, ProblemState } from '../components/problem-state';
import { formatDateTime, formatInteger, formatMetric, pluralise } from '../format';
import { useApp } from '../hooks/app-context';
import { useApi } from '../hooks/use-api';
import {
  anchorState,
  describeSource,
  groupByName,
  keyMetrics,
  MODEL_PURPOSE,
  modelHref,
} from '../model-cards';
import { ModelDetail } from './model-detail';

/** One version of a model: enough to tell versions apart and see whether each is anchored. */
function VersionRow({ model, newest }: { model: ModelSummary; newest: boolean }) {
  const { card } = model;
  const trainedAt = card?.trainedAt ?? model.createdAt;
  return (
    <tr data-model-name={model.name} data-model-version={model.version}>
      <td data-label="Version">
        <a className="mono model-version" href={modelHref(model.name, model.version)}>
          {model.version}
        </a>
        <span className="visually-hidden"> (open its card)</span>
        {newest ? <span className="cell-line muted small">Newest</span> : null}
      </td>
      <td data-label="Trained">
        <time dateTime={trainedAt}>{formatDateTime(trainedAt)}</time>
        {card ? <span className="cell-line muted small mono">{card.codeVersion}</span> : null}
      </td>
      <td data-label="Training set">
        {card ? (
          <>
            {pluralise(card.trainingItems, 'item')}
            <span className="cell-line muted small">{describeSource(card.trainingSource)}</span>
          </>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td data-label="Key metrics" className="small">
        {card ? (
          <ul className="plain-list">
            {keyMetrics(card.metrics).map(([name, value]) => (
              <li key={name}>
                <span className="mono">{name}</span> {formatMetric(value)}
              </li>
            ))}
          </ul>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td data-label="Weights SHA-256" className="small">
        {card ? (
          <code className="break weights-hash">{card.weightsHash}</code>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td data-label="Anchor">
        <ModelAnchorBadge state={anchorState(model)} />
        {model.anchor && model.anchor.blockNumber !== null ? (
          <span className="cell-line muted small">block {formatInteger(model.anchor.blockNumber)}</span>
        ) : null}
      </td>
    </tr>
  );
}

function ModelGroup({ name, versions }: { name: string; versions: ModelSummary[] }) {
  const headingId = `model-${name}-heading`;
  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{name}</h2>
      <p className="muted">
        {MODEL_PURPOSE[name] ?? 'A trained model.'} {pluralise(versions.length, 'version')}.
      </p>
      <div className="table-wrap">
        <table className="table table--cards table--models">
          <caption className="visually-hidden">Versions of {name}, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Trained</th>
              <th scope="col">Training set</th>
              <th scope="col">Key metrics</th>
              <th scope="col">Weights SHA-256</th>
              <th scope="col">Anchor</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((model, index) => (
              <VersionRow key={model.version} model={model} newest={index === 0} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function ModelList() {
  const { client } = useApp();
  const models = useApi((signal) => client.models({ signal }), [client], { page: 'models' });
  const groups = groupByName(models.data ?? []);
  return (
    <>
      <div className="page-header">
        <div>
          <h1 tabIndex={-1}>Models</h1>
          <p className="muted">
            The trained models behind the alerts and forecasts, each with its card: what trained it, on what
            data, how well, and whether the card is anchored on the chain.
          </p>
        </div>
        <div className="page-header__actions">
          <button type="button" className="button" onClick={models.reload} disabled={models.loading}>
            Refresh
          </button>
        </div>
      </div>
      {models.error ? <ProblemState error={models.error} what="the models" onRetry={models.reload} /> : null}
      {!models.data && models.loading ? <Loading label="Loading models…" /> : null}
      {models.data && !models.error && groups.length === 0 ? (
        <EmptyState title="No model trained yet">
          <p>
            The intelligence service trains the anomaly detector’s models when it first starts, and the demand
            forecaster once enough dispensing history exists. Their cards appear here.
          </p>
        </EmptyState>
      ) : null}
      {!models.error
        ? groups.map(([name, versions]) => <ModelGroup key={name} name={name} versions={versions} />)
        : null}
    </>
  );
}

/** `#/models`: every model's versions; `#/models/<name>/<version>`: one card. */
export function ModelsPage({ name, version }: { name: string | undefined; version: string | undefined }) {
  return name && version ? (
    <ModelDetail key={`${name}/${version}`} name={name} version={version} />
  ) : (
    <ModelList />
  );
}
