/**
 * Bad input from a user: a file, a scenario field, a CLI option. The message names the field,
 * the rule and the offending value; the CLI prints it alone and exits with 2. The message is one
 * line (control characters are escaped) and bounded in length: fields and values are cut.
 */
export class InputError extends Error {
  constructor(
    readonly field: string,
    readonly rule: string,
    readonly value: unknown,
    readonly source?: string,
  ) {
    const got = value === NO_VALUE ? '' : `; got ${describeValue(value)}`;
    super(oneLine(`${source ? `${clip(source, 200)}: ` : ''}${clip(field, 120)}: ${clip(rule, 400)}${got}`));
    this.name = 'InputError';
  }
}

/** Pass as an InputError's value when there is nothing to show (e.g. a file's content). */
export const NO_VALUE: unique symbol = Symbol('no value');

/**
 * A computation that ended in NaN or ±Infinity from finite input. The message names the first
 * quantity that is not finite; the CLI prints it alone and exits with 3 (as `run` does for a
 * diverged run).
 */
export class NonFiniteError extends Error {
  constructor(readonly where: string, readonly value: number, detail = '') {
    super(oneLine(`result not finite: ${clip(where, 120)} is ${String(value)}${detail ? ` (${detail})` : ''}`));
    this.name = 'NonFiniteError';
  }
}

/** Sentinel strings that stand for the non-JSON tokens NaN, Infinity, −Infinity (see json.ts). */
export const NON_FINITE_SENTINEL = '\u0000nonfinite:';

/** A short, readable rendering of a value for error messages. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string' && value.startsWith(NON_FINITE_SENTINEL)) {
    return value.slice(NON_FINITE_SENTINEL.length);
  }
  if (value === undefined) return 'nothing (field missing)';
  if (typeof value === 'number') return String(value);
  // Objects are summarised by their keys, long arrays by their length: a message names what
  // is wrong without quoting a whole input back.
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return `an object with keys ${listForMessage(Object.keys(value).map((k) => JSON.stringify(k)))}`;
  }
  let text: string;
  try {
    text = JSON.stringify(value, (_k, v: unknown) =>
      typeof v === 'string' && v.startsWith(NON_FINITE_SENTINEL) ? v.slice(NON_FINITE_SENTINEL.length) : v,
    );
  } catch {
    text = String(value);
  }
  if (text === undefined) text = String(value);
  if (Array.isArray(value) && text.length > 80) return `an array of ${value.length} items`;
  return clip(text, 80);
}

/** Text cut to at most `max` characters, marked with "..." where cut. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** One line: control characters (newlines, NUL, escapes) shown as \n, \u0000, … */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/**
 * A list for a message, cut after `max` items with a count: "k0, k1, k2, … and 994 more".
 * Each item is cut to 40 characters.
 */
export function listForMessage(items: readonly unknown[], max = 5): string {
  const shown = items.slice(0, max).map((x) => clip(typeof x === 'string' ? x : describeValue(x), 40));
  return items.length > max ? `${shown.join(', ')}, … and ${items.length - max} more` : shown.join(', ');
}
