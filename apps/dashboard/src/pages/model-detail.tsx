import type { ModelAudit, ModelCard } from '../api/types';
import { ModelAnchorBadge } from '../components/badges';
import { CopyButton } from '../components/copy-button';
import { HashValue } from '../components/hash-value';
import { EmptyState, Loading, ProblemState } from '../components/problem-state';
import { ValuesTable } from '../components/values-table';
import { formatBytes, formatDateTime, formatInteger, formatMetric, humanise, pluralise } from '../format';
import { useApp } from '../hooks/app-context';
import { useApi } from '../hooks/use-api';
import { href } from '../hooks/use-route';
import {
  anchorState,
  auditCommand,
  base64Bytes,
  describeSource,
  isSimulated,
  type ModelAnchorState,
  MODEL_PURPOSE,
} from '../model-cards';

const ANCHOR_TEXT: Record<ModelAnchorState, string> = {
  anchored:
    'The card’s digest is a leaf of an EventAnchor batch confirmed on the chain. Swapped weights, or a card edited to claim other data or better metrics, no longer match it.',
  pending:
    'The card’s digest is waiting for the ledger’s next batch to be confirmed on the chain. Until then the audit ends “unanchored”.',
  edited:
    'The card stored now is not the one sent for anchoring: the audit will end TAMPERED. Do not trust this card.',
  'no-card': 'This model was saved without a card, so there is nothing to anchor or audit.',
};

/** What the model is: the hashes an auditor recomputes, the training set and the code that trained it. */
function CardPanel({ model, card }: { model: ModelAudit; card: ModelCard }) {
  return (
    <section className="panel" aria-labelledby="card-heading">
      <h2 id="card-heading">Card</h2>
      <dl className="facts">
        <div>
          <dt>Trained at</dt>
          <dd>
            <time dateTime={card.trainedAt}>{formatDateTime(card.trainedAt)}</time>
          </dd>
        </div>
        <div>
          <dt>Code version</dt>
          <dd className="mono">{card.codeVersion}</dd>
        </div>
        <div>
          <dt>Stored weights</dt>
          <dd>{formatBytes(base64Bytes(model.weights.weightData))}</dd>
        </div>
        <div>
          <dt>Training items</dt>
          <dd>{formatInteger(card.trainingItems)}</dd>
        </div>
        <div className="facts__wide">
          <dt>Weights SHA-256</dt>
          <dd data-testid="weights-hash">
            <HashValue value={card.weightsHash} label="weights hash" />
          </dd>
        </div>
        <div className="facts__wide">
          <dt>Training-set SHA-256</dt>
          <dd>
            <HashValue value={card.trainingSetHash} label="training-set hash" />
          </dd>
        </div>
        <div className="facts__wide">
          <dt>Training source</dt>
          <dd>
            {describeSource(card.trainingSource)}
            <span className="cell-line muted small">
              {model.trainingSet
                ? `The exact set (${pluralise(model.trainingSet.length, 'item')}) is stored with the model: members’ history cannot be regenerated.`
                : isSimulated(card)
                  ? 'A seeded simulation: the audit can rebuild the exact set from the seed and scale.'
                  : 'The set is not stored with the model.'}
            </span>
          </dd>
        </div>
      </dl>
    </section>
  );
}

/** Where the card's digest sits on the chain: the batch, its root and transaction, and the proof's size. */
function AnchorPanel({ model }: { model: ModelAudit }) {
  const state = anchorState(model);
  const { anchor } = model;
  return (
    <section className="panel" aria-labelledby="anchor-heading">
      <h2 id="anchor-heading">Anchor on the chain</h2>
      <p>
        <ModelAnchorBadge state={state} /> {ANCHOR_TEXT[state]}
      </p>
      <dl className="facts">
        <div className="facts__wide">
          <dt>Card digest (the anchored leaf)</dt>
          <dd>
            <HashValue value={model.cardDigest} label="card digest" />
          </dd>
        </div>
        {anchor ? (
          <>
            <div>
              <dt>Batch</dt>
              <dd>
                #{anchor.batchId}, leaf {anchor.leafIndex}
              </dd>
            </div>
            <div>
              <dt>Batch status</dt>
              <dd>{humanise(anchor.status)}</dd>
            </div>
            <div>
              <dt>Block</dt>
              <dd>{anchor.blockNumber === null ? '—' : formatInteger(anchor.blockNumber)}</dd>
            </div>
            <div>
              <dt>Merkle proof</dt>
              <dd>{pluralise(anchor.proof.length, 'node')}</dd>
            </div>
            <div className="facts__wide">
              <dt>Merkle root</dt>
              <dd>
                <HashValue value={anchor.merkleRoot} label="Merkle root" />
              </dd>
            </div>
            <div className="facts__wide">
              <dt>Transaction</dt>
              <dd data-testid="anchor-transaction">
                <HashValue value={anchor.transactionHash} label="anchor transaction hash" />
              </dd>
            </div>
          </>
        ) : null}
      </dl>
    </section>
  );
}

