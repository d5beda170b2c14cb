/**
 * EPCIS 2.0 events as they arrive in the JSON/JSON-LD binding (GS1 EPCIS 2.0 §7, CBV 2.0). These types describe a
 * document that has passed validation; before that, treat input as `unknown`.
 *
 * Vocabulary fields (bizStep, disposition, ...) hold either the bare CBV name (`shipping`) or a URI of the
 * sender's own vocabulary; identifiers hold EPC URNs (`urn:epc:id:sgtin:...`) or GS1 Digital Link URIs.
 */

/** One entry of a JSON-LD `@context`: a context URL or an inline map of terms/prefixes to IRIs. */
export type JsonLdContextEntry = string | Record<string, unknown>;
export type JsonLdContext = JsonLdContextEntry | JsonLdContextEntry[];

/** A URI (EPC URN, GS1 Digital Link, `urn:uuid:...`, `https://...`, a compact IRI such as `example:x`). */
export type Uri = string;

/**
 * User extensions: any key that is a compact IRI (`example:myField`) or an absolute IRI, with any JSON value.
 * The template-literal index keeps standard fields strictly typed while still admitting extension keys.
 */
export type EpcisExtensions = { [extension: `${string}:${string}`]: unknown };

export const EPCIS_EVENT_TYPES = [
  'ObjectEvent',
  'AggregationEvent',
  'TransactionEvent',
  'TransformationEvent',
  'AssociationEvent',
] as const;
export type EpcisEventType = (typeof EPCIS_EVENT_TYPES)[number];

/** Event fields holding lists of instance identifiers, and lists of quantities of a class. */
export const EPC_LIST_FIELDS = ['epcList', 'childEPCs', 'inputEPCList', 'outputEPCList'] as const;
export const QUANTITY_LIST_FIELDS = [
  'quantityList',
  'childQuantityList',
  'inputQuantityList',
  'outputQuantityList',
] as const;

export const EPCIS_ACTIONS = ['ADD', 'OBSERVE', 'DELETE'] as const;
export type EpcisAction = (typeof EPCIS_ACTIONS)[number];

export interface QuantityElement {
  /** Class-level identifier: `urn:epc:class:lgtin:...`, `urn:epc:idpat:sgtin:...`, or a GTIN(+lot) Digital Link. */
  epcClass: Uri;
  /** Omitted when the quantity is unknown. */
  quantity?: number;
  /** UN/ECE Recommendation 20 code (`KGM`); omitted for a count of instances. */
  uom?: string;
}

export interface ReadPoint extends EpcisExtensions {
  id: Uri;
}
export type BizLocation = ReadPoint;

export interface BizTransaction {
  /** CBV business transaction type (`po`, `desadv`, ...) or a URI. */
  type?: string;
  bizTransaction: Uri;
}

export interface Source {
  /** CBV source/destination type (`owning_party`, `possessing_party`, `location`) or a URI. */
  type: string;
  source: Uri;
}

export interface Destination {
  type: string;
  destination: Uri;
}

export interface PersistentDisposition {
  set?: string[];
  unset?: string[];
}

export interface SensorMetadata extends EpcisExtensions {
  time?: string;
  startTime?: string;
  endTime?: string;
  deviceID?: Uri;
  deviceMetadata?: Uri;
  rawData?: Uri;
  dataProcessingMethod?: Uri;
  bizRules?: Uri;
}

export interface SensorReport extends EpcisExtensions {
  /** GS1 Web Vocabulary measurement type (`Temperature`) or a URI. */
  type: string;
  exception?: string;
  deviceID?: Uri;
  deviceMetadata?: Uri;
  rawData?: Uri;
  dataProcessingMethod?: Uri;
  bizRules?: Uri;
  time?: string;
  microorganism?: Uri;
  chemicalSubstance?: Uri;
  coordinateReferenceSystem?: Uri;
  value?: number;
  component?: string;
  stringValue?: string;
  booleanValue?: boolean;
  hexBinaryValue?: string;
  uriValue?: Uri;
  minValue?: number;
  maxValue?: number;
  meanValue?: number;
  sDev?: number;
  percRank?: number;
  percValue?: number;
  uom?: string;
}

