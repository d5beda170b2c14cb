import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { classifyIdentifier, describeKind } from '../api/identifiers';
import type {
  Hop,
  HopCustody,
  IdentifierNames,
  Provenance,
  StateCheck,
  Verdict,
  VerifyResult,
} from '../api/types';
import { VerdictBadge } from '../components/badges';
import { HashValue } from '../components/hash-value';
import { Icon, type IconName } from '../components/icon';
import { NamedIdentifier } from '../components/named-identifier';
import { Loading, ProblemState } from '../components/problem-state';
import { formatDate, formatDateTime, humanise } from '../format';
import { useApp } from '../hooks/app-context';
import { useApi } from '../hooks/use-api';
import { href, navigate } from '../hooks/use-route';

interface Lookup {
  verification: VerifyResult | null;
  provenance: Provenance | null;
}

const VERDICT_TEXT: Record<Verdict, { icon: IconName; title: string; text: string }> = {
  verified: {
    icon: 'check',
    title: 'Verified',
    text: 'Every hop matches its anchor on the chain, and the pack’s state and history match the state root committed on the chain.',
  },
  pending: {
    icon: 'clock',
    title: 'Pending',
    text: 'Some hops are still waiting for their anchor on the chain.',
  },
  unanchored: {
    icon: 'stop',
    title: 'Not anchored in time',
    text: 'Some hops were never anchored on the chain within the deadline, so they cannot be proven. Do not trust this record.',
  },
  tampered: {
    icon: 'stop',
    title: 'Tampered',
    text: 'At least one hop does not match what was anchored on the chain. Do not trust this record.',
  },
  unverifiable: {
    icon: 'question',
    title: 'Unverifiable',
    text: 'The chain could not be read to check the hops.',
  },
  unknown: {
    icon: 'stop',
    title: 'Unknown to the chain',
    text: 'The state committed on the chain holds no such pack, whatever the database says. Do not trust this record.',
  },
};

const STATE_TEXT: Record<StateCheck['status'], string> = {
  verified:
    'The pack’s status, lot, expiry, custodian, container, flags and its whole history match the state root on the chain.',
  pending: 'Its newest events are not committed on the chain yet.',
  unanchored: 'Newer events were never committed on the chain within the deadline.',
  tampered: 'The database disagrees with what the chain committed.',
  absent: 'The chain’s state holds no such pack.',
  unverifiable: 'The chain could not be read.',
};

