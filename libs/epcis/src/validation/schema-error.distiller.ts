import type { ErrorObject } from 'ajv';
import { type EpcisIssue, EpcisIssueCode } from './epcis-issue.types';
import {
  describeValue,
  escapePointerSegment,
  isWithin,
  pointerDepth,
  resolvePointer,
} from './json-pointer.util';

/**
 * Turns ajv's raw errors (allErrors mode) for one unit — the document envelope or one event — into the few issues
 * a person needs. The official schema dispatches with `if/then` and expresses alternatives with `anyOf`, so a
 * single mistake produces a cascade: the `if` failure, every failed alternative, and a summary per `anyOf`.
 *
 * - `if` errors are dropped (they only say "must match then").
 * - Property-name errors (`propertyNames` + the enum/format noise before each) become one issue per bad key.
 * - Each `anyOf`/`oneOf`, innermost first, keeps only its alternatives that got deepest into the data (the branch
 *   the sender evidently meant); if they tie on one field they merge, else they become one "one of" issue.
 * - What remains is merged per field and de-duplicated.
 */
export interface SchemaFinding {
  issue: EpcisIssue;
  /**
   * Every field the finding speaks for: its own and those of the alternatives it was distilled from, so a custom
   * rule that reports any of them (with a better code) supersedes it.
   */
  fields: string[];
}

interface Node {
  index: number;
  keyword: string;
  instancePath: string;
  schemaPath: string;
  /** Data-relative pointer of the offending value (includes the missing or extra property name). */
  path: string;
  params: Record<string, unknown>;
  message: string;
  memberPaths: string[];
  alive: boolean;
}

const COMBINATORS = new Set(['anyOf', 'oneOf']);
const PROPERTY_NAME_NOISE = new Set([
  'format',
  'enum',
  'pattern',
  'anyOf',
  'type',
  'maxLength',
  'minLength',
  'const',
]);
/** Keywords that judge a value itself (not its members): the other branch of a vocabulary `anyOf`. */
const LEAF_KEYWORDS = new Set(['format', 'enum', 'pattern', 'type', 'const']);
const MAX_LISTED = 8;

function listValues(values: readonly unknown[]): string {
  const shown = values.slice(0, MAX_LISTED).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  return values.length > MAX_LISTED ? `${shown.join(', ')}, … (${values.length} in all)` : shown.join(', ');
}

/** How a message names the value: its path below the unit, or the unit itself ('the event'). */
type Labeller = (path: string) => string;

/** A sentence fragment for one ajv error, about the value at `node.path` in `data`. */
function describeError(node: Node, data: unknown, label: Labeller): string {
  if (node.keyword.startsWith('$')) return node.message;
  const p = node.params;
  const got = (): string => `; got ${describeValue(resolvePointer(data, node.instancePath))}`;
  switch (node.keyword) {
    case 'required':
      return `${label(node.path)} is required but missing`;
    case 'additionalProperties':
      return `${label(node.path)} is not an allowed property here`;
    case 'type':
      return `${label(node.path)} must be of type ${String(p.type)}${got()}`;
    case 'enum':
      return `${label(node.path)} must be one of: ${listValues((p.allowedValues as unknown[] | undefined) ?? [])}${got()}`;
    case 'format':
      return `${label(node.path)} must be ${p.format === 'uri' ? 'an absolute URI' : p.format === 'date-time' ? 'an RFC 3339 date-time with offset' : `in format ${String(p.format)}`}${got()}`;
    case 'pattern':
      return `${label(node.path)} must match ${String(p.pattern)}${got()}`;
    case 'minItems':
      return `${label(node.path)} must have at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`;
    case 'uniqueItems':
      return `${label(node.path)} must not contain duplicates (items ${String(p.j)} and ${String(p.i)} are equal)`;
    case 'not':
      return `${label(node.path)} must not be present here`;
    case 'anyOf':
    case 'oneOf':
      return `${label(node.path)} does not match any allowed form${got()}`;
    default:
      return `${label(node.path)} ${node.message}${got()}`;
  }
}

function typesOf(node: Node): string[] {
  const types = node.params.$types ?? node.params.type;
  return Array.isArray(types) ? types.map(String) : [String(types)];
}

