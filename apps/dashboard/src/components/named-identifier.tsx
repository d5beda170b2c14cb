import type { IdentifierName, IdentifierNames, NameSource } from '../api/types';

const SOURCE_TEXT: Record<NameSource, string> = {
  owner: 'as its owner’s master data describes it',
  own: 'as your organisation’s master data describes it (its owner has not)',
  registry: 'the member registered with this GLN',
};

/** `GTIN 04012345123456 · as its owner’s master data describes it`: what a named identifier's tooltip says. */
export function nameTitle(identifier: string, name: IdentifierName): string {
  return `${identifier} · ${SOURCE_TEXT[name.source]}${name.address ? ` · ${name.address}` : ''}`;
}

/**
 * A GS1 key as a person reads it: the product or place master data names, the key itself as the secondary line and
 * in the tooltip. A key nobody named is shown as it is.
 */
export function NamedIdentifier({
  id,
  names,
  prefix,
  fallback = '—',
}: {
  id: string | null | undefined;
  names: IdentifierNames | undefined;
  /** `GTIN`, `GLN`: said before the key. */
  prefix?: string;
  /** Shown when there is no identifier. */
  fallback?: string;
}) {
  if (!id) return <span className="muted">{fallback}</span>;
  const shown = prefix ? `${prefix} ${id}` : id;
  const name = names?.[id];
  if (!name) return <span className="mono break">{shown}</span>;
  return (
    <span className="named" title={nameTitle(shown, name)}>
      <span className="named__label">{name.label}</span>
      <span className="named__id cell-line mono small muted break">{shown}</span>
    </span>
  );
}

/** A response's names merged into what an earlier page or tick brought. */
export function mergeNames(
  current: IdentifierNames | undefined,
  next: IdentifierNames | undefined,
): IdentifierNames | undefined {
  return current || next ? { ...current, ...next } : undefined;
}
