import { InputError } from '../errors.js';

/**
 * The size budget of every input (docs/formats.md, "Limits"). Each limit is checked from the
 * declared sizes alone, before anything of that size is allocated, so that a hostile or careless
 * input fails at once with exit 2 instead of exhausting memory.
 */
export const LIMITS = {
  /** Bytes of one input file (net, scenario, direction, sweep file, rows.json). */
  fileBytes: 16 * 2 ** 20,
  /** Nesting depth of JSON arrays and objects. */
  jsonDepth: 64,
  /** Weights (synapses) of one net or problem. */
  weights: 10_000_000,
  /** Activation cells: patterns × (non-input) units, the size of every per-layer workspace. */
  cells: 4_000_000,
  /** Runs of one sweep (grid points × seeds). */
  sweepRuns: 100_000,
  /** Worker threads of one sweep. */
  workers: 256,
} as const;

/** Throws unless `count` weights fit the budget; `field` is what declared them. */
export function checkWeightCount(field: string, count: number, value: unknown, source?: string): void {
  if (!(count <= LIMITS.weights)) {
    throw new InputError(field, `implies ${count} weights, above the limit of ${LIMITS.weights} (docs/formats.md, "Limits")`, value, source);
  }
}

/** Throws unless patterns × units activation cells fit the budget. */
export function checkCellCount(field: string, patterns: number, units: number, value: unknown, source?: string): void {
  const cells = patterns * units;
  if (!(cells <= LIMITS.cells)) {
    throw new InputError(
      field,
      `implies ${patterns} patterns × ${units} units = ${cells} activation cells, above the limit of ${LIMITS.cells} (docs/formats.md, "Limits")`,
      value,
      source,
    );
  }
}