/** Merges errors about the same value: "a URI or one of: ..." reads better than two separate complaints. */
function mergeSameField(nodes: Node[], data: unknown, label: Labeller): string {
  const keywords = new Set(nodes.map((n) => n.keyword));
  const first = nodes[0];
  const got = `; got ${describeValue(resolvePointer(data, first.instancePath))}`;
  const enumNode = nodes.find((n) => n.keyword === 'enum');
  if (enumNode && (keywords.has('format') || keywords.has('pattern'))) {
    const allowed = listValues((enumNode.params.allowedValues as unknown[] | undefined) ?? []);
    return `${label(first.path)} must be a standard value (${allowed}) or an absolute URI of your own vocabulary${got}`;
  }
  const typeNodes = nodes.filter((n) => n.keyword === 'type' || n.params.$types !== undefined);
  if (typeNodes.length > 0) {
    // A value of the wrong JSON type fails every branch the same way; name the accepted types once.
    return `${label(first.path)} must be of type ${[...new Set(typeNodes.flatMap(typesOf))].join(' or ')}${got}`;
  }
  return [...new Set(nodes.map((n) => describeError(n, data, label)))].join('; or ');
}

export interface DistilOptions {
  /** Pointer of the unit inside the document ('' for the document itself). */
  basePointer: string;
  /** How messages name the unit itself: 'the event', 'the document'. */
  unitName: string;
  eventIndex?: number;
}

