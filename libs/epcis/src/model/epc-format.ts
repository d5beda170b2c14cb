import { EPC_LIST_FIELDS, QUANTITY_LIST_FIELDS } from './epcis-event.model';

/**
 * The `GS1-EPC-Format` header of the EPCIS 2.0 REST binding: how a client wants identifiers written in query
 * answers. `No_Preference` and `Never_Translates` answer with the identifiers as they were captured.
 */
export const EPC_FORMATS = [
  'No_Preference',
  'Always_GS1_Digital_Link',
  'Always_EPC_URN',
  'Never_Translates',
] as const;
export type EpcFormat = (typeof EPC_FORMATS)[number];

export function isEpcFormat(value: string): value is EpcFormat {
  return (EPC_FORMATS as readonly string[]).includes(value);
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A copy of an event with every identifier field (EPC lists, parentID, quantity classes, read point, business
 * location, sources and destinations) passed through `translate`; everything else shared with the input. The Event
 * Hash ID does not change: the hash writes both forms the same.
 */
export function translateEventIdentifiers(event: Json, translate: (id: string) => string): Json {
  const out: Json = { ...event };
  const one = (value: unknown) => (typeof value === 'string' ? translate(value) : value);
  for (const key of EPC_LIST_FIELDS)
    if (Array.isArray(event[key])) out[key] = (event[key] as unknown[]).map(one);
  if (typeof event.parentID === 'string') out.parentID = translate(event.parentID);
  for (const key of QUANTITY_LIST_FIELDS) {
    if (Array.isArray(event[key])) {
      out[key] = (event[key] as unknown[]).map((q) =>
        isRecord(q) ? { ...q, epcClass: one(q.epcClass) } : q,
      );
    }
  }
  for (const key of ['readPoint', 'bizLocation'] as const) {
    const place = event[key];
    if (isRecord(place)) out[key] = { ...place, id: one(place.id) };
  }
  for (const [key, field] of [
    ['sourceList', 'source'],
    ['destinationList', 'destination'],
  ] as const) {
    if (Array.isArray(event[key])) {
      out[key] = (event[key] as unknown[]).map((e) => (isRecord(e) ? { ...e, [field]: one(e[field]) } : e));
    }
  }
  return out;
}
