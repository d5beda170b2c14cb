/**
 * Cold chain: a product's storage temperature range (from its master data) and the temperatures an event's sensor
 * reports recorded (EPCIS 2.0 `sensorElementList`), in degrees Celsius.
 *
 * The range is read from the GS1 Web Vocabulary attributes `gs1:minimumTemperature` / `gs1:maximumTemperature` on
 * the product class (the terms of GS1 AIs 4330–4333), as a number of °C, a string ("2", "2 CEL", "36 FAH") or a
 * QuantitativeValue (`{"value": 2, "unitCode": "CEL"}`). No CBV attribute says this; these are the terms a GS1
 * partner would look for first.
 */

export interface StorageRange {
  minC?: number;
  maxC?: number;
}

export interface TemperatureReading {
  /** °C */
  value: number;
  /** When the report says, else the sensor metadata's time. */
  time?: string;
  deviceId?: string;
}

const GS1_VOC = ['https://gs1.org/voc/', 'http://gs1.org/voc/', 'https://ref.gs1.org/voc/'];
const TEMPERATURE_TYPES = new Set([
  'Temperature',
  'gs1:Temperature',
  ...GS1_VOC.map((b) => `${b}Temperature`),
]);
const VALUE_FIELDS = ['value', 'minValue', 'maxValue', 'meanValue'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** °C from a value and a UN/CEFACT unit (CEL, FAH, KEL); undefined for anything else. */
export function toCelsius(value: number, uom: string | undefined): number | undefined {
  if (!Number.isFinite(value)) return undefined;
  if (uom === undefined || uom === 'CEL') return value;
  if (uom === 'FAH') return ((value - 32) * 5) / 9;
  if (uom === 'KEL') return value - 273.15;
  return undefined;
}

function temperatureOf(raw: unknown): number | undefined {
  if (typeof raw === 'number') return toCelsius(raw, 'CEL');
  if (typeof raw === 'string') {
    const match = /^\s*(-?\d+(?:\.\d+)?)\s*(CEL|FAH|KEL)?\s*$/.exec(raw);
    return match ? toCelsius(Number(match[1]), match[2]) : undefined;
  }
  if (isRecord(raw)) {
    const value = typeof raw.value === 'number' ? raw.value : Number(raw.value);
    return toCelsius(value, typeof raw.unitCode === 'string' ? raw.unitCode : undefined);
  }
  return undefined;
}

/** A product class's storage range from its master data attributes (IRIs expanded), if it states one. */
export function storageRangeOf(attributes: Record<string, unknown>): StorageRange | undefined {
  const read = (local: string) => {
    for (const base of GS1_VOC) {
      const value = temperatureOf(attributes[base + local]);
      if (value !== undefined) return value;
    }
    return undefined;
  };
  const minC = read('minimumTemperature');
  const maxC = read('maximumTemperature');
  if (minC === undefined && maxC === undefined) return undefined;
  return { ...(minC !== undefined ? { minC } : {}), ...(maxC !== undefined ? { maxC } : {}) };
}

/** Every temperature an event's sensor reports recorded (value, min, max and mean alike), in °C. */
export function temperatureReadings(event: Record<string, unknown>): TemperatureReading[] {
  const readings: TemperatureReading[] = [];
  const elements = Array.isArray(event.sensorElementList) ? event.sensorElementList : [];
  for (const element of elements) {
    if (!isRecord(element)) continue;
    const metadata = isRecord(element.sensorMetadata) ? element.sensorMetadata : {};
    for (const report of Array.isArray(element.sensorReport) ? element.sensorReport : []) {
      if (!isRecord(report) || typeof report.type !== 'string' || !TEMPERATURE_TYPES.has(report.type))
        continue;
      const time =
        typeof report.time === 'string'
          ? report.time
          : typeof metadata.time === 'string'
            ? metadata.time
            : undefined;
      const deviceId =
        typeof report.deviceID === 'string'
          ? report.deviceID
          : typeof metadata.deviceID === 'string'
            ? metadata.deviceID
            : undefined;
      for (const field of VALUE_FIELDS) {
        const raw = report[field];
        const value =
          typeof raw === 'number'
            ? toCelsius(raw, typeof report.uom === 'string' ? report.uom : undefined)
            : undefined;
        if (value !== undefined)
          readings.push({ value, ...(time ? { time } : {}), ...(deviceId ? { deviceId } : {}) });
      }
    }
  }
  return readings;
}

export interface Excursion {
  lowestC: number;
  highestC: number;
  range: StorageRange;
}

/** The readings outside the range, summarised; undefined when every reading is within it. */
export function excursionOf(readings: TemperatureReading[], range: StorageRange): Excursion | undefined {
  const outside = readings.filter(
    (r) =>
      (range.minC !== undefined && r.value < range.minC) ||
      (range.maxC !== undefined && r.value > range.maxC),
  );
  if (outside.length === 0) return undefined;
  const values = outside.map((r) => r.value);
  return { lowestC: Math.min(...values), highestC: Math.max(...values), range };
}

/** "2–8 °C", "≤ 25 °C", "≥ -20 °C". */
export function describeRange(range: StorageRange): string {
  if (range.minC !== undefined && range.maxC !== undefined) return `${range.minC}–${range.maxC} °C`;
  return range.maxC !== undefined ? `≤ ${range.maxC} °C` : `≥ ${range.minC} °C`;
}
