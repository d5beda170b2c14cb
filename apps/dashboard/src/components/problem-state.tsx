import type { ReactNode } from 'react';
import type { ApiError } from '../api/api-error';
import { useApp } from '../hooks/app-context';
import { humanise } from '../format';
import { Icon } from './icon';

/**
 * How an API failure is shown: a 403 is the normal "your role may not see this" state (never a crash), a 404 says
 * what is missing, anything else shows the problem's `detail` with a retry.
 */
export function ProblemState({
  error,
  what,
  onRetry,
}: {
  error: ApiError;
  what: string;
  onRetry?: () => void;
}) {
  const { me } = useApp();
  if (error.forbidden) {
    return (
      <div className="state state--forbidden" role="status">
        <Icon name="lock" size={24} />
        <div>
          <h2 className="state__title">Your role may not see this</h2>
          <p>
            Signed in as <strong>{humanise(me.role)}</strong>
            {me.organisationName ? ` (${me.organisationName})` : ''}, you do not have access to {what}.
          </p>
          {error.detail ? <p className="muted">{error.detail}</p> : null}
        </div>
      </div>
    );
  }
  if (error.notFound) {
    return (
      <div className="state state--empty" role="status">
        <Icon name="question" size={24} />
        <div>
          <h2 className="state__title">Not found</h2>
          <p>{error.detail || `No ${what} was found.`}</p>
        </div>
      </div>
    );
  }
  return (
    <div className="state state--error" role="alert">
      <Icon name="warning" size={24} />
      <div>
        <h2 className="state__title">Could not load {what}</h2>
        <p>{error.detail || error.message}</p>
        {error.code ? <p className="muted small">Code: {error.code}</p> : null}
        {onRetry ? (
          <button type="button" className="button" onClick={onRetry}>
            Try again
          </button>
        ) : null}
      </div>
    </div>
  );
}

export function Loading({ label }: { label: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state--empty" role="status">
      <Icon name="info" size={24} />
      <div>
        <h2 className="state__title">{title}</h2>
        {children}
      </div>
    </div>
  );
}
