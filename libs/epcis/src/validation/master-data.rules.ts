import { type EpcisDocumentContext, classifyIri } from '../model/epcis-document-context';
import { vocabularyListsOf } from '../model/master-data';
import { EpcisIssueCode } from './epcis-issue.types';
import type { IssueSink } from './epcis-rules.validator';
import { describeValue } from './json-pointer.util';

/**
 * Master data rules, for a header's vocabulary list and a master data document's body alike. The JSON Schema says
 * only "must have required property 'id'" or "must match format uri"; these name the vocabulary and the element, and
 * say what is expected. Master data is refused or stored as a whole document: no issue carries an event index.
 *
 * A vocabulary type Pedigree does not know is kept as sent, not refused. EPCIS names vocabulary types by URI; beside
 * the types of its own fields (ReadPoint, BusinessLocation, EPCClass, …) it lets user vocabularies and other standards
 * define more (EPCIS 1.2 and 2.0 §6.2, vocabulary kinds), and both the XSD (`type` is any URI) and the JSON Schema (a
 * `uri`) accept any. Such elements are stored and listed at GET /v1/master-data as their publisher stated them; only
 * an EPCClass ever describes a product. A type that is not a URI at all is refused, like an element without an id.
 */
export function checkMasterDataRules(
  document: unknown,
  context: EpcisDocumentContext,
  sink: IssueSink,
): void {
  const rule = new UriRule(sink, context);
  for (const { pointer, list } of vocabularyListsOf(document)) {
    list.forEach((vocabulary, i) => {
      if (isRecord(vocabulary)) checkVocabulary(vocabulary, `${pointer}/${i}`, i, rule);
    });
  }
}

const TYPE_HINT =
  'name the vocabulary by its type URI, e.g. urn:epcglobal:epcis:vtype:EPCClass (a type of your own as a URI in a ' +
  'namespace you control)';
const ID_HINT =
  'a vocabulary element names what it describes, e.g. urn:epc:idpat:sgtin:4012345.012345.* for a product class or ' +
  'urn:epc:id:sgln:4012345.00001.0 for a location';
const ATTRIBUTE_HINT = 'name each attribute by URI, e.g. cbvmda:regulatedProductName';
const CHILD_HINT = 'a child is the id of another element';

function checkVocabulary(
  vocabulary: Record<string, unknown>,
  field: string,
  index: number,
  rule: UriRule,
): void {
  const type = vocabulary.type;
  const name = `vocabulary ${index}`;
  const bareWord = typeof type === 'string' && /^[A-Za-z]+$/.test(type);
  rule.check(type, {
    field: `${field}/type`,
    missing: `${name} has no type`,
    invalid: `the type of ${name}`,
    hint: bareWord ? `${TYPE_HINT}. Did you mean urn:epcglobal:epcis:vtype:${type}?` : TYPE_HINT,
  });
  const elements = vocabulary.vocabularyElementList;
  if (!Array.isArray(elements)) return;
  const owner = typeof type === 'string' && type !== '' ? type : name;
  elements.forEach((element, j) => {
    if (isRecord(element))
      checkElement(element, `${field}/vocabularyElementList/${j}`, `${owner} element ${j}`, rule);
  });
}

function checkElement(element: Record<string, unknown>, field: string, name: string, rule: UriRule): void {
  const id = element.id;
  rule.check(id, {
    field: `${field}/id`,
    missing: `${name} has no id`,
    invalid: `the id of ${name}`,
    hint: ID_HINT,
  });
  const owner = typeof id === 'string' && id !== '' ? id : name;
  const attributes = Array.isArray(element.attributes) ? element.attributes : [];
  attributes.forEach((attribute, k) => {
    if (!isRecord(attribute)) return;
    rule.check(attribute.id, {
      field: `${field}/attributes/${k}/id`,
      missing: `attribute ${k} of ${owner} has no id`,
      invalid: `the id of attribute ${k} of ${owner}`,
      hint: ATTRIBUTE_HINT,
    });
  });
  const children = Array.isArray(element.children) ? element.children : [];
  children.forEach((child, k) => {
    rule.check(child, {
      field: `${field}/children/${k}`,
      missing: `child ${k} of ${owner} is empty`,
      invalid: `child ${k} of ${owner}`,
      hint: CHILD_HINT,
    });
  });
}

interface Named {
  /** JSON pointer of the value. */
  field: string;
  /** The refusal when the value is absent ("urn:epcglobal:epcis:vtype:EPCClass element 3 has no id"). */
  missing: string;
  /** What the value is, to say it is not a URI ("the id of attribute 2 of urn:epc:idpat:…"). */
  invalid: string;
  /** What is expected. */
  hint: string;
}

/** A value that must name something by URI: reported when absent, or quoted when it is not a URI. */
class UriRule {
  constructor(
    private readonly sink: IssueSink,
    private readonly context: EpcisDocumentContext,
  ) {}

  check(value: unknown, named: Named): void {
    const problem = uriProblem(value, this.context);
    if (problem === undefined) return;
    const what =
      problem === 'missing'
        ? named.missing
        : `${named.invalid} is ${describeValue(value)}, which is not a URI`;
    const quoted = problem === 'missing' ? undefined : value;
    this.sink.add(EpcisIssueCode.MASTER_DATA, named.field, `${what}: ${named.hint}`, undefined, quoted);
  }
}

/**
 * Why a value cannot name a vocabulary, an element or an attribute: absent or empty (XML gives '' for a missing
 * attribute), or not a URI. A compact IRI whose prefix the context lacks is a URI of that scheme, as XML writes it.
 */
function uriProblem(value: unknown, context: EpcisDocumentContext): 'missing' | 'not-a-uri' | undefined {
  if (value === undefined || value === null || value === '') return 'missing';
  if (typeof value !== 'string') return 'not-a-uri';
  return classifyIri(value, context) === 'not-an-iri' ? 'not-a-uri' : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
