import { type FormEvent, useEffect, useMemo, useState } from 'react';
import type { IdentifierNames, Shipment, ShipmentQuery, ShipmentStatus } from '../api/types';
import { ShipmentStatusBadge } from '../components/badges';
import { Icon } from '../components/icon';
import { NamedIdentifier, nameTitle } from '../components/named-identifier';
import { EmptyState, Loading, ProblemState } from '../components/problem-state';
import { formatDateTime, formatHours, formatInteger, formatShortDateTime, formatTime } from '../format';
import { useApp } from '../hooks/app-context';
import { useApi } from '../hooks/use-api';
import { href, navigate } from '../hooks/use-route';

type StatusFilter = ShipmentStatus | 'all';
type SortDirection = 'ascending' | 'descending';

interface Filters {
  party: string;
  gtin: string;
  lot: string;
  status: StatusFilter;
  overdue: boolean;
}

function filtersFrom(params: URLSearchParams): Filters {
  const status = params.get('status');
  return {
    party: params.get('party') ?? '',
    gtin: params.get('gtin') ?? '',
    lot: params.get('lot') ?? '',
    status: status === 'received' || status === 'all' ? status : 'in_transit',
    overdue: params.get('overdue') === 'true',
  };
}

/** The place or party as master data names it, else the registered member, else its identifier. */
function partyName(
  names: IdentifierNames | undefined,
  organisation: string | null,
  party: string | null,
): string {
  return (party ? names?.[party]?.label : undefined) ?? organisation ?? party ?? 'unknown';
}

/** Whether a party is shown by a name (its identifier then goes on the second line). */
function isNamed(
  names: IdentifierNames | undefined,
  organisation: string | null,
  party: string | null,
): boolean {
  return partyName(names, organisation, party) !== (party ?? 'unknown');
}

function Party({
  names,
  organisation,
  party,
}: {
  names: IdentifierNames | undefined;
  organisation: string | null;
  party: string | null;
}) {
  const name = party ? names?.[party] : undefined;
  return (
    <span title={party && name ? nameTitle(party, name) : (party ?? undefined)}>
      {partyName(names, organisation, party)}
    </span>
  );
}

function sortShipments(items: Shipment[], direction: SortDirection): Shipment[] {
  const sign = direction === 'ascending' ? 1 : -1;
  return [...items].sort((a, b) => sign * (a.ageHours - b.ageHours));
}

