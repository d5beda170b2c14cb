/**
 * Impossible travel: a consignment recorded as received at a site farther from where it was shipped than a truck
 * can drive in the time between the two events. Only custody-consistent legs are judged (shipped to the site that
 * received it); an observation that breaks custody is a clone or custody break and is explained by those instead.
 */
export interface TravelLimits {
  /** Fastest plausible door-to-door average speed, km/h (motorway trucks average well below 90). */
  maxSpeedKmh: number;
  /** Shorter legs are never judged: coordinates are approximate and clocks drift by minutes. */
  minDistanceKm: number;
}

export const DEFAULT_TRAVEL_LIMITS: TravelLimits = { maxSpeedKmh: 120, minDistanceKm: 25 };

export interface TravelVerdict {
  km: number;
  hours: number;
  /** Implied speed; Infinity when the receipt is not after the shipment. */
  kmh: number;
}

/** The leg's implied speed when it is impossible, else undefined. */
export function impossibleLeg(
  km: number | undefined,
  shippedAt: number,
  receivedAt: number,
  limits: TravelLimits = DEFAULT_TRAVEL_LIMITS,
): TravelVerdict | undefined {
  if (km === undefined || km < limits.minDistanceKm) return undefined;
  const hours = (receivedAt - shippedAt) / 3_600_000;
  const kmh = hours > 0 ? km / hours : Infinity;
  return kmh > limits.maxSpeedKmh ? { km, hours, kmh } : undefined;
}