export interface SensorElement extends EpcisExtensions {
  sensorMetadata?: SensorMetadata;
  sensorReport: SensorReport[];
}

/** Instance/lot master data; keys are compact IRIs such as `cbvmda:lotNumber` or `example:batch`. */
export type Ilmd = Record<string, unknown>;

export interface ErrorDeclaration extends EpcisExtensions {
  declarationTime: string;
  /** CBV error reason (`did_not_occur`, `incorrect_data`) or a URI. */
  reason?: string;
  correctiveEventIDs?: Uri[];
}

/** Fields every EPCIS event has (EPCIS 2.0 §7.4.1). */
export interface EpcisEventBase extends EpcisExtensions {
  '@context'?: JsonLdContext;
  type: string;
  /** RFC 3339 date-time with offset. */
  eventTime: string;
  /** `±hh:mm`, the local offset where the event happened. */
  eventTimeZoneOffset: string;
  recordTime?: string;
  eventID?: Uri;
  certificationInfo?: Uri | Uri[];
  errorDeclaration?: ErrorDeclaration;
}

/** The "where/why" dimensions shared by most event types. */
interface EpcisBusinessContext {
  bizStep?: string;
  disposition?: string;
  readPoint?: ReadPoint;
  bizLocation?: BizLocation;
  bizTransactionList?: BizTransaction[];
  sourceList?: Source[];
  destinationList?: Destination[];
  sensorElementList?: SensorElement[];
}

export interface ObjectEvent extends EpcisEventBase, EpcisBusinessContext {
  type: 'ObjectEvent';
  action: EpcisAction;
  epcList?: Uri[];
  quantityList?: QuantityElement[];
  persistentDisposition?: PersistentDisposition;
  /** Only with action ADD. */
  ilmd?: Ilmd;
}

export interface AggregationEvent extends EpcisEventBase, EpcisBusinessContext {
  type: 'AggregationEvent';
  action: EpcisAction;
  /** Required for ADD and DELETE. */
  parentID?: Uri;
  childEPCs?: Uri[];
  childQuantityList?: QuantityElement[];
}

export interface TransactionEvent extends EpcisEventBase, EpcisBusinessContext {
  type: 'TransactionEvent';
  action: EpcisAction;
  bizTransactionList: BizTransaction[];
  parentID?: Uri;
  epcList?: Uri[];
  quantityList?: QuantityElement[];
}

export interface TransformationEvent extends EpcisEventBase, EpcisBusinessContext {
  type: 'TransformationEvent';
  inputEPCList?: Uri[];
  inputQuantityList?: QuantityElement[];
  outputEPCList?: Uri[];
  outputQuantityList?: QuantityElement[];
  transformationID?: Uri;
  persistentDisposition?: PersistentDisposition;
  ilmd?: Ilmd;
}

export interface AssociationEvent extends EpcisEventBase, EpcisBusinessContext {
  type: 'AssociationEvent';
  action: EpcisAction;
  /** Required for ADD and DELETE. */
  parentID?: Uri;
  childEPCs?: Uri[];
  childQuantityList?: QuantityElement[];
}

export type EpcisEvent =
  ObjectEvent | AggregationEvent | TransactionEvent | TransformationEvent | AssociationEvent;

/** An event type defined outside the standard (its `type` is a URI); the schema admits these. */
export interface ExtensionEvent extends EpcisEventBase {
  type: Uri;
}

export function isEpcisEventType(value: unknown): value is EpcisEventType {
  return typeof value === 'string' && (EPCIS_EVENT_TYPES as readonly string[]).includes(value);
}

export function isEpcisAction(value: unknown): value is EpcisAction {
  return value === 'ADD' || value === 'OBSERVE' || value === 'DELETE';
}
