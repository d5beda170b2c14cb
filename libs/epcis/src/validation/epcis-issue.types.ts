/** Stable machine-readable codes: logged, put on dead letters and returned to capture clients. */
export const EpcisIssueCode = {
  /** The input is not JSON (or not UTF-8); the message gives the position. */
  MALFORMED_JSON: 'EPCIS_MALFORMED_JSON',
  /** The input is not well-formed XML (or not UTF-8); the message gives line and column. */
  MALFORMED_XML: 'EPCIS_MALFORMED_XML',
  /** The EPCIS XML Schema (XSD) rejects the document; the message gives the element and line. */
  XML_SCHEMA: 'EPCIS_XML_SCHEMA',
  /** A string holds a NUL character or a lone UTF-16 surrogate: no identifier or text in EPCIS can, and neither
   * PostgreSQL text nor jsonb can store one, so it is refused at the door rather than failing deep in a write. */
  INVALID_TEXT: 'EPCIS_INVALID_TEXT',
  /** The input exceeds the byte limit. */
  TOO_LARGE: 'EPCIS_TOO_LARGE',
  /** The input nests deeper than the depth limit (or, in objects built in code, extension values nest past 64). */
  TOO_DEEP: 'EPCIS_TOO_DEEP',
  /** The document holds more events than the event limit. */
  TOO_MANY_EVENTS: 'EPCIS_TOO_MANY_EVENTS',
  /** The root is not an EPCISDocument, EPCISQueryDocument or EPCISMasterDataDocument. */
  DOCUMENT_TYPE: 'EPCIS_DOCUMENT_TYPE',
  /** `schemaVersion` is not an EPCIS 2.x version. */
  UNSUPPORTED_VERSION: 'EPCIS_UNSUPPORTED_VERSION',
  /** The official EPCIS 2.0 JSON Schema rejects the value (distilled to the specific failing rule). */
  SCHEMA: 'EPCIS_SCHEMA',
  /** `@context` is missing or does not reference the EPCIS 2.0 context. */
  MISSING_CONTEXT: 'EPCIS_MISSING_CONTEXT',
  /** A compact IRI (extension key or vocabulary value) uses a prefix the `@context` does not define. */
  UNKNOWN_PREFIX: 'EPCIS_UNKNOWN_PREFIX',
  /** A bizStep/disposition/... value is neither a standard CBV term nor a URI with a namespace. */
  NON_STANDARD_VOCABULARY: 'EPCIS_NON_STANDARD_VOCABULARY',
  /** An EPC URN or GS1 Digital Link is not well-formed, or is class-level where an instance is required. */
  INVALID_EPC: 'EPCIS_INVALID_EPC',
  /** A GS1 key in a Digital Link has a wrong check digit. */
  CHECK_DIGIT: 'EPCIS_CHECK_DIGIT',
  /** A time is missing, not RFC 3339 with an offset, or `eventTimeZoneOffset` is not ±hh:mm. */
  INVALID_TIME: 'EPCIS_INVALID_TIME',
  /** A quantity is not a number ≥ 0, or a uom is given without a quantity. */
  INVALID_QUANTITY: 'EPCIS_INVALID_QUANTITY',
  /** A rule tied to `action` is broken (missing action, parentID for ADD/DELETE, ilmd only with ADD, ...). */
  ACTION_RULE: 'EPCIS_ACTION_RULE',
  /** An event-type rule not tied to action (what an ObjectEvent is about, TransformationEvent inputs/outputs, ...). */
  EVENT_RULE: 'EPCIS_EVENT_RULE',
  /** An errorDeclaration lacks its declarationTime or is not an object. */
  ERROR_DECLARATION: 'EPCIS_ERROR_DECLARATION',
  /** Master data that cannot be stored: a vocabulary without a type, an element or attribute without an id, or
   * one that is not a URI (the message names the vocabulary and the element). */
  MASTER_DATA: 'EPCIS_MASTER_DATA',
} as const;

export type EpcisIssueCode = (typeof EpcisIssueCode)[keyof typeof EpcisIssueCode];

export interface EpcisIssue {
  code: EpcisIssueCode;
  /** What is wrong and what was expected, for a person. */
  message: string;
  /** JSON pointer of the offending value (`/epcisBody/eventList/3/epcList/0`); '' for the whole input. */
  field: string;
  /** Index in the event list when the issue concerns one event. */
  eventIndex?: number;
  /** The offending value, JSON-encoded and truncated; absent when the value is missing. */
  value?: string;
  /** Where in the raw input (parse issues only); line and column are 1-based, offset is in UTF-16 units. */
  position?: { offset: number; line: number; column: number };
}

export interface EpcisValidationResult {
  valid: boolean;
  errors: EpcisIssue[];
  /** True when more issues were found than the validator reports (see `maxIssues`). */
  truncated?: boolean;
}
