import { CopyButton } from './copy-button';

/** A hash in full (people compare them character by character) with a button that copies it; "—" when absent. */
export function HashValue({ value, label }: { value: string | null | undefined; label: string }) {
  if (!value) return <span className="muted">—</span>;
  return (
    <span className="hash">
      <code className="break">{value}</code>
      <CopyButton value={value} label={label} />
    </span>
  );
}
