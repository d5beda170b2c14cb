import { createContext, useContext } from 'react';
import type { ApiClient } from '../api/client';
import type { LiveStream } from '../api/stream';
import type { Me } from '../api/types';

export type PageId = 'overview' | 'shipments' | 'alerts' | 'provenance' | 'demand' | 'models';

export interface AppContextValue {
  client: ApiClient;
  me: Me;
  stream: LiveStream;
  /** Pages the API answered 403 for with this key: hidden from the navigation. */
  forbidden: ReadonlySet<PageId>;
  markForbidden: (page: PageId) => void;
  /** Says something to screen-reader users through the app's polite (or assertive) live region. */
  announce: (message: string, politeness?: 'polite' | 'assertive') => void;
  signOut: (reason?: string) => void;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside <AppContext.Provider>');
  return value;
}
