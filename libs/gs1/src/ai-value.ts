import type { AiDefinition } from './ai-table';
import { CHARACTER_SET_NAMES, describeCharacter, firstInvalidCharacter } from './character-set';
import { gs1CheckDigit } from './check-digit';
import { yymmddProblem } from './gs1-date';
import type { Gs1ErrorCode } from './gs1-parse-error';

/** A problem with one AI value; `offset` is relative to the value's first character. */
export interface AiValueProblem {
  code: Gs1ErrorCode;
  /** What is wrong, without the AI label or position (the caller adds both): `month 13 is not a month`. */
  detail: string;
  offset: number;
}

/** Names a pharmacist's IT person recognises for the AIs on packs; the table titles for the rest. */
const LABELS: Record<string, string> = {
  '00': 'SSCC',
  '01': 'GTIN',
  '02': 'contained GTIN',
  '10': 'lot',
  '11': 'production date',
  '13': 'packaging date',
  '15': 'best before date',
  '16': 'sell by date',
  '17': 'expiry',
  '21': 'serial',
  '414': 'GLN',
  '710': 'national reimbursement number (PZN)',
  '711': 'national reimbursement number (CIP)',
  '712': 'national reimbursement number (CN)',
  '713': 'national reimbursement number (DRN)',
  '714': 'national reimbursement number (AIM)',
  '715': 'national reimbursement number (NDC)',
};

export function aiLabel(def: AiDefinition): string {
  return LABELS[def.ai] ?? def.title.toLowerCase();
}

function timeProblem(value: string): { detail: string; offset: number } | undefined {
  const hh = Number(value.slice(0, 2));
  const mm = Number(value.slice(2, 4));
  if (hh > 23) return { detail: `hour ${value.slice(0, 2)} is not an hour`, offset: 0 };
  if (mm > 59) return { detail: `minute ${value.slice(2, 4)} is not a minute`, offset: 2 };
  return undefined;
}

function lengthText(def: AiDefinition): string {
  return def.fixedLength ? `exactly ${def.maxLength}` : `${def.minLength} to ${def.maxLength}`;
}

/**
 * Checks an AI value against the table: length, character set per component, check digits, dates and times.
 * `now` anchors the two-digit years (a 29 February needs the right century).
 */
export function checkAiValue(def: AiDefinition, value: string, now: Date): AiValueProblem | undefined {
  if (value.length > def.maxLength) {
    return {
      code: 'GS1_FIELD_TOO_LONG',
      detail: `${value.length} characters, at most ${def.maxLength} allowed`,
      offset: def.maxLength,
    };
  }
  if (value.length < def.minLength) {
    return {
      code: 'GS1_FIELD_TOO_SHORT',
      detail: `${value.length} characters, ${lengthText(def)} required`,
      offset: value.length,
    };
  }
  let pos = 0;
  for (const c of def.components) {
    const remaining = value.length - pos;
    if (remaining === 0 && c.optional) break;
    const fixed = c.min === c.max;
    const take = fixed ? c.max : Math.min(remaining, c.max);
    if (remaining < c.min || (fixed && remaining < take)) {
      return {
        code: 'GS1_FIELD_TOO_SHORT',
        detail: `${value.length} characters, ${lengthText(def)} required`,
        offset: value.length,
      };
    }
    const end = pos + take;
    const bad = firstInvalidCharacter(value, c.set, pos, end);
    if (bad >= 0) {
      return {
        code: 'GS1_INVALID_CHARACTER',
        detail: `${describeCharacter(value[bad])} is not in ${CHARACTER_SET_NAMES[c.set]}`,
        offset: bad,
      };
    }
    const part = value.slice(pos, end);
    switch (c.check) {
      case 'cd': {
        const expected = gs1CheckDigit(part.slice(0, -1));
        const actual = part.charCodeAt(part.length - 1) - 48;
        if (expected !== actual) {
          return {
            code: 'GS1_CHECK_DIGIT',
            detail: `check digit ${actual} is wrong, expected ${expected}`,
            offset: end - 1,
          };
        }
        break;
      }
      case 'd0':
      case 'd':
      case 'dh': {
        const problem =
          yymmddProblem(part.slice(0, 6), c.check === 'd0', now) ??
          (c.check === 'dh' && Number(part.slice(6, 8)) > 23
            ? { detail: `hour ${part.slice(6, 8)} is not an hour`, offset: 6 }
            : undefined);
        if (problem)
          return { code: 'GS1_INVALID_DATE', detail: problem.detail, offset: pos + problem.offset };
        break;
      }
      case 'hm': {
        const problem = timeProblem(part);
        if (problem)
          return { code: 'GS1_INVALID_DATE', detail: problem.detail, offset: pos + problem.offset };
        break;
      }
      case 'z':
        if (part !== '0') {
          return { code: 'GS1_INVALID_CHARACTER', detail: 'it must start with the digit 0', offset: pos };
        }
        break;
      case 'nz':
        if (part.length > 1 && part[0] === '0') {
          return { code: 'GS1_INVALID_CHARACTER', detail: 'it must not start with 0', offset: pos };
        }
        break;
      case undefined:
        break;
    }
    pos = end;
  }
  if (pos < value.length) {
    return {
      code: 'GS1_FIELD_TOO_LONG',
      detail: `${value.length} characters, at most ${pos} allowed`,
      offset: pos,
    };
  }
  return undefined;
}
