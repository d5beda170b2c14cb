/**
 * European planning regions (centre coordinates of a real city, a radius for scattering sites) and
 * great-circle distances. Coordinates only need to be plausible: they drive lead times in the simulator and
 * the implied-speed check in the detector.
 */
import type { RegionInfo } from './network.types';

/** Ordered so that the first few regions already mix countries and distances. */
export const EUROPEAN_REGIONS: readonly (RegionInfo & { gs1Prefix: string })[] = [
  { code: 'DE-N', country: 'DE', name: 'Hamburg', lat: 53.55, lon: 9.99, radiusKm: 90, gs1Prefix: '400' },
  { code: 'DE-S', country: 'DE', name: 'Munich', lat: 48.14, lon: 11.58, radiusKm: 100, gs1Prefix: '401' },
  { code: 'FR-N', country: 'FR', name: 'Paris', lat: 48.86, lon: 2.35, radiusKm: 110, gs1Prefix: '300' },
  { code: 'AT', country: 'AT', name: 'Vienna', lat: 48.21, lon: 16.37, radiusKm: 90, gs1Prefix: '900' },
  { code: 'NL', country: 'NL', name: 'Utrecht', lat: 52.09, lon: 5.12, radiusKm: 70, gs1Prefix: '870' },
  { code: 'PL', country: 'PL', name: 'Warsaw', lat: 52.23, lon: 21.01, radiusKm: 120, gs1Prefix: '590' },
  { code: 'IT-N', country: 'IT', name: 'Milan', lat: 45.46, lon: 9.19, radiusKm: 100, gs1Prefix: '800' },
  { code: 'ES', country: 'ES', name: 'Madrid', lat: 40.42, lon: -3.7, radiusKm: 130, gs1Prefix: '840' },
  { code: 'DE-W', country: 'DE', name: 'Cologne', lat: 50.94, lon: 6.96, radiusKm: 80, gs1Prefix: '402' },
  { code: 'FR-S', country: 'FR', name: 'Lyon', lat: 45.76, lon: 4.84, radiusKm: 110, gs1Prefix: '301' },
  { code: 'BE', country: 'BE', name: 'Brussels', lat: 50.85, lon: 4.35, radiusKm: 60, gs1Prefix: '540' },
  { code: 'DK', country: 'DK', name: 'Copenhagen', lat: 55.68, lon: 12.57, radiusKm: 80, gs1Prefix: '570' },
  { code: 'CZ', country: 'CZ', name: 'Prague', lat: 50.08, lon: 14.44, radiusKm: 90, gs1Prefix: '859' },
  { code: 'DE-E', country: 'DE', name: 'Berlin', lat: 52.52, lon: 13.4, radiusKm: 90, gs1Prefix: '403' },
];

const EARTH_RADIUS_KM = 6371;

/** Great-circle distance in km (haversine). */
export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A point `km` away from `origin` in direction `bearing` (radians), on a locally flat earth (fine below ~300 km). */
export function offsetKm(
  origin: { lat: number; lon: number },
  km: number,
  bearing: number,
): { lat: number; lon: number } {
  const dLat = (km * Math.cos(bearing)) / 111.2;
  const dLon = (km * Math.sin(bearing)) / (111.2 * Math.cos((origin.lat * Math.PI) / 180));
  return { lat: round(origin.lat + dLat, 4), lon: round(origin.lon + dLon, 4) };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