export function ShipmentsPage({ params }: { params: URLSearchParams }) {
  const { client } = useApp();
  const applied = useMemo(() => filtersFrom(params), [params]);
  const [draft, setDraft] = useState<Filters>(applied);
  const [sort, setSort] = useState<SortDirection>(
    params.get('sort') === 'age-asc' ? 'ascending' : 'descending',
  );
  useEffect(() => setDraft(applied), [applied]);

  const query: ShipmentQuery = {
    status: applied.status,
    party: applied.party.trim() || undefined,
    gtin: applied.gtin.trim() || undefined,
    lot: applied.lot.trim() || undefined,
    overdue: applied.overdue || undefined,
    limit: 100,
  };
  const key = JSON.stringify(query);
  const shipments = useApi((signal) => client.shipments(query, { signal }), [client, key], {
    page: 'shipments',
  });
  const [loadedAt, setLoadedAt] = useState<string | null>(null);
  useEffect(() => {
    if (shipments.data) setLoadedAt(new Date().toISOString());
  }, [shipments.data]);

  const apply = (next: Filters, replace = false) => {
    navigate(
      href('/shipments', {
        status: next.status,
        party: next.party.trim(),
        gtin: next.gtin.trim(),
        lot: next.lot.trim(),
        overdue: next.overdue,
        sort: sort === 'ascending' ? 'age-asc' : undefined,
      }),
      { replace },
    );
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    apply(draft);
  };

  const items = useMemo(() => sortShipments(shipments.data?.items ?? [], sort), [shipments.data, sort]);
  const names = shipments.data?.names;
  const overdueCount = items.filter((s) => s.overdue).length;
  const title =
    applied.status === 'in_transit'
      ? 'Shipments in transit'
      : applied.status === 'received'
        ? 'Received shipments'
        : 'All shipments';

  return (
    <>
      <div className="page-header">
        <div>
          <h1 tabIndex={-1}>{title}</h1>
          <p className="muted">Consignments between parties, oldest first. Overdue shipments are marked.</p>
        </div>
        <div className="page-header__actions">
          <button type="button" className="button" onClick={shipments.reload} disabled={shipments.loading}>
            Refresh
          </button>
        </div>
      </div>

      <form className="filters panel" onSubmit={onSubmit} aria-label="Filter shipments">
        <div className="field">
          <label htmlFor="f-party">Party</label>
          <input
            id="f-party"
            className="input"
            value={draft.party}
            onChange={(e) => setDraft({ ...draft, party: e.target.value })}
            placeholder="Sender or addressee"
            autoComplete="off"
          />
        </div>
        <div className="field">
          <label htmlFor="f-gtin">Product (GTIN)</label>
          <input
            id="f-gtin"
            className="input mono"
            value={draft.gtin}
            onChange={(e) => setDraft({ ...draft, gtin: e.target.value })}
            inputMode="numeric"
            autoComplete="off"
          />
        </div>
        <div className="field">
          <label htmlFor="f-lot">Lot</label>
          <input
            id="f-lot"
            className="input mono"
            value={draft.lot}
            onChange={(e) => setDraft({ ...draft, lot: e.target.value })}
            autoComplete="off"
          />
        </div>
        <div className="field">
          <label htmlFor="f-status">Status</label>
          <select
            id="f-status"
            className="input"
            value={draft.status}
            onChange={(e) => {
              const next = { ...draft, status: e.target.value as StatusFilter };
              setDraft(next);
              apply(next, true);
            }}
          >
            <option value="in_transit">In transit</option>
            <option value="received">Received</option>
            <option value="all">All</option>
          </select>
        </div>
        <div className="field field--inline field--end">
          <input
            id="f-overdue"
            type="checkbox"
            checked={draft.overdue}
            onChange={(e) => {
              const next = { ...draft, overdue: e.target.checked };
              setDraft(next);
              apply(next, true);
            }}
          />
          <label htmlFor="f-overdue">Overdue only</label>
        </div>
        <div className="filters__actions">
          <button type="submit" className="button button--primary">
            Apply filters
          </button>
          <button
            type="button"
            className="button button--ghost"
            onClick={() => apply({ party: '', gtin: '', lot: '', status: 'in_transit', overdue: false })}
          >
            Clear
          </button>
        </div>
      </form>

      <p className="result-summary" role="status" aria-live="polite">
        {shipments.loading
          ? 'Loading shipments…'
          : shipments.data
            ? `${formatInteger(items.length)} ${items.length === 1 ? 'shipment' : 'shipments'}${overdueCount ? `, ${overdueCount} overdue` : ''}${
                loadedAt ? ` (as of ${formatTime(loadedAt)})` : ''
              }.`
            : ''}
      </p>

      {shipments.error ? (
        <ProblemState error={shipments.error} what="shipments" onRetry={shipments.reload} />
      ) : null}
      {!shipments.data && shipments.loading ? <Loading label="Loading shipments…" /> : null}

      {shipments.data && !shipments.error ? (
        items.length === 0 ? (
          <EmptyState title="No shipments match">
            <p>Try other filters, or clear them.</p>
          </EmptyState>
        ) : (
          <div className="table-wrap">
            <div className="card-sort">
              <label htmlFor="s-sort">Sort by age</label>
              <select
                id="s-sort"
                className="input"
                value={sort}
                onChange={(e) => setSort(e.target.value as SortDirection)}
              >
                <option value="descending">Oldest first</option>
                <option value="ascending">Newest first</option>
              </select>
            </div>
            <table className="table table--cards">
              <caption className="visually-hidden">
                {title}, sorted by age {sort === 'descending' ? 'oldest first' : 'newest first'}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Status</th>
                  <th scope="col">Consignment</th>
                  <th scope="col">From → to</th>
                  <th scope="col">Shipped</th>
                  <th scope="col" aria-sort={sort}>
                    <button
                      type="button"
                      className="sort-button"
                      onClick={() => setSort((s) => (s === 'descending' ? 'ascending' : 'descending'))}
                    >
                      Age
                      <Icon name={sort === 'descending' ? 'arrow-down' : 'arrow-up'} size={14} />
                      <span className="visually-hidden">
                        , sorted {sort === 'descending' ? 'oldest first' : 'newest first'}; activate to
                        reverse
                      </span>
                    </button>
                  </th>
                  <th scope="col">Packs</th>
                  <th scope="col">Products and lots</th>
                </tr>
              </thead>
              <tbody>
                {items.map((s) => (
                  <tr key={s.consignment} className={s.overdue ? 'row--overdue' : undefined}>
                    <td data-label="Status">
                      <ShipmentStatusBadge status={s.status} overdue={s.overdue} />
                    </td>
                    <td data-label="Consignment">
                      <span className="mono break">{s.consignment}</span>
                      {s.shipTransactionHash ? (
                        <span className="cell-line muted small mono" title={s.shipTransactionHash}>
                          Ship tx {s.shipTransactionHash.slice(0, 10)}…{s.shipTransactionHash.slice(-6)}
                        </span>
                      ) : null}
                    </td>
                    <td data-label="From → to">
                      <span>
                        <Party names={names} organisation={s.fromOrganisation} party={s.fromParty} />{' '}
                        <span aria-hidden="true">→</span>
                        <span className="visually-hidden"> to </span>{' '}
                        <Party names={names} organisation={s.toOrganisation} party={s.toParty} />
                      </span>
                      {isNamed(names, s.fromOrganisation, s.fromParty) ||
                      isNamed(names, s.toOrganisation, s.toParty) ? (
                        <span className="cell-line muted small mono break">
                          {s.fromParty ?? '?'} → {s.toParty ?? '?'}
                        </span>
                      ) : null}
                    </td>
                    <td data-label="Shipped">
                      <time dateTime={s.shippedAt} title={formatDateTime(s.shippedAt)}>
                        {formatShortDateTime(s.shippedAt)}
                      </time>
                      {s.receivedAt ? (
                        <span className="cell-line muted small">
                          Received{' '}
                          <time dateTime={s.receivedAt} title={formatDateTime(s.receivedAt)}>
                            {formatShortDateTime(s.receivedAt)}
                          </time>
                        </span>
                      ) : null}
                    </td>
                    <td data-label="Age" className={s.overdue ? 'age age--overdue' : 'age'}>
                      <span>
                        {formatHours(s.ageHours)}
                        {s.overdue ? ' (overdue)' : ''}
                      </span>
                    </td>
                    <td data-label="Packs" className="num">
                      {formatInteger(s.packCount)}
                    </td>
                    <td data-label="Products and lots">
                      <ul className="plain-list">
                        {s.gtins.map((gtin) => (
                          <li key={gtin}>
                            <NamedIdentifier id={gtin} names={names} prefix="GTIN" />
                          </li>
                        ))}
                        {s.lots.length ? <li>Lot {s.lots.join(', ')}</li> : null}
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
    </>
  );
}
