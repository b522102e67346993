import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { InputError } from '../errors.js';

/**
 * Parses JSON text. NaN, Infinity and −Infinity are not JSON, but users write them (and other
 * tools emit them); rather than failing with a bare syntax error, they are read as sentinel
 * strings so that schema validation reports them at their field path ("weights[3]: must be a
 * finite number; got NaN").
 */
export function parseJsonText(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (first) {
    const replaced = text.replace(
      /("(?:[^"\\]|\\.)*")|(-?Infinity|NaN)/g,
      (match, str: string | undefined, token: string | undefined) =>
        str !== undefined ? match : `"\\u0000nonfinite:${token}"`,
    );
    if (replaced !== text) {
      try {
        return JSON.parse(replaced);
      } catch {
        // fall through to the original error
      }
    }
    const message = first instanceof Error ? first.message : String(first);
    throw new InputError('(file)', 'must be valid JSON', message, source);
  }
}

export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new InputError('(file)', `must be a readable file (${code})`, path);
  }
  return parseJsonText(text, path);
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
    return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  if (issue.code === 'unrecognized_keys') return `unknown field(s) ${issue.keys.join(', ')}`;
  if (issue.code === 'invalid_union' && 'options' in issue && Array.isArray(issue.options)) {
    return `must be one of ${(issue.options as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return issue.message;
}

/** Validates with a zod schema; the first problem becomes one InputError naming field, rule, value. */
export function validate<T extends z.ZodType>(schema: T, value: unknown, source: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue.path as PropertyKey[];
  const shown = issue.code === 'unrecognized_keys' ? issue.keys[0] : valueAt(value, path);
  throw new InputError(formatPath(path), ruleOf(issue), shown, source);
}
