import type { ReactNode } from 'react';

/** One figure on the overview: a description list so that label and value are read together. */
export function StatCard({
  label,
  value,
  unit,
  hint,
  tone,
  children,
}: {
  label: string;
  value: ReactNode;
  unit?: string;
  hint?: ReactNode;
  tone?: 'warning' | 'danger';
  children?: ReactNode;
}) {
  return (
    <div className={`stat${tone ? ` stat--${tone}` : ''}`}>
      <dt className="stat__label">{label}</dt>
      <dd className="stat__value">
        {value}
        {unit ? <span className="stat__unit"> {unit}</span> : null}
      </dd>
      {hint ? <dd className="stat__hint">{hint}</dd> : null}
      {children}
    </div>
  );
}
