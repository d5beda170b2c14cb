export * from './anomaly.types';
export * from './anomaly-detector';
export * from './anomaly-scoring';
export * from './model/feature-autoencoder.model';
export { SHIPMENT_FEATURES, SHIPMENT_STRATA } from './features/shipment-features';
export { PHARMACY_WEEK_FEATURES } from './features/pharmacy-week-features';
export { SiteDirectory } from './site-directory';
export type { Finding, Observation, ItemRecord, PendingSuspicion, TrackerSnapshot } from './custody-tracker';
export { DEFAULT_TRAVEL_LIMITS, impossibleLeg } from './detectors/impossible-travel.detector';
