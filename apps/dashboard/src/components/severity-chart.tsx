import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  LabelList,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { SEVERITIES, type Severity } from '../api/types';
import { humanise } from '../format';

/** Bar colours with at least 4.3:1 contrast on white; each bar also carries its count and its severity name. */
export const SEVERITY_COLOURS: Record<Severity, string> = {
  critical: '#b3161d',
  high: '#c2500f',
  medium: '#a86d00',
  low: '#3b6fa0',
};

export default function SeverityChart({ counts }: { counts: Record<Severity, number> }) {
  const data = SEVERITIES.map((severity) => ({
    severity,
    label: humanise(severity),
    count: counts[severity] ?? 0,
  }));
  const summary = data.map((d) => `${d.label}: ${d.count}`).join(', ');
  return (
    <figure className="chart chart--severity" aria-label={`Open alerts by severity. ${summary}.`}>
      <div aria-hidden="true" className="chart__canvas">
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={data} margin={{ top: 24, right: 8, bottom: 4, left: 0 }} accessibilityLayer={false}>
            <CartesianGrid stroke="#dde3ea" vertical={false} />
            <XAxis
              dataKey="label"
              tick={{ fill: '#1b2430', fontSize: 13 }}
              tickLine={false}
              axisLine={{ stroke: '#8a96a3' }}
            />
            <YAxis
              allowDecimals={false}
              width={36}
              tick={{ fill: '#525f6e', fontSize: 12 }}
              axisLine={false}
              tickLine={false}
            />
            <Tooltip cursor={{ fill: '#eef2f6' }} formatter={(value) => [String(value), 'Open alerts']} />
            <Bar dataKey="count" radius={[3, 3, 0, 0]} isAnimationActive={false} maxBarSize={64}>
              {data.map((d) => (
                <Cell key={d.severity} fill={SEVERITY_COLOURS[d.severity]} />
              ))}
              <LabelList dataKey="count" position="top" fill="#1b2430" fontSize={13} fontWeight={600} />
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="visually-hidden">Open alerts by severity: {summary}.</figcaption>
    </figure>
  );
}