export function distilSchemaErrors(
  errors: readonly ErrorObject[],
  data: unknown,
  options: DistilOptions,
): SchemaFinding[] {
  const findings: SchemaFinding[] = [];
  const field = (path: string): string => options.basePointer + path;
  const label: Labeller = (path) => (path === '' ? options.unitName : `'${path.slice(1)}'`);
  const issue = (path: string, message: string, value: unknown, hasValue: boolean): EpcisIssue => {
    const out: EpcisIssue = { code: EpcisIssueCode.SCHEMA, message, field: field(path) };
    if (options.eventIndex !== undefined) out.eventIndex = options.eventIndex;
    if (hasValue) out.value = describeValue(value);
    return out;
  };

  const nodes: Node[] = [];
  /** Nodes by original error index (the array grows with synthetic nodes; this does not). */
  const original: (Node | undefined)[] = [];
  errors.forEach((e, index) => {
    if (e.keyword === 'if') return;
    const params = e.params as Record<string, unknown>;
    let path = e.instancePath;
    if (e.keyword === 'required' && typeof params.missingProperty === 'string') {
      path += '/' + escapePointerSegment(params.missingProperty);
    } else if (e.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
      path += '/' + escapePointerSegment(params.additionalProperty);
    }
    nodes.push({
      index,
      keyword: e.keyword,
      instancePath: e.instancePath,
      schemaPath: e.schemaPath,
      path,
      params,
      message: e.message ?? 'is invalid',
      memberPaths: [],
      alive: true,
    });
    const node = nodes[nodes.length - 1];
    // ajv marks errors raised while checking a property name; the name is the real subject.
    if (e.propertyName !== undefined) node.params = { ...params, propertyName: e.propertyName };
    original[index] = node;
  });

  // Property names: each `propertyNames` error closes a run of errors about one key at the same object.
  for (const node of nodes) {
    if (node.keyword !== 'propertyNames' || !node.alive) continue;
    const name = typeof node.params.propertyName === 'string' ? node.params.propertyName : '';
    const allowed: unknown[] = [];
    node.alive = false;
    for (let i = node.index - 1; i >= 0; i--) {
      const prev = original[i];
      if (!prev?.alive || prev.instancePath !== node.instancePath) break;
      const aboutName = prev.params.propertyName === name || PROPERTY_NAME_NOISE.has(prev.keyword);
      if (!aboutName) break;
      if (prev.keyword === 'enum')
        allowed.push(...((prev.params.allowedValues as unknown[] | undefined) ?? []));
      prev.alive = false;
    }
    const path = node.instancePath + '/' + escapePointerSegment(name);
    const expected = allowed.length > 0 ? `one of ${listValues(allowed)}, or ` : '';
    findings.push({
      issue: issue(
        path,
        `property ${JSON.stringify(name)} is not allowed here; expected ${expected}an extension key that is a compact IRI (prefix:name) or an absolute IRI`,
        name,
        true,
      ),
      fields: [field(path)],
    });
  }

  // Alternatives, innermost first: longer schema paths and deeper data paths are nested inside shorter ones.
  const combinators = nodes
    .filter((n) => n.alive && COMBINATORS.has(n.keyword))
    .sort((a, b) => b.schemaPath.length - a.schemaPath.length || pointerDepth(b.path) - pointerDepth(a.path));
  for (const combinator of combinators) {
    combinator.alive = false;
    const prefix = combinator.schemaPath + '/';
    const members = nodes.filter(
      (n) =>
        n.alive &&
        n.index < combinator.index &&
        n.schemaPath.startsWith(prefix) &&
        isWithin(n.instancePath, combinator.instancePath),
    );
    // Errors raised in referenced definitions carry the definition's schema path, not the anyOf's. Those raised
    // while evaluating the anyOf lie in its window (after its first member), or, for a vocabulary value, just
    // before it: the failed `format` of the URI branch precedes the failed `enum` of the CBV branch.
    const start = members.length > 0 ? Math.min(...members.map((m) => m.index)) : combinator.index;
    for (const n of nodes) {
      if (!n.alive || members.includes(n) || n.index >= combinator.index || n.index <= start) continue;
      if (isWithin(n.instancePath, combinator.instancePath)) members.push(n);
    }
    for (let i = start - 1; i >= 0; i--) {
      const n = original[i];
      if (!n?.alive || n.instancePath !== combinator.instancePath || !LEAF_KEYWORDS.has(n.keyword)) break;
      members.push(n);
    }
    if (members.length === 0) {
      // Nothing more specific: keep the summary itself.
      combinator.alive = true;
      continue;
    }
    const deepest = Math.max(...members.map((m) => pointerDepth(m.path)));
    const best = members.filter((m) => pointerDepth(m.path) === deepest);
    for (const m of members) m.alive = false;
    // Alternatives that only name missing properties, while an error deeper inside the same value stands (an
    // epcList item that is not a URI fails the "epcList" branch before the others): the deeper error is the
    // real one, and "needs quantityList or sensorElementList" would mislead.
    const deeperEvidence = nodes.some(
      (n) =>
        n.alive &&
        n.index < combinator.index &&
        n.instancePath !== combinator.instancePath &&
        isWithin(n.instancePath, combinator.instancePath),
    );
    if (deeperEvidence && best.every((m) => m.keyword === 'required')) continue;
    const memberPaths = members.flatMap((m) => [m.path, ...m.memberPaths]);
    const paths = new Set(best.map((m) => m.path));
    if (paths.size === 1) {
      // One field: a single node, standing in for this combinator at the next level out.
      const typeNodes = best.filter((n) => n.keyword === 'type' || n.params.$types !== undefined);
      nodes.push({
        ...best[0],
        params:
          typeNodes.length > 0
            ? { ...best[0].params, $types: [...new Set(typeNodes.flatMap(typesOf))] }
            : best[0].params,
        index: combinator.index,
        schemaPath: combinator.schemaPath,
        keyword: '$merged',
        message: best.length > 1 ? mergeSameField(best, data, label) : describeError(best[0], data, label),
        memberPaths,
        alive: true,
      });
    } else {
      const alternatives = [...new Set(best.map((m) => describeError(m, data, label)))];
      nodes.push({
        ...combinator,
        keyword: '$merged',
        path: combinator.instancePath,
        message: `${label(combinator.instancePath)} must satisfy one of: ${alternatives.join('; or ')}`,
        memberPaths,
        alive: true,
      });
    }
  }

  // What is left: group by field, merge, and attach the group for coverage by custom rules.
  const byPath = new Map<string, Node[]>();
  for (const n of nodes) {
    if (!n.alive) continue;
    const list = byPath.get(n.path);
    if (list) list.push(n);
    else byPath.set(n.path, [n]);
  }
  for (const [path, group] of byPath) {
    const value = resolvePointer(data, path);
    const message =
      group.length === 1 ? describeError(group[0], data, label) : mergeSameField(group, data, label);
    findings.push({
      issue: issue(path, message, value, value !== undefined),
      fields: [...new Set([path, ...group.flatMap((n) => n.memberPaths)])].map(field),
    });
  }
  return findings;
}