/** The command that repeats every check from the stored artefacts and the chain, without trusting Pedigree. */
function AuditPanel({ model, card }: { model: ModelAudit; card: ModelCard | null }) {
  const command = auditCommand(model.name, model.version);
  return (
    <section className="panel" aria-labelledby="audit-heading">
      <h2 id="audit-heading">Audit it yourself</h2>
      <p>
        Recomputes the weights hash from the stored weights
        {model.trainingSet ? ' and the training-set hash from the stored set' : ''}, recomputes the card’s
        digest, and asks <code>EventAnchor.verifyEvent</code> on your own node whether the proof reaches an
        anchored root. Exit code 0: proven; 1: tampered; 2: not anchored yet.
      </p>
      <div className="command">
        <pre>
          <code data-testid="audit-command">{command}</code>
        </pre>
        <CopyButton value={command} label="audit command" />
      </div>
      <p className="muted small">
        Replace <code>&lt;your-node-url&gt;</code> with the JSON-RPC address of a node you trust. The CLI
        reads the API address from <code>PEDIGREE_API_URL</code> and your key from{' '}
        <code>PEDIGREE_API_KEY</code>.
        {card && !model.trainingSet && isSimulated(card) ? (
          <>
            {' '}
            Add <code>--rebuild-training-set</code> to rebuild the simulated training set from its seed and
            check its hash too (slow).
          </>
        ) : null}
      </p>
    </section>
  );
}

/** `#/models/<name>/<version>`: the whole card, its anchor and the command that audits it. */
export function ModelDetail({ name, version }: { name: string; version: string }) {
  const { client } = useApp();
  const model = useApi((signal) => client.model(name, version, { signal }), [client, name, version], {
    page: 'models',
  });
  const data = model.data;
  const card = data?.card ?? null;
  return (
    <>
      <p className="back-link">
        <a href={href('/models')}>← All models</a>
      </p>
      <div className="page-header">
        <div>
          <h1 tabIndex={-1}>{name}</h1>
          <p className="muted">
            Version <span className="mono">{version}</span>. {MODEL_PURPOSE[name] ?? ''}
          </p>
        </div>
        <div className="page-header__actions">
          <button type="button" className="button" onClick={model.reload} disabled={model.loading}>
            Refresh
          </button>
        </div>
      </div>
      {model.error ? (
        <ProblemState error={model.error} what={`the card of ${name} ${version}`} onRetry={model.reload} />
      ) : null}
      {!data && model.loading ? <Loading label="Loading the model card…" /> : null}
      {data && !model.error ? (
        <>
          {card ? (
            <CardPanel model={data} card={card} />
          ) : (
            <EmptyState title="This model has no card">
              <p>It was saved before model cards existed: nothing states what trained it.</p>
            </EmptyState>
          )}
          <AnchorPanel model={data} />
          <AuditPanel model={data} card={card} />
          {card ? (
            <div className="grid-2 grid-2--even">
              <section className="panel" aria-labelledby="hyper-heading">
                <h2 id="hyper-heading">Hyper-parameters</h2>
                <ValuesTable values={card.hyperParameters} caption="Hyper-parameters it was trained with" />
              </section>
              <section className="panel" aria-labelledby="metrics-heading">
                <h2 id="metrics-heading">Metrics</h2>
                <ValuesTable values={card.metrics} caption="Training metrics" formatNumber={formatMetric} />
              </section>
            </div>
          ) : null}
        </>
      ) : null}
    </>
  );
}
