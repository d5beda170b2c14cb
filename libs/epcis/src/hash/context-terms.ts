import {
  CBV_BIZ_STEPS,
  CBV_BIZ_TRANSACTION_TYPES,
  CBV_DISPOSITIONS,
  CBV_ERROR_REASONS,
  CBV_NAMESPACES,
  CBV_SOURCE_DEST_TYPES,
  CBV_WEB_BASE,
} from '../cbv';

/**
 * The bare terms the EPCIS 2.0 JSON-LD context expands, per property. The reference implementation runs JSON-LD
 * expansion over the document and lets these expansions replace bare strings; the hash reproduces that from these
 * tables instead of a JSON-LD processor.
 */

const GS1_VOC = 'https://gs1.org/voc/';

/** gs1:MeasurementType terms of `sensorReport.type`, as listed in the EPCIS 2.0 context. */
const MEASUREMENT_TYPES =
  `AbsoluteHumidity AbsorbedDose AbsorbedDoseRate Acceleration Radioactivity Altitude AmountOfSubstance
AmountOfSubstancePerUnitVolume Angle AngularAcceleration AngularMomentum AngularVelocity Area Capacitance Conductance
Conductivity Count Density Dimensionless DoseEquivalent DoseEquivalentRate DynamicViscosity ElectricCharge
ElectricCurrent ElectricCurrentDensity ElectricFieldStrength Energy Exposure Force Frequency Illuminance Inductance
Irradiance KinematicViscosity Length LinearMomentum Luminance LuminousFlux LuminousIntensity MagneticFlux
MagneticFluxDensity MagneticVectorPotential Mass MassConcentration MassFlowRate MassPerAreaTime MemoryCapacity
MolalityOfSolute MolarEnergy MolarMass MolarVolume Power Pressure RadiantFlux RadiantIntensity RelativeHumidity Resistance
Resistivity SolidAngle SpecificVolume Speed SurfaceDensity SurfaceTension Temperature Time Torque Voltage Volume
VolumeFlowRate VolumeFraction VolumetricFlux Wavenumber`.split(/\s+/);

const SENSOR_EXCEPTIONS = ['ALARM_CONDITION', 'ERROR_CONDITION'];

const COMPONENTS = [
  'x',
  'y',
  'z',
  'axial_distance',
  'azimuth',
  'height',
  'spherical_radius',
  'polar_angle',
  'elevation_angle',
  'easting',
  'northing',
  'latitude',
  'longitude',
  'altitude',
];

export type TermTable = ReadonlyMap<string, string>;

function table(terms: readonly string[], namespace: string): TermTable {
  return new Map(terms.map((t) => [t, namespace + t]));
}

export const BIZ_STEP_TERMS = table(CBV_BIZ_STEPS, CBV_NAMESPACES.bizStep.web);
export const DISPOSITION_TERMS = table(CBV_DISPOSITIONS, CBV_NAMESPACES.disposition.web);
export const BIZ_TRANSACTION_TYPE_TERMS = table(
  CBV_BIZ_TRANSACTION_TYPES,
  CBV_NAMESPACES.bizTransactionType.web,
);
export const SOURCE_DEST_TYPE_TERMS = table(CBV_SOURCE_DEST_TYPES, CBV_NAMESPACES.sourceDestType.web);
export const ERROR_REASON_TERMS = table(CBV_ERROR_REASONS, CBV_NAMESPACES.errorReason.web);
export const MEASUREMENT_TYPE_TERMS = table(MEASUREMENT_TYPES, GS1_VOC);
export const SENSOR_EXCEPTION_TERMS = table(SENSOR_EXCEPTIONS, GS1_VOC);
export const COMPONENT_TERMS = table(COMPONENTS, `${CBV_WEB_BASE}Comp-`);

/** Expanded values the reference collects for bare-string replacement start with one of these. */
export const VOCABULARY_BASES = ['https://ref.gs1.org/cbv', 'https://gs1.org/voc'] as const;
