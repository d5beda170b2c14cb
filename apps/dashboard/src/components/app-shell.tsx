import { type ReactNode, type RefObject, useState } from 'react';
import type { Severity } from '../api/types';
import { humanise } from '../format';
import { type PageId, useApp } from '../hooks/app-context';
import { useStreamEvent, useStreamState } from '../hooks/use-stream';
import { href } from '../hooks/use-route';
import { Icon, type IconName } from './icon';

const NAV: { id: PageId; label: string; icon: IconName; path: string }[] = [
  { id: 'overview', label: 'Overview', icon: 'gauge', path: '/' },
  { id: 'shipments', label: 'Shipments', icon: 'truck', path: '/shipments' },
  { id: 'alerts', label: 'Alert inbox', icon: 'bell', path: '/alerts' },
  { id: 'provenance', label: 'Provenance', icon: 'search', path: '/provenance' },
  { id: 'demand', label: 'Demand', icon: 'chart', path: '/demand' },
  { id: 'models', label: 'Models', icon: 'layers', path: '/models' },
];

function StreamIndicator() {
  const { state, retryInMs } = useStreamState();
  const text =
    state === 'open'
      ? 'Live'
      : state === 'connecting'
        ? 'Connecting…'
        : state === 'reconnecting'
          ? retryInMs
            ? `Offline, retrying in ${Math.round(retryInMs / 1000)} s`
            : 'Reconnecting…'
          : 'Not live';
  return (
    <span
      className={`live-indicator live-indicator--${state}`}
      role="status"
      title="Live updates (server-sent events)"
    >
      <span className="live-indicator__dot" aria-hidden="true" />
      <span className="visually-hidden">Live updates: </span>
      {text}
    </span>
  );
}

function openAlerts(counts: Record<Severity, number>): number {
  return counts.low + counts.medium + counts.high + counts.critical;
}

/** Banner, main navigation and the main landmark around every signed-in page. */
export function AppShell({
  current,
  mainRef,
  children,
}: {
  current: PageId | 'not-found';
  mainRef: RefObject<HTMLElement | null>;
  children: ReactNode;
}) {
  const { me, forbidden, signOut } = useApp();
  const [open, setOpen] = useState<number | null>(null);
  useStreamEvent('stats', (stats) => setOpen(openAlerts(stats.openAlertsBySeverity)));

  return (
    <div className="app">
      <a
        className="skip-link"
        href="#main-content"
        onClick={(event) => {
          event.preventDefault();
          mainRef.current?.focus();
        }}
      >
        Skip to main content
      </a>
      <header className="topbar">
        <div className="topbar__brand">
          <svg
            className="topbar__logo"
            viewBox="0 0 32 32"
            width="28"
            height="28"
            aria-hidden="true"
            focusable="false"
          >
            <rect width="32" height="32" rx="6" fill="#ffffff" />
            <path
              d="M9 24V8h8a5 5 0 0 1 0 10h-8"
              fill="none"
              stroke="#17476e"
              strokeWidth="3"
              strokeLinejoin="round"
            />
          </svg>
          <span className="topbar__name">Pedigree</span>
          <span className="topbar__product">Logistics dashboard</span>
        </div>
        <div className="topbar__meta">
          <StreamIndicator />
          <span className="topbar__who">
            <span className="visually-hidden">Signed in as </span>
            {me.organisationName ? <span className="topbar__org">{me.organisationName}</span> : null}
            <span className="role-tag">{humanise(me.role)}</span>
          </span>
          <button type="button" className="button button--on-dark" onClick={() => signOut()}>
            <Icon name="logout" size={16} />
            Sign out
          </button>
        </div>
      </header>
      <div className="layout">
        <nav className="sidenav" aria-label="Main">
          <ul>
            {NAV.filter((item) => item.id === current || !forbidden.has(item.id)).map((item) => (
              <li key={item.id}>
                <a
                  href={href(item.path)}
                  aria-current={item.id === current ? 'page' : undefined}
                  className="sidenav__link"
                >
                  <Icon name={item.icon} size={18} />
                  <span>{item.label}</span>
                  {item.id === 'alerts' && open !== null && open > 0 ? (
                    <span className="count-pill">
                      {open}
                      <span className="visually-hidden"> open</span>
                    </span>
                  ) : null}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main-content" className="main" ref={mainRef} tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}
