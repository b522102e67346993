import { InputError } from '../errors.js';

/** One grid axis: a scenario field path and the values it takes (JSON-parsed where possible). */
export interface GridAxis {
  path: string;
  values: unknown[];
}

/** A sweep: a base scenario, grid axes, seeds. Runs are numbered grid-major, seeds innermost. */
export interface SweepDefinition {
  scenario: string;
  /** `--set path=value` overrides applied to the base scenario before each run's grid values. */
  set?: string[];
  grid: GridAxis[];
  seeds: number[];
}

export interface SweepRun {
  index: number;
  assignments: { path: string; value: unknown }[];
  seed: number;
}

/** Parses `path=v1,v2,…` (values JSON where they parse; JSON arrays/objects may not contain commas). */
export function parseGridOption(text: string): GridAxis {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new InputError('--grid', 'must be path=v1,v2,… e.g. perturbation.sigma=0.01,0.03', text);
  const path = text.slice(0, eq);
  const raw = text.slice(eq + 1);
  // Split on commas outside brackets/braces/quotes so JSON objects can be values.
  const values: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let k = 0; k < raw.length; k++) {
    const c = raw[k];
    if (c === '"' && raw[k - 1] !== '\\') inString = !inString;
    else if (!inString && (c === '{' || c === '[')) depth++;
    else if (!inString && (c === '}' || c === ']')) depth--;
    else if (!inString && depth === 0 && c === ',') {
      values.push(raw.slice(start, k));
      start = k + 1;
    }
  }
  values.push(raw.slice(start));
  if (values.some((v) => v.trim() === '')) throw new InputError('--grid', 'must list non-empty values separated by commas', text);
  return { path, values: values.map(parseValue) };
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** `a..b` (inclusive) or a comma list. */
export function parseSeeds(text: string): number[] {
  const range = /^(\d+)\.\.(\d+)$/.exec(text.trim());
  let seeds: number[];
  if (range) {
    const a = Number(range[1]);
    const b = Number(range[2]);
    if (b < a || b - a > 100_000) throw new InputError('--seeds', 'must be a..b with a ≤ b (at most 100000 seeds)', text);
    seeds = Array.from({ length: b - a + 1 }, (_, k) => a + k);
  } else {
    seeds = text.split(',').map((s) => Number(s.trim()));
  }
  if (seeds.length === 0 || seeds.some((x) => !Number.isSafeInteger(x) || x < 0)) {
    throw new InputError('--seeds', 'must be a..b or a comma list of non-negative integers', text);
  }
  return seeds;
}

/** Every run of the sweep, numbered: grid points in row-major order, seeds innermost. */
export function expandSweep(def: SweepDefinition): SweepRun[] {
  const runs: SweepRun[] = [];
  const sizes = def.grid.map((a) => a.values.length);
  const points = sizes.reduce((a, b) => a * b, 1);
  for (let p = 0; p < points; p++) {
    let rest = p;
    const assignments = def.grid.map((axis, k) => {
      const stride = sizes.slice(k + 1).reduce((a, b) => a * b, 1);
      const idx = Math.floor(rest / stride);
      rest %= stride;
      return { path: axis.path, value: axis.values[idx] };
    });
    for (const seed of def.seeds) runs.push({ index: runs.length, assignments, seed });
  }
  return runs;
}

/** `i/N` (1 ≤ i ≤ N): the shard's runs are those with index ≡ i − 1 (mod N). */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new InputError('--shard', 'must be i/N with 1 ≤ i ≤ N, e.g. 2/8', text);
  return { index, count };
}
