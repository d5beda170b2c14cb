import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { ApiError } from '../api/api-error';
import { ApiClient } from '../api/client';
import type { Session } from '../api/session';

/**
 * Paste an organisation API key (`pdg_…`) or the consortium admin token. It is checked with `GET /v1/me` and then
 * kept in sessionStorage for this tab only.
 */
export function SignInPage({
  onSignedIn,
  reason,
}: {
  onSignedIn: (session: Session) => void;
  reason: string | null;
}) {
  const [key, setKey] = useState('');
  const [show, setShow] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const hintId = useId();
  const errorId = useId();

  useEffect(() => {
    document.title = 'Sign in · Pedigree';
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = key.trim();
    if (!value) {
      setError('Enter your organisation API key or the admin token.');
      inputRef.current?.focus();
      return;
    }
    setChecking(true);
    setError(null);
    try {
      const me = await new ApiClient(value).me();
      onSignedIn({ key: value, me });
    } catch (cause) {
      const apiError = cause instanceof ApiError ? cause : ApiError.network(cause);
      setError(apiError.unauthorized ? `This key was not accepted: ${apiError.detail}` : apiError.detail);
      setChecking(false);
      inputRef.current?.focus();
    }
  };

  return (
    <div className="sign-in">
      <header className="sign-in__header">
        <svg viewBox="0 0 32 32" width="40" height="40" aria-hidden="true" focusable="false">
          <rect width="32" height="32" rx="6" fill="#17476e" />
          <path
            d="M9 24V8h8a5 5 0 0 1 0 10h-8"
            fill="none"
            stroke="#fff"
            strokeWidth="3"
            strokeLinejoin="round"
          />
        </svg>
        <span className="sign-in__brand">Pedigree</span>
      </header>
      <main className="sign-in__card" id="main-content">
        <h1>Sign in to the logistics dashboard</h1>
        {reason ? (
          <p className="notice notice--info" role="status">
            {reason}
          </p>
        ) : null}
        <form onSubmit={(event) => void submit(event)} noValidate>
          <div className="field">
            <label htmlFor="api-key">API key or admin token</label>
            <p className="field__hint" id={hintId}>
              Paste your organisation’s API key (it starts with <code>pdg_</code>) or the consortium admin
              token. It is kept in this browser tab only and forgotten when you close it.
            </p>
            <input
              ref={inputRef}
              id="api-key"
              name="api-key"
              type={show ? 'text' : 'password'}
              value={key}
              onChange={(event) => setKey(event.target.value)}
              autoComplete="off"
              autoCapitalize="off"
              spellCheck={false}
              required
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${hintId} ${errorId}` : hintId}
              className="input input--wide mono"
            />
            {error ? (
              <p className="field__error" id={errorId} role="alert">
                {error}
              </p>
            ) : null}
          </div>
          <div className="field field--inline">
            <input
              id="show-key"
              type="checkbox"
              checked={show}
              onChange={(event) => setShow(event.target.checked)}
            />
            <label htmlFor="show-key">Show the key</label>
          </div>
          <button type="submit" className="button button--primary" disabled={checking} aria-busy={checking}>
            {checking ? 'Checking…' : 'Sign in'}
          </button>
        </form>
      </main>
    </div>
  );
}
