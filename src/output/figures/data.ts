import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

/**
 * Reading a run's CSV files for figures. A cell is a number, a string, or missing: an empty cell
 * (a metric the estimator does not provide) is left out of its row, so that a series without
 * values is skipped rather than drawn as zeros.
 */
export type Row = Record<string, string | number>;

export function readCsv(path: string): Row[] {
  const records = parse(readFileSync(path, 'utf8'), { columns: true }) as Record<string, string>[];
  return records.map((r) => {
    const row: Row = {};
    for (const [k, v] of Object.entries(r)) {
      if (v === '') continue;
      const x = Number(v);
      row[k] = Number.isNaN(x) && v !== 'NaN' ? v : x;
    }
    return row;
  });
}

/** The header of a CSV file, in order (a file may have a header and no rows yet). */
export function csvHeader(path: string): string[] {
  const first = readFileSync(path, 'utf8').split('\n', 1)[0];
  return first === '' ? [] : (parse(first) as string[][])[0];
}

export function readJson<T>(path: string): T | null {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : null;
}

export const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Columns that hold at least one finite value (positive ones only, for a log axis). */
export function drawable(rows: Row[], columns: string[], positive: boolean): string[] {
  return columns.filter((c) => rows.some((r) => finite(r[c]) && (!positive || (r[c] as number) > 0)));
}

/** Long format for Vega-Lite: one row per (x, series, value), skipping missing and, on log axes, non-positive values. */
export function fold(rows: Row[], x: string, series: string[], positive: boolean): { x: number; series: string; value: number }[] {
  const out: { x: number; series: string; value: number }[] = [];
  for (const r of rows) {
    const xv = r[x];
    if (!finite(xv)) continue;
    for (const s of series) {
      const y = r[s];
      if (!finite(y) || (positive && y <= 0)) continue;
      out.push({ x: xv, series: s, value: y });
    }
  }
  return out;
}

export function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Sample standard deviation (n − 1); 0 for a single value. */
export function sd(xs: number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

/**
 * Centre and spread of a sample for a figure: on a linear axis the mean ± sd; on a log axis
 * the geometric mean ×/÷ the geometric sd, exp(mean(ln y) ± sd(ln y)), which stays positive and
 * is symmetric on the axis that shows it.
 */
export function spread(xs: number[], log: boolean): { centre: number; lo: number; hi: number } {
  if (!log) {
    const m = mean(xs);
    const s = sd(xs);
    return { centre: m, lo: m - s, hi: m + s };
  }
  const logs = xs.map(Math.log);
  const m = mean(logs);
  const s = sd(logs);
  return { centre: Math.exp(m), lo: Math.exp(m - s), hi: Math.exp(m + s) };
}

function parsedValue(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}

const entryLabel = (k: string, x: unknown): string => `${k}=${typeof x === 'string' ? x : JSON.stringify(x)}`;

/**
 * The `k=v` entries that every object among a grid axis's values shares (none when fewer than two
 * values are objects): legends leave them out, so `{learningRate=0.5, rule=estimator, every=2000}`
 * against `{learningRate=0.425, rule=estimator, every=1}` reads `{learningRate=0.5, every=2000}`.
 */
export function sharedEntries(values: readonly unknown[]): Set<string> {
  const objects = values.map(parsedValue).filter((o): o is Record<string, unknown> => o !== null && typeof o === 'object' && !Array.isArray(o));
  if (objects.length < 2 || objects.length !== values.length) return new Set();
  const [first, ...rest] = objects.map((o) => new Set(Object.entries(o).filter(([k]) => k !== 'name').map(([k, x]) => entryLabel(k, x))));
  return new Set([...first].filter((e) => rest.every((set) => set.has(e))));
}

/** A grid value for a legend: {"name":"seed","intercept":false} as seed(intercept=false); `omit`: entries to leave out. */
export function shortValue(v: unknown, omit: ReadonlySet<string> = new Set()): string {
  const o = parsedValue(v);
  if (typeof v === 'string' && o === v) return v;
  if (o !== null && typeof o === 'object' && !Array.isArray(o)) {
    const { name, ...rest } = o as Record<string, unknown>;
    const args = Object.entries(rest).map(([k, x]) => entryLabel(k, x)).filter((e) => !omit.has(e)).join(', ');
    return name !== undefined ? `${String(name)}${args ? `(${args})` : ''}` : `{${args}}`;
  }
  return typeof o === 'string' ? o : JSON.stringify(o);
}

/** Whether a metric is an error or a spread (drawn on log axes): *_rel_err, *_error, *_se_rel and _live variants. */
export function isErrorMetric(name: string): boolean {
  return /(_rel_err|_error|_se_rel)(_live)?$/.test(name);
}

/**
 * Whether a run's synapses estimated z = Hv: an estimator that does not (wp) leaves ẑ at 0 on
 * every synapse (or its cells empty). Without synapses.csv (train, eigen) there is nothing to check.
 */
export function estimatesZ(runDir: string): boolean {
  const path = `${runDir}/synapses.csv`;
  if (!existsSync(path)) return true;
  const rows = readCsv(path);
  return rows.length === 0 || rows.some((r) => finite(r.z_est) && r.z_est !== 0);
}

/** Metrics about z (and diag H) that a run without z estimates has no values for. */
export const isZMetric = (name: string): boolean => /^(z_|h_diag_)/.test(name);
