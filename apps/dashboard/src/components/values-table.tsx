/** A card's open-ended record (hyper-parameters, metrics, training source) as a two-column table. */
export function ValuesTable({
  values,
  caption,
  formatNumber = String,
}: {
  values: Record<string, unknown>;
  caption: string;
  /** Metrics are rounded for reading; hyper-parameters are shown exactly as trained with (the default). */
  formatNumber?: (value: number) => string;
}) {
  const entries = Object.entries(values);
  if (entries.length === 0) return <p className="muted">None recorded.</p>;
  return (
    <table className="table table--compact table--kv table--values">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {entries.map(([name, value]) => (
          <tr key={name}>
            <th scope="row" className="mono">
              {name}
            </th>
            <td className={typeof value === 'number' ? 'num' : undefined}>
              {typeof value === 'number' ? (
                formatNumber(value)
              ) : typeof value === 'object' && value !== null ? (
                // Nested settings (a data window, a list of candidates) as compact JSON rather than hidden.
                <code className="break">{JSON.stringify(value)}</code>
              ) : (
                String(value)
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
