/**
 * A deep copy of plain data (a scenario, any JSON input: objects, arrays, strings, numbers) in
 * which every string is the JavaScript engine's canonical copy of itself: the one it keeps as a
 * property name, which is what a string literal in the source is too.
 *
 * Why: such strings arrive as fresh copies (a structured clone, a worker message, a `--set`
 * value, a JSON string longer than 10 characters), and V8 turns such a copy into a forwarding "thin" string once it is used as a
 * property key. Under Node 20, optimised code that had inlined a closure holding such a string
 * as a constant compared it with a literal as unequal, so a perturbation law stopped drawing
 * (docs/testing.md, "Run-to-run bytes under concurrent compilation"). With canonical strings
 * the comparison is the identity it is meant to be. Objects and arrays are copied; anything
 * else that is not plain data is passed through unchanged.
 */
export function internalizeStrings<T>(value: T): T {
  return copy(value) as T;
}

function copy(value: unknown): unknown {
  if (typeof value === 'string') return canonical(value);
  if (Array.isArray(value)) return value.map(copy);
  if (value !== null && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return value;
    const out: Record<string, unknown> = {};
    // Defined, not assigned: a key named "__proto__" stays data and never sets the prototype.
    for (const [key, v] of Object.entries(value)) Object.defineProperty(out, key, { value: copy(v), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

/** The engine's property-name copy of s (an array-index string such as "12" comes back as a number's string: equal, and harmless). */
function canonical(s: string): string {
  const holder: Record<string, true> = { [s]: true };
  return Object.keys(holder)[0] ?? s;
}
