import jsonc from 'jsonc-parser';
import type { z } from 'zod';
import { InputError, NO_VALUE, NON_FINITE_SENTINEL, listForMessage } from '../errors.js';
import { readInputFile } from './files.js';
import { internalizeStrings } from './internalize.js';
import { LIMITS } from './limits.js';

/**
 * Parses JSON text: the one reader of every JSON input (docs/formats.md, "Limits").
 *
 *  - Nesting deeper than LIMITS.jsonDepth is rejected before parsing.
 *  - A syntax error is reported by line and column only: the message never quotes the text,
 *    which may be any file a user pointed at by mistake (a password file, an environment).
 *  - NaN, Infinity and −Infinity are not JSON, but users write them (and other tools emit them);
 *    rather than failing with a bare syntax error, they are read as sentinel strings so that
 *    schema validation reports them at their field path ("weights[3]: must be a finite number;
 *    got NaN"), and `validate` rejects any that a non-numeric field would otherwise accept.
 *  - Every string of the value is the engine's canonical copy (internalize.ts): JSON.parse keeps
 *    only short strings canonical, and names such as "softmax-cross-entropy" are compared in the
 *    trial loop.
 */
export function parseJsonText(text: string, source: string): unknown {
  return internalizeStrings(parseRaw(text, source));
}

function parseRaw(text: string, source: string): unknown {
  checkDepth(text, source);
  try {
    return JSON.parse(text);
  } catch {
    // Replace the non-JSON number tokens outside strings, remembering where, to map positions back.
    const shifts: { at: number; delta: number }[] = [];
    let delta = 0;
    const replaced = text.replace(
      /("(?:[^"\\]|\\.)*")|(-?Infinity|NaN)/g,
      (match, str: string | undefined, token: string | undefined, offset: number) => {
        if (str !== undefined) return match;
        const out = `"\\u0000nonfinite:${token}"`;
        delta += out.length - match.length;
        shifts.push({ at: offset + match.length, delta });
        return out;
      },
    );
    if (replaced !== text) {
      try {
        return JSON.parse(replaced);
      } catch {
        // fall through to locate the error
      }
    }
    const at = firstSyntaxError(replaced);
    // Map the offset in `replaced` back to `text`: subtract the growth of replacements before it.
    let offset = at.offset;
    for (const s of shifts) if (at.offset >= s.at + s.delta) offset = at.offset - s.delta;
    throw new InputError('(file)', `must be valid JSON: ${at.code} at ${lineColumn(text, Math.min(offset, text.length))}`, NO_VALUE, source);
  }
}

/** The first syntax error of text that JSON.parse rejected (jsonc-parser, strict JSON options). */
function firstSyntaxError(text: string): { code: string; offset: number } {
  let found: { code: string; offset: number } | null = null;
  jsonc.visit(
    text,
    {
      onError: (error, offset) => {
        found ??= { code: describeSyntaxError(jsonc.printParseErrorCode(error)), offset };
      },
    },
    { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
  );
  return found ?? { code: 'invalid JSON', offset: 0 };
}

/** "ValueExpected" → "value expected". */
function describeSyntaxError(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** "line 3, column 7" (1-based) of a character offset. */
function lineColumn(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let k = text.indexOf('\n'); k !== -1 && k < offset; k = text.indexOf('\n', k + 1)) {
    line++;
    lineStart = k + 1;
  }
  return `line ${line}, column ${offset - lineStart + 1}`;
}

/** Rejects arrays and objects nested deeper than LIMITS.jsonDepth (a scan outside strings). */
function checkDepth(text: string, source: string): void {
  let depth = 0;
  let inString = false;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (inString) {
      if (c === 0x5c) k++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > LIMITS.jsonDepth) {
        throw new InputError('(file)', `must not nest arrays and objects deeper than ${LIMITS.jsonDepth} levels (docs/formats.md, "Limits"): too deep at ${lineColumn(text, k)}`, NO_VALUE, source);
      }
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
}

/**
 * Reads and parses a JSON input file: a regular file within the size limit (files.ts), then
 * parseJsonText. `field` names the argument or option that gave the path.
 */
export function readJsonFile(path: string, field = 'FILE'): unknown {
  return parseJsonText(readInputFile(path, field), path);
}

/** "layers[2]" style path from zod's path array. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/** Rewrites zod's generic type messages into the rule a user must follow. */
function ruleOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    if (issue.expected === 'number') return 'must be a finite number';
    if (issue.expected === 'array') return 'must be an array';
    if (issue.expected === 'object') return 'must be an object';
    if (issue.expected === 'string') return 'must be a string';
    if (issue.expected === 'boolean') return 'must be true or false';
    if (issue.expected === 'int') return 'must be an integer';
  }
  if (issue.code === 'invalid_value' && 'values' in issue) {
    return `must be one of ${listForMessage(issue.values.map((v) => JSON.stringify(v)), 12)}`;
  }
  if (issue.code === 'unrecognized_keys') return `unknown field(s) ${listForMessage(issue.keys)}`;
  if (issue.code === 'invalid_union' && 'options' in issue && Array.isArray(issue.options)) {
    return `must be one of ${listForMessage((issue.options as unknown[]).map((v) => JSON.stringify(v)), 12)}`;
  }
  return issue.message;
}

/** Validates with a zod schema; the first problem becomes one InputError naming field, rule, value. */
export function validate<T extends z.ZodType>(schema: T, value: unknown, source: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) {
    const stray = findSentinel(result.data, []);
    if (stray !== null) throw new InputError(formatPath(stray.path), 'must be a JSON value (NaN and Infinity are not JSON)', stray.value, source);
    return result.data;
  }
  const issue = result.error.issues[0];
  const path = issue.path as PropertyKey[];
  const shown = issue.code === 'unrecognized_keys' ? issue.keys[0] : valueAt(value, path);
  throw new InputError(formatPath(path), ruleOf(issue), shown, source);
}

/** The first NaN/Infinity sentinel string that a schema let through (a string or free-form field). */
function findSentinel(value: unknown, path: PropertyKey[]): { path: PropertyKey[]; value: string } | null {
  if (typeof value === 'string') return value.startsWith(NON_FINITE_SENTINEL) ? { path, value } : null;
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return null;
  if (Array.isArray(value)) {
    // Arrays of numbers (weights, patterns) are the bulk of a net file: skip them quickly.
    for (let k = 0; k < value.length; k++) {
      const x: unknown = value[k];
      if (typeof x === 'number') continue;
      const found = findSentinel(x, [...path, k]);
      if (found !== null) return found;
    }
    return null;
  }
  for (const [key, x] of Object.entries(value)) {
    const found = findSentinel(x, [...path, key]);
    if (found !== null) return found;
  }
  return null;
}
