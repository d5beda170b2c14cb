import { useCallback, useState } from 'react';
import { loadSession, type Session, clearSession, saveSession } from './api/session';
import { SignedInApp } from './signed-in-app';
import { SignInPage } from './pages/sign-in-page';

/** Signed out: the sign-in page. Signed in: the dashboard, for the key kept in sessionStorage. */
export function App() {
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const [signedOutReason, setSignedOutReason] = useState<string | null>(null);

  const signIn = useCallback((next: Session) => {
    saveSession(next);
    setSignedOutReason(null);
    setSession(next);
  }, []);

  const signOut = useCallback((reason?: string) => {
    clearSession();
    setSignedOutReason(reason ?? null);
    setSession(null);
  }, []);

  if (!session) return <SignInPage onSignedIn={signIn} reason={signedOutReason} />;
  return <SignedInApp key={session.key} session={session} onSignOut={signOut} />;
}