/** The checks of the pack's state against the chain: the same ones `pedigree audit` repeats from the chain alone. */
function StatePanel({ provenance }: { provenance: Provenance }) {
  const { state } = provenance;
  const leaf = state.proof?.leaf as { count?: number; flagged?: number } | null | undefined;
  const alerts = state.alertsProof?.leaf as { open?: string[]; resolved?: string[] } | null | undefined;
  const tone = state.status === 'verified' ? 'verified' : state.status === 'pending' ? 'pending' : 'tampered';
  return (
    <section className="panel" aria-labelledby="state-heading">
      <h2 id="state-heading">Checked against the chain’s state</h2>
      <p>
        <span className={`badge badge--${tone}`}>
          <Icon name={tone === 'verified' ? 'check' : tone === 'pending' ? 'clock' : 'stop'} size={14} />
          <span>{humanise(state.status)}</span>
        </span>{' '}
        {STATE_TEXT[state.status]}
      </p>
      {state.reasons.length ? (
        <ul>
          {state.reasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
      ) : null}
      <dl className="facts">
        <div className="facts__wide">
          <dt>State root (EventAnchor.latestState)</dt>
          <dd>
            <HashValue value={state.stateRoot} label="state root" />
            {state.committedAtBlock !== null ? (
              <span className="muted small"> block {state.committedAtBlock}</span>
            ) : null}
          </dd>
        </div>
        <div>
          <dt>History committed</dt>
          <dd>
            {state.committedSteps} of {provenance.hops.length} events
            {leaf?.count !== undefined ? ` (chain: ${leaf.count})` : ''}
          </dd>
        </div>
        <div>
          <dt>Proof</dt>
          <dd>{state.proof ? `${state.proof.nodes.length} trie nodes` : '—'}</dd>
        </div>
        <div>
          <dt>Flags and alerts committed</dt>
          <dd>
            {leaf?.flagged ?? 0} flagged, {alerts?.open?.length ?? 0} open, {alerts?.resolved?.length ?? 0}{' '}
            resolved
          </dd>
        </div>
      </dl>
      <p className="muted small">
        Check it without trusting Pedigree:{' '}
        <code>pedigree audit {provenance.epc} --rpc &lt;your node&gt;</code>
      </p>
    </section>
  );
}

function Bool({ value, yes, no }: { value: boolean | null; yes: string; no: string }) {
  if (value === null) return <span className="muted">not checked</span>;
  return value ? <span className="ok-text">{yes}</span> : <strong className="bad-text">{no}</strong>;
}

function HopItem({ hop, index, names }: { hop: Hop; index: number; names: IdentifierNames | undefined }) {
  const status = hop.check.status;
  const step = humanise(hop.bizStep ?? hop.eventType);
  return (
    <li className={`timeline__item timeline__item--${status}`}>
      <span className="timeline__marker" aria-hidden="true">
        <Icon name={VERDICT_TEXT[status]?.icon ?? 'question'} size={14} />
      </span>
      <article className="hop" aria-labelledby={`hop-${index}-title`}>
        <header className="hop__header">
          <h3 id={`hop-${index}-title`} className="hop__title">
            <span className="visually-hidden">Hop {index + 1}: </span>
            {step}
          </h3>
          <time dateTime={hop.eventTime} className="hop__time">
            {formatDateTime(hop.eventTime)}
          </time>
          <VerdictBadge verdict={status} />
        </header>

        {status === 'tampered' || hop.check.reasons.length ? (
          <div className={status === 'tampered' ? 'notice notice--danger' : 'notice notice--info'}>
            <strong>{status === 'tampered' ? 'Why this hop fails the check:' : 'Check notes:'}</strong>
            <ul>
              {hop.check.reasons.map((reason) => (
                <li key={reason}>{reason}</li>
              ))}
              {!hop.check.hashMatches ? (
                <li>The recomputed event hash does not match the stored one.</li>
              ) : null}
            </ul>
          </div>
        ) : null}

        <dl className="facts facts--hop">
          <div>
            <dt>Event</dt>
            <dd>
              {hop.eventType}
              {hop.action ? ` · ${hop.action}` : ''}
              {hop.disposition ? ` · ${humanise(hop.disposition)}` : ''}
            </dd>
          </div>
          <div>
            <dt>Location</dt>
            <dd>
              <NamedIdentifier id={hop.bizLocation} names={names} />
            </dd>
          </div>
          {hop.via ? (
            <div>
              <dt>Via container</dt>
              <dd className="mono break">{hop.via}</dd>
            </div>
          ) : null}
          <div className="facts__wide">
            <dt>Event Hash ID</dt>
            <dd>
              <HashValue value={hop.eventHash} label={`event hash ID of hop ${index + 1}`} />
            </dd>
          </div>
          <div className="facts__wide">
            <dt>Hash check</dt>
            <dd>
              <Bool value={hop.check.hashMatches} yes="hash matches" no="hash does not match" />
              {' · '}
              <Bool value={hop.check.proofValid} yes="Merkle proof valid" no="Merkle proof invalid" />
              {' · '}
              <Bool value={hop.check.rootOnChain} yes="root found on chain" no="root not on chain" />
            </dd>
          </div>
        </dl>

        {hop.flags.length ? (
          <div className="notice notice--warning">
            <strong>Flags raised on this event:</strong>
            <ul>
              {hop.flags.map((flag) => (
                <li key={flag.code}>
                  <code>{flag.code}</code>: {flag.detail}
                </li>
              ))}
            </ul>
          </div>
        ) : null}

        <div className="hop__sections">
          <div className="hop__section">
            <h4 id={`hop-${index}-anchor`}>Anchor</h4>
            {hop.anchor ? (
              <dl className="facts facts--stacked">
                <div>
                  <dt>Status</dt>
                  <dd>{humanise(hop.anchor.status)}</dd>
                </div>
                <div>
                  <dt>Transaction</dt>
                  <dd>
                    <HashValue
                      value={hop.anchor.transactionHash}
                      label={`anchor transaction hash of hop ${index + 1}`}
                    />
                  </dd>
                </div>
                <div>
                  <dt>Block</dt>
                  <dd>{hop.anchor.blockNumber ?? '—'}</dd>
                </div>
                <div>
                  <dt>Merkle root</dt>
                  <dd>
                    <HashValue value={hop.anchor.merkleRoot} label={`Merkle root of hop ${index + 1}`} />
                  </dd>
                </div>
                <div>
                  <dt>Proof</dt>
                  <dd>
                    {hop.anchor.proof.length} {hop.anchor.proof.length === 1 ? 'node' : 'nodes'}, leaf{' '}
                    {hop.anchor.leafIndex}
                  </dd>
                </div>
              </dl>
            ) : (
              <p className="muted">Not anchored yet.</p>
            )}
          </div>
          {hop.custody ? (
            <div className="hop__section">
              <h4 id={`hop-${index}-custody`}>Custody handoff</h4>
              <dl className="facts facts--stacked">
                <div>
                  <dt>Status</dt>
                  <dd>{humanise(hop.custody.status)}</dd>
                </div>
                <div>
                  <dt>Consignment</dt>
                  <dd className="mono break">{hop.custody.consignment}</dd>
                </div>
                <div>
                  <dt>From</dt>
                  <dd>
                    <NamedIdentifier id={hop.custody.fromParty} names={names} fallback="?" />
                  </dd>
                </div>
                <div>
                  <dt>To</dt>
                  <dd>
                    <NamedIdentifier id={hop.custody.toParty} names={names} fallback="?" />
                  </dd>
                </div>
                <div>
                  <dt>Ship transaction</dt>
                  <dd>
                    <HashValue
                      value={hop.custody.shipTransactionHash}
                      label={`ship transaction hash of hop ${index + 1}`}
                    />
                    {hop.custody.shipBlock !== null ? (
                      <span className="muted small"> block {hop.custody.shipBlock}</span>
                    ) : null}
                  </dd>
                </div>
                <div>
                  <dt>Receive transaction</dt>
                  <dd>
                    <HashValue
                      value={hop.custody.receiveTransactionHash}
                      label={`receive transaction hash of hop ${index + 1}`}
                    />
                    {hop.custody.receiveBlock !== null ? (
                      <span className="muted small"> block {hop.custody.receiveBlock}</span>
                    ) : null}
                  </dd>
                </div>
                {hop.custody.chainError ? (
                  <div>
                    <dt>Chain refused</dt>
                    <dd className="bad-text">{hop.custody.chainError}</dd>
                  </div>
                ) : null}
                <div>
                  <dt>On CustodyLedger</dt>
                  <dd data-testid={`hop-${index}-custody-chain`}>
                    <CustodyOnChain chain={hop.custody.chain} action={hop.custody.action} />
                  </dd>
                </div>
              </dl>
            </div>
          ) : null}
        </div>
      </article>
    </li>
  );
}

function VerificationPanel({ result }: { result: VerifyResult }) {
  const tone =
    result.status === 'verified' ? 'verified' : result.status === 'pending' ? 'pending' : 'tampered';
  const label =
    result.status === 'verified' ? 'Verified' : result.status === 'pending' ? 'Pending' : 'Not verified';
  return (
    <section className="panel" aria-labelledby="scan-heading">
      <h2 id="scan-heading">Scan check</h2>
      <p>
        <span className={`badge badge--${tone}`}>
          <Icon name={tone === 'verified' ? 'check' : tone === 'pending' ? 'clock' : 'stop'} size={14} />
          <span>{label}</span>
        </span>{' '}
        <span className="muted">checked {formatDateTime(result.checkedAt)}</span>
      </p>
      {result.reasons.length ? (
        <ul>
          {result.reasons.map((reason) => (
            <li key={reason.code}>
              <code>{reason.code}</code> ({reason.effect}): {reason.message}
            </li>
          ))}
        </ul>
      ) : null}
      {result.scanWarnings?.length ? (
        <div className="notice notice--warning">
          <strong>Scan warnings:</strong>
          <ul>
            {result.scanWarnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

export function ProvenancePage({ params }: { params: URLSearchParams }) {
  const { client, announce } = useApp();
  const q = params.get('q') ?? '';
  const [input, setInput] = useState(q);
  const [formError, setFormError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const resultRef = useRef<HTMLHeadingElement>(null);
  const hintId = useId();
  const errorId = useId();
  useEffect(() => setInput(q), [q]);

  const kind = classifyIdentifier(input);
  const lookup = useApi<Lookup>(
    async (signal) => {
      const searchKind = classifyIdentifier(q);
      if (searchKind === 'barcode') {
        const verification = await client.verify(q.trim(), { signal });
        if (!verification.epc) return { verification, provenance: null };
        return { verification, provenance: await client.provenance(verification.epc, { signal }) };
      }
      return { verification: null, provenance: await client.provenance(q.trim(), { signal }) };
    },
    [client, q],
    { page: 'provenance', enabled: classifyIdentifier(q) !== 'empty' },
  );

  const result = lookup.data;
  const provenance = result?.provenance ?? null;
  useEffect(() => {
    if (!provenance || lookup.loading) return;
    announce(
      `Provenance loaded: ${VERDICT_TEXT[provenance.verdict]?.title ?? provenance.verdict}, ${provenance.hops.length} hops.`,
    );
    resultRef.current?.focus();
  }, [provenance, lookup.loading, announce]);

  const locations = useMemo(() => {
    const seen = new Map<string, string>();
    for (const hop of provenance?.hops ?? [])
      if (hop.bizLocation && !seen.has(hop.bizLocation)) seen.set(hop.bizLocation, hop.eventTime);
    return [...seen.entries()];
  }, [provenance]);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (classifyIdentifier(input) === 'empty') {
      setFormError('Scan or paste a barcode, an EPC URN or a GS1 Digital Link.');
      inputRef.current?.focus();
      return;
    }
    setFormError(null);
    if (input.trim() === q.trim()) lookup.reload();
    else navigate(href('/provenance', { q: input.trim() }));
  };

  const verdict = provenance ? (VERDICT_TEXT[provenance.verdict] ?? VERDICT_TEXT.unverifiable) : null;

  return (
    <>
      <div className="page-header">
        <div>
          <h1 tabIndex={-1}>Provenance</h1>
          <p className="muted">
            The custody chain of one pack, each hop checked against its anchor and the pack’s state against
            the state root on the chain.
          </p>
        </div>
      </div>

      <form
        className="panel search-form"
        role="search"
        aria-label="Pack lookup"
        onSubmit={onSubmit}
        noValidate
      >
        <div className="field field--grow">
          <label htmlFor="prov-q">Barcode, EPC URN or GS1 Digital Link</label>
          <p className="field__hint" id={hintId}>
            Scan the pack’s 2D code into this box, or paste e.g.{' '}
            <code>(01)04012345123456(21)1001(10)A1(17)300131</code>,{' '}
            <code>urn:epc:id:sgtin:4012345.012345.1001</code> or{' '}
            <code>https://id.gs1.org/01/04012345123456/21/1001</code>.
            {kind !== 'empty' ? <span> Recognised as: {describeKind(kind)}.</span> : null}
          </p>
          <div className="search-form__row">
            <input
              ref={inputRef}
              id="prov-q"
              type="search"
              className="input input--wide mono"
              value={input}
              onChange={(e) => setInput(e.target.value)}
              autoComplete="off"
              autoCapitalize="off"
              spellCheck={false}
              aria-invalid={formError ? true : undefined}
              aria-describedby={formError ? `${hintId} ${errorId}` : hintId}
            />
            <button type="submit" className="button button--primary">
              <Icon name="search" size={16} />
              Look up
            </button>
          </div>
          {formError ? (
            <p className="field__error" id={errorId} role="alert">
              {formError}
            </p>
          ) : null}
        </div>
      </form>

      {lookup.loading ? <Loading label="Looking up the pack…" /> : null}
      {lookup.error && !lookup.loading ? (
        <ProblemState error={lookup.error} what="this pack’s provenance" onRetry={lookup.reload} />
      ) : null}

      {result && !lookup.loading && !lookup.error ? (
        <>
          {result.verification ? <VerificationPanel result={result.verification} /> : null}
          {result.verification && !result.provenance ? (
            <div className="state state--empty" role="status">
              <Icon name="question" size={24} />
              <div>
                <h2 className="state__title">No pack identifier in this barcode</h2>
                <p>
                  The barcode did not resolve to a serialised pack (EPC), so there is no custody chain to
                  show.
                </p>
              </div>
            </div>
          ) : null}
          {provenance && verdict ? (
            <>
              <div className={`verdict verdict--${provenance.verdict}`}>
                <Icon name={verdict.icon} size={28} />
                <div>
                  <h2 className="verdict__title" ref={resultRef} tabIndex={-1}>
                    Verdict: {verdict.title}
                  </h2>
                  <p>
                    {verdict.text}{' '}
                    <span className="verdict__time">Checked {formatDateTime(provenance.checkedAt)}.</span>
                  </p>
                </div>
              </div>

              <section className="panel" aria-labelledby="pack-heading">
                <h2 id="pack-heading">Pack</h2>
                <dl className="facts">
                  <div>
                    <dt>Product</dt>
                    <dd>
                      <NamedIdentifier id={provenance.gtin} names={provenance.names} prefix="GTIN" />
                    </dd>
                  </div>
                  <div>
                    <dt>Serial</dt>
                    <dd className="mono">{provenance.serial ?? '—'}</dd>
                  </div>
                  <div>
                    <dt>Lot</dt>
                    <dd className="mono">{provenance.lot ?? '—'}</dd>
                  </div>
                  <div>
                    <dt>Expiry</dt>
                    <dd>{provenance.expiry ? formatDate(provenance.expiry) : '—'}</dd>
                  </div>
                  <div>
                    <dt>Status</dt>
                    <dd>{humanise(provenance.status)}</dd>
                  </div>
                  <div>
                    <dt>Custodian</dt>
                    <dd>
                      <NamedIdentifier id={provenance.custodian} names={provenance.names} />
                    </dd>
                  </div>
                  {provenance.parent ? (
                    <div>
                      <dt>In container</dt>
                      <dd className="mono break">{provenance.parent}</dd>
                    </div>
                  ) : null}
                  <div className="facts__wide">
                    <dt>EPC</dt>
                    <dd>
                      <HashValue value={provenance.epc} label="EPC" />
                    </dd>
                  </div>
                  {provenance.digitalLink ? (
                    <div className="facts__wide">
                      <dt>Digital Link</dt>
                      <dd className="mono break">{provenance.digitalLink}</dd>
                    </div>
                  ) : null}
                </dl>
              </section>

              {provenance.state ? <StatePanel provenance={provenance} /> : null}

              <section className="panel" aria-labelledby="timeline-heading">
                <h2 id="timeline-heading">
                  Custody timeline{' '}
                  <span className="muted">
                    ({provenance.hops.length} {provenance.hops.length === 1 ? 'hop' : 'hops'})
                  </span>
                </h2>
                {provenance.hops.length ? (
                  <ol className="timeline">
                    {provenance.hops.map((hop, index) => (
                      <HopItem key={hop.eventHash} hop={hop} index={index} names={provenance.names} />
                    ))}
                  </ol>
                ) : (
                  <p className="muted">No events recorded for this pack.</p>
                )}
              </section>

              <section className="panel" aria-labelledby="locations-heading">
                <h2 id="locations-heading">Locations visited</h2>
                {locations.length ? (
                  <ol className="locations">
                    {locations.map(([location, firstSeen]) => (
                      <li key={location}>
                        <NamedIdentifier id={location} names={provenance.names} />{' '}
                        <span className="muted small">
                          first seen <time dateTime={firstSeen}>{formatDateTime(firstSeen)}</time>
                        </span>
                      </li>
                    ))}
                  </ol>
                ) : (
                  <p className="muted">No locations recorded.</p>
                )}
              </section>
            </>
          ) : null}
        </>
      ) : null}
    </>
  );
}

/** The handoff as CustodyLedger records it, read back from the chain (not from Pedigree's records). */
function CustodyOnChain({ chain, action }: { chain: HopCustody['chain']; action: HopCustody['action'] }) {
  const signer = action === 'ship' ? 'sender' : 'addressee';
  switch (chain.status) {
    case 'confirmed':
      return (
        <span>
          <span className="ok-text">✔ recorded</span>, signed by the {signer}
          {chain.blockNumber !== undefined ? (
            <span className="muted small"> block {chain.blockNumber}</span>
          ) : null}
        </span>
      );
    case 'mismatch':
      return <span className="bad-text">✖ {chain.reasons.join('; ')}</span>;
    case 'not_on_chain':
      return <span className="muted">not recorded on chain</span>;
    default:
      return <span className="muted">chain not reachable</span>;
  }
}
