/**
 * Bad input from a user: a file, a scenario field, a CLI option. The message names the field,
 * the rule and the offending value; the CLI prints it alone and exits with 2.
 */
export class InputError extends Error {
  constructor(
    readonly field: string,
    readonly rule: string,
    readonly value: unknown,
    readonly source?: string,
  ) {
    super(`${source ? `${source}: ` : ''}${field}: ${rule}; got ${describeValue(value)}`);
    this.name = 'InputError';
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
  let text: string;
  try {
    text = JSON.stringify(value, (_k, v: unknown) =>
      typeof v === 'string' && v.startsWith(NON_FINITE_SENTINEL) ? v.slice(NON_FINITE_SENTINEL.length) : v,
    );
  } catch {
    text = String(value);
  }
  if (text === undefined) text = String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
