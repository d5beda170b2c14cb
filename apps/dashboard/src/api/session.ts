import type { Me } from './types';

const STORAGE_KEY = 'pedigree.dashboard.session';

export interface Session {
  key: string;
  me: Me;
}

/** The signed-in key lives in sessionStorage only: it is gone when the tab is closed. */
export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<Session>;
    if (typeof parsed.key !== 'string' || !parsed.me || typeof parsed.me.role !== 'string') return null;
    return { key: parsed.key, me: parsed.me };
  } catch {
    return null;
  }
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
