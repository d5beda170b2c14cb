import {
  Area,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatDate, formatNumber } from '../format';

export interface ForecastRow {
  periodStart: string;
  actual?: number;
  p50?: number;
  band80?: [number, number];
  band95?: [number, number];
}

function tooltipValue(value: unknown): string {
  if (Array.isArray(value)) return `${formatNumber(Number(value[0]))} – ${formatNumber(Number(value[1]))}`;
  return formatNumber(Number(value));
}

/**
 * Actuals and the forecast: the 95 % band behind the 80 % band (recharts range `Area`s of `[low, high]`), the
 * median forecast as a dashed line and the actuals as a solid one. The same numbers are in the table beside it.
 */
export default function ForecastChart({ rows, label }: { rows: ForecastRow[]; label: string }) {
  return (
    <figure className="chart chart--forecast" aria-label={label}>
      <div aria-hidden="true" className="chart__canvas">
        <ResponsiveContainer width="100%" height={340}>
          <ComposedChart
            data={rows}
            margin={{ top: 12, right: 16, bottom: 4, left: 0 }}
            accessibilityLayer={false}
          >
            <CartesianGrid stroke="#dde3ea" />
            <XAxis
              dataKey="periodStart"
              tickFormatter={(value: string) => formatDate(value)}
              tick={{ fill: '#1b2430', fontSize: 12 }}
              minTickGap={24}
              axisLine={{ stroke: '#8a96a3' }}
            />
            <YAxis tick={{ fill: '#525f6e', fontSize: 12 }} width={48} axisLine={false} tickLine={false} />
            <Tooltip
              labelFormatter={(value) => `Week of ${formatDate(String(value))}`}
              formatter={(value, name) => [tooltipValue(value), name]}
            />
            <Legend
              wrapperStyle={{ fontSize: 13 }}
              formatter={(value) => <span className="chart__legend-text">{value}</span>}
            />
            <Area
              type="monotone"
              dataKey="band95"
              name="95 % band"
              stroke="#6a88a8"
              strokeDasharray="3 3"
              fill="#dbe6f1"
              fillOpacity={1}
              isAnimationActive={false}
              connectNulls={false}
            />
            <Area
              type="monotone"
              dataKey="band80"
              name="80 % band"
              stroke="#3f6a96"
              fill="#a9c3de"
              fillOpacity={1}
              isAnimationActive={false}
              connectNulls={false}
            />
            <Line
              type="monotone"
              dataKey="actual"
              name="Actual"
              stroke="#1b2430"
              strokeWidth={2}
              dot={{ r: 2 }}
              isAnimationActive={false}
              connectNulls={false}
            />
            <Line
              type="monotone"
              dataKey="p50"
              name="Forecast (median)"
              stroke="#b3461b"
              strokeWidth={2}
              strokeDasharray="6 4"
              dot={{ r: 3 }}
              isAnimationActive={false}
              connectNulls={false}
            />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
