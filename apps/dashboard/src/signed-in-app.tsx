import type { ReactNode } from 'react';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from './api/api-error';
import { ApiClient } from './api/client';
import type { Session } from './api/session';
import { LiveStream } from './api/stream';
import { AppShell } from './components/app-shell';
import { ErrorBoundary } from './components/error-boundary';
import { Loading } from './components/problem-state';
import { AppContext, type AppContextValue, type PageId } from './hooks/app-context';
import { useRoute } from './hooks/use-route';
import { AlertsPage } from './pages/alerts-page';
import { ModelsPage } from './pages/models-page';
import { NotFoundPage } from './pages/not-found-page';
import { OverviewPage } from './pages/overview-page';
import { ProvenancePage } from './pages/provenance-page';
import { ShipmentsPage } from './pages/shipments-page';

// The demand page carries the forecast chart: loaded when first opened.
const DemandPage = lazy(() => import('./pages/demand-page'));

const FORBIDDEN_KEY = 'pedigree.dashboard.forbidden';

export const PAGE_TITLES: Record<PageId, string> = {
  overview: 'Overview',
  shipments: 'Shipments in transit',
  alerts: 'Alert inbox',
  provenance: 'Provenance',
  demand: 'Demand forecast',
  models: 'Models',
};

function pageOf(segment: string | undefined): PageId | 'not-found' {
  switch (segment ?? '') {
    case '':
    case 'overview':
      return 'overview';
    case 'shipments':
      return 'shipments';
    case 'alerts':
      return 'alerts';
    case 'provenance':
      return 'provenance';
    case 'demand':
      return 'demand';
    case 'models':
      return 'models';
    default:
      return 'not-found';
  }
}

function loadForbidden(): Set<PageId> {
  try {
    return new Set(JSON.parse(sessionStorage.getItem(FORBIDDEN_KEY) ?? '[]') as PageId[]);
  } catch {
    return new Set();
  }
}

export function SignedInApp({
  session,
  onSignOut,
}: {
  session: Session;
  onSignOut: (reason?: string) => void;
}) {
  const route = useRoute();
  const page = pageOf(route.segments[0]);

  const [forbidden, setForbidden] = useState<ReadonlySet<PageId>>(loadForbidden);
  const markForbidden = useCallback((id: PageId) => {
    setForbidden((current) => {
      if (current.has(id)) return current;
      const next = new Set(current).add(id);
      sessionStorage.setItem(FORBIDDEN_KEY, JSON.stringify([...next]));
      return next;
    });
  }, []);

  const signOut = useCallback(
    (reason?: string) => {
      sessionStorage.removeItem(FORBIDDEN_KEY);
      onSignOut(reason);
    },
    [onSignOut],
  );

  const client = useMemo(
    () => new ApiClient(session.key, (error) => signOut(`You were signed out: ${error.detail}`)),
    [session.key, signOut],
  );
  const stream = useMemo(() => new LiveStream(() => client.streamUrl()), [client]);
  useEffect(() => {
    stream.start();
    return () => stream.stop();
  }, [stream]);

  // Live regions: the message is cleared first so that the same words are announced again.
  const [polite, setPolite] = useState('');
  const [assertive, setAssertive] = useState('');
  const announce = useCallback((message: string, politeness: 'polite' | 'assertive' = 'polite') => {
    const set = politeness === 'assertive' ? setAssertive : setPolite;
    set('');
    window.setTimeout(() => set(message), 50);
  }, []);

  // Dispensers may not be allowed the forecasts: ask once, so that the navigation does not offer a dead end.
  useEffect(() => {
    if (session.me.role !== 'dispenser' || forbidden.has('demand')) return;
    const controller = new AbortController();
    client.forecasts({}, { signal: controller.signal }).catch((error: unknown) => {
      if (error instanceof ApiError && error.forbidden) markForbidden('demand');
    });
    return () => controller.abort();
    // Once per sign-in.
  }, [client]);

  const context: AppContextValue = useMemo(
    () => ({ client, me: session.me, stream, forbidden, markForbidden, announce, signOut }),
    [client, session.me, stream, forbidden, markForbidden, announce, signOut],
  );

  // On a page change: a new title, and focus on the new page's heading so that screen readers start there.
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  useEffect(() => {
    document.title = `${page === 'not-found' ? 'Not found' : PAGE_TITLES[page]} · Pedigree`;
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const main = mainRef.current;
    if (!main) return;
    const focusHeading = () => {
      const heading = main.querySelector<HTMLElement>('h1');
      heading?.focus();
      return Boolean(heading);
    };
    if (focusHeading()) return;
    // A lazily loaded page has no heading yet: wait for it (briefly).
    const observer = new MutationObserver(() => {
      if (focusHeading()) observer.disconnect();
    });
    observer.observe(main, { childList: true, subtree: true });
    const timer = window.setTimeout(() => observer.disconnect(), 5000);
    return () => {
      observer.disconnect();
      window.clearTimeout(timer);
    };
  }, [page]);

  let content: ReactNode;
  switch (page) {
    case 'overview':
      content = <OverviewPage />;
      break;
    case 'shipments':
      content = <ShipmentsPage params={route.params} />;
      break;
    case 'alerts':
      content = <AlertsPage alertId={route.segments[1]} params={route.params} />;
      break;
    case 'provenance':
      content = <ProvenancePage params={route.params} />;
      break;
    case 'demand':
      content = (
        <Suspense fallback={<Loading label="Loading the demand page…" />}>
          <DemandPage params={route.params} />
        </Suspense>
      );
      break;
    case 'models':
      content = <ModelsPage name={route.segments[1]} version={route.segments[2]} />;
      break;
    case 'not-found':
      content = <NotFoundPage />;
      break;
  }

  return (
    <AppContext.Provider value={context}>
      <AppShell current={page} mainRef={mainRef}>
        <ErrorBoundary resetKey={page}>{content}</ErrorBoundary>
      </AppShell>
      <div className="visually-hidden" aria-live="polite" aria-atomic="true">
        {polite}
      </div>
      <div className="visually-hidden" aria-live="assertive" aria-atomic="true">
        {assertive}
      </div>
    </AppContext.Provider>
  );
}
