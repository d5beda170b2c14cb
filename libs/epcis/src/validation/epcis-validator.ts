import Ajv, { type AnySchemaObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import {
  type EpcisDocumentContext,
  createDocumentContext,
  getEventList,
} from '../model/epcis-document-context';
import type { AnyEpcisDocument } from '../model/epcis-document.model';
import { type EpcisLimits, resolveLimits } from './epcis-json-parser';
import { type EpcisIssue, EpcisIssueCode, type EpcisValidationResult } from './epcis-issue.types';
import { IssueSink, checkDocumentRules, checkEventRules } from './epcis-rules.validator';
import { masterDataDocumentSchema } from './master-data-document.schema';
import { checkMasterDataRules } from './master-data.rules';
import { EpcisValidationError } from './epcis-validation.error';
import { relaxOfficialSchema } from './schema-deviations';
import { isWithin } from './json-pointer.util';
import { type SchemaFinding, distilSchemaErrors } from './schema-error.distiller';

export interface EpcisValidatorOptions {
  /** The official EPCIS 2.0 JSON Schema (draft-07) as a parsed object; the caller loads the file. */
  schema: AnySchemaObject;
  /** Only `maxEvents` applies here (size and depth are the parser's business). */
  limits?: Partial<EpcisLimits>;
  /** Stop collecting after this many issues (the result says `truncated`). Default 100. */
  maxIssues?: number;
}

export interface EpcisValidator {
  /**
   * Validates a whole EPCISDocument, EPCISQueryDocument or EPCISMasterDataDocument (already parsed, e.g. by
   * `parseEpcisJson`), master data included.
   */
  validate(document: unknown): EpcisValidationResult;
  /**
   * Validates one event of a document, for `GS1-Capture-Error-Behaviour: proceed`: the ingest keeps the good
   * events and rejects the bad ones. `index` places issue fields in the document (`/epcisBody/eventList/<index>`);
   * without it fields are relative to the event.
   */
  validateEvent(event: unknown, context: EpcisDocumentContext, index?: number): EpcisValidationResult;
  /** `validate`, throwing `EpcisValidationError` with every issue when the document is invalid. */
  assertValid(document: unknown): AnyEpcisDocument;
}

interface CompiledSchema {
  /** First-error validators for the pass/fail decision: the hot path for valid input. */
  fastDocument: ValidateFunction;
  fastEvent: ValidateFunction;
  /** All-errors validators, only run to explain a failure. */
  detailedDocument: ValidateFunction;
  detailedEvent: ValidateFunction;
  /** An EPCISMasterDataDocument (the official schema has no definition of one). */
  fastMasterData: ValidateFunction;
  detailedMasterData: ValidateFunction;
}

const EVENT_DEFINITION = 'EPCIS-Document-Event';
/** Compilation takes ~100 ms; validators built from the same schema object share it. */
const compiledSchemas = new WeakMap<object, CompiledSchema>();

function compile(
  schema: AnySchemaObject,
  allErrors: boolean,
): { document: ValidateFunction; event: ValidateFunction; masterData: ValidateFunction } {
  const ajv = new Ajv({
    allErrors,
    strict: true,
    // The official schema lists required properties inside anyOf branches that declare no `properties`
    // (e.g. transformationID); that is valid JSON Schema, which strictRequired rejects.
    strictRequired: false,
    // Plain data in, plain data out: no coercion, no defaults, no removal.
    coerceTypes: false,
    useDefaults: false,
    removeAdditional: false,
  });
  addFormats(ajv, ['uri', 'date-time']);
  const id = typeof schema.$id === 'string' ? schema.$id : 'epcis-json-schema';
  if (typeof schema.$id === 'string') ajv.addSchema(schema);
  else ajv.addSchema(schema, id);
  const document = ajv.getSchema(id);
  if (!document) throw new Error('EPCIS JSON Schema could not be compiled');
  const definitions = schema.definitions as Record<string, unknown> | undefined;
  if (!definitions || !(EVENT_DEFINITION in definitions)) {
    throw new Error(`the schema is not the EPCIS 2.0 JSON Schema: it has no definitions/${EVENT_DEFINITION}`);
  }
  const event = ajv.compile({ $ref: `${id}#/definitions/${EVENT_DEFINITION}` });
  return { document, event, masterData: ajv.compile(masterDataDocumentSchema(id)) };
}

function compiledFor(schema: AnySchemaObject): CompiledSchema {
  let compiled = compiledSchemas.get(schema);
  if (!compiled) {
    const relaxed = relaxOfficialSchema(schema);
    const fast = compile(relaxed, false);
    const detailed = compile(relaxed, true);
    compiled = {
      fastDocument: fast.document,
      fastEvent: fast.event,
      detailedDocument: detailed.document,
      detailedEvent: detailed.event,
      fastMasterData: fast.masterData,
      detailedMasterData: detailed.masterData,
    };
    compiledSchemas.set(schema, compiled);
  }
  return compiled;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A shallow copy with an empty event list, to check the envelope without re-checking every event. */
function envelopeOf(document: Record<string, unknown>): Record<string, unknown> | undefined {
  const body = document.epcisBody;
  if (!isRecord(body)) return undefined;
  if (document.type === 'EPCISQueryDocument') {
    const results = body.queryResults;
    if (!isRecord(results) || !isRecord(results.resultsBody)) return undefined;
    return {
      ...document,
      epcisBody: {
        ...body,
        queryResults: { ...results, resultsBody: { ...results.resultsBody, eventList: [] } },
      },
    };
  }
  return Array.isArray(body.eventList) ? { ...document, epcisBody: { ...body, eventList: [] } } : undefined;
}

/**
 * Custom rules report with specific codes; a schema finding about the same field (or one of the alternatives it
 * was distilled from) adds nothing but noise, so it is dropped.
 */
function mergeIssues(sink: IssueSink, findings: SchemaFinding[], maxIssues: number): EpcisValidationResult {
  const customByEvent = new Map<number | undefined, string[]>();
  for (const issue of sink.issues) {
    const list = customByEvent.get(issue.eventIndex);
    if (list) list.push(issue.field);
    else customByEvent.set(issue.eventIndex, [issue.field]);
  }
  const documentFields = customByEvent.get(undefined) ?? [];
  const errors: EpcisIssue[] = [...sink.issues];
  for (const finding of findings) {
    const custom =
      finding.issue.eventIndex === undefined
        ? documentFields
        : (customByEvent.get(finding.issue.eventIndex) ?? []);
    const covered = finding.fields.some(
      (field) =>
        custom.some((c) => isWithin(field, c)) || documentFields.some((c) => c === '' || isWithin(field, c)),
    );
    if (!covered) errors.push(finding.issue);
  }
  // Document order: envelope first, then events by index (stable within an event).
  errors.sort((a, b) => (a.eventIndex ?? -1) - (b.eventIndex ?? -1));
  const truncated = sink.truncated || errors.length > maxIssues;
  const result: EpcisValidationResult = { valid: errors.length === 0, errors: errors.slice(0, maxIssues) };
  if (truncated) result.truncated = true;
  return result;
}

/**
 * Compiles the official EPCIS 2.0 JSON Schema once and returns a validator that checks documents against it and
 * against the rules it cannot express. Valid input costs one first-error schema pass plus the rule checks; the
 * all-errors pass and the error distillation run only for invalid units.
 */
export function createEpcisValidator(options: EpcisValidatorOptions): EpcisValidator {
  const compiled = compiledFor(options.schema);
  const maxIssues = options.maxIssues ?? 100;
  const { maxEvents } = resolveLimits(options.limits);

  const diagnoseEvent = (
    event: unknown,
    pointer: string,
    index: number | undefined,
    findings: SchemaFinding[],
  ): void => {
    if (compiled.fastEvent(event)) return;
    compiled.detailedEvent(event);
    findings.push(
      ...distilSchemaErrors(compiled.detailedEvent.errors ?? [], event, {
        basePointer: pointer,
        unitName: 'the event',
        ...(index === undefined ? {} : { eventIndex: index }),
      }),
    );
  };

  /** A master data document has no events: one schema pass over the whole of it. */
  const diagnoseMasterData = (document: unknown, findings: SchemaFinding[]): void => {
    if (compiled.fastMasterData(document)) return;
    compiled.detailedMasterData(document);
    findings.push(
      ...distilSchemaErrors(compiled.detailedMasterData.errors ?? [], document, {
        basePointer: '',
        unitName: 'the document',
      }),
    );
  };

  /** Objects built in code (not parsed under limits) can nest deep enough to overflow ajv's recursion. */
  const guarded =
    <A extends unknown[]>(check: (...args: A) => EpcisValidationResult) =>
    (...args: A): EpcisValidationResult => {
      try {
        return check(...args);
      } catch (error: unknown) {
        if (!(error instanceof RangeError)) throw error;
        return {
          valid: false,
          errors: [
            { code: EpcisIssueCode.TOO_DEEP, message: 'the input nests too deeply to validate', field: '' },
          ],
        };
      }
    };

  const validate = guarded((document: unknown): EpcisValidationResult => {
    const sink = new IssueSink(maxIssues);
    const findings: SchemaFinding[] = [];
    const context = createDocumentContext(document);
    checkDocumentRules(document, context, sink);
    // A non-document (a bare event, an array, ...) gets one clear issue, not a schema cascade.
    if (!isRecord(document) || context.documentType === undefined)
      return mergeIssues(sink, findings, maxIssues);

    checkMasterDataRules(document, context, sink);
    if (context.documentType === 'EPCISMasterDataDocument') {
      diagnoseMasterData(document, findings);
      return mergeIssues(sink, findings, maxIssues);
    }

    const events = getEventList(document);
    if (events && events.length > maxEvents) {
      sink.add(
        EpcisIssueCode.TOO_MANY_EVENTS,
        context.eventListPointer,
        `the document holds ${events.length} events; the limit is ${maxEvents}`,
      );
      return mergeIssues(sink, findings, maxIssues);
    }

    if (!compiled.fastDocument(document)) {
      const envelope = envelopeOf(document);
      const unit = envelope ?? document;
      if (!compiled.detailedDocument(unit)) {
        findings.push(
          ...distilSchemaErrors(compiled.detailedDocument.errors ?? [], unit, {
            basePointer: '',
            unitName: 'the document',
          }),
        );
      }
      if (envelope && events) {
        for (let i = 0; i < events.length && findings.length < maxIssues * 4; i++) {
          diagnoseEvent(events[i], `${context.eventListPointer}/${i}`, i, findings);
        }
      }
    }
    if (events) {
      for (let i = 0; i < events.length; i++) {
        if (sink.full) {
          sink.truncated = true;
          break;
        }
        checkEventRules(events[i], context, `${context.eventListPointer}/${i}`, i, sink);
      }
    }
    if (!context.hasContext) {
      // Without any @context every extension prefix is undefined; EPCIS_MISSING_CONTEXT already says why.
      const kept = sink.issues.filter((issue) => issue.code !== EpcisIssueCode.UNKNOWN_PREFIX);
      sink.issues.splice(0, sink.issues.length, ...kept);
    }
    return mergeIssues(sink, findings, maxIssues);
  });

  const validateEvent = guarded(
    (event: unknown, context: EpcisDocumentContext, index?: number): EpcisValidationResult => {
      const sink = new IssueSink(maxIssues);
      const findings: SchemaFinding[] = [];
      const pointer = index === undefined ? '' : `${context.eventListPointer}/${index}`;
      diagnoseEvent(event, pointer, index, findings);
      checkEventRules(event, context, pointer, index, sink);
      return mergeIssues(sink, findings, maxIssues);
    },
  );

  return {
    validate,
    validateEvent,
    assertValid: (document: unknown): AnyEpcisDocument => {
      const result = validate(document);
      if (!result.valid) throw new EpcisValidationError(result.errors);
      return document as AnyEpcisDocument;
    },
  };
}

/** Splits issues into document-level ones and per-event lists, for proceed-mode capture. */
export function groupIssuesByEvent(errors: readonly EpcisIssue[]): {
  document: EpcisIssue[];
  events: Map<number, EpcisIssue[]>;
} {
  const document: EpcisIssue[] = [];
  const events = new Map<number, EpcisIssue[]>();
  for (const issue of errors) {
    if (issue.eventIndex === undefined) {
      document.push(issue);
      continue;
    }
    const list = events.get(issue.eventIndex);
    if (list) list.push(issue);
    else events.set(issue.eventIndex, [issue]);
  }
  return { document, events };
}
