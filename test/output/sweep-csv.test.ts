import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { sweepCsv } from '../../src/output/sweep-csv.js';
import type { SweepDefinition } from '../../src/sweep/grid.js';
import type { SweepRow } from '../../src/sweep/runner.js';

const def: SweepDefinition = {
  scenario: 'base.json',
  grid: [
    { path: 'perturbation.sigma', values: [0.01, 0.05] },
    { path: 'estimator', values: [{ name: 'moment' }, { name: 'seed', intercept: false }, { name: 'joint-lms', step: 0.5, tune: { a: [1, 2] } }] },
  ],
  seeds: [1],
};

function row(index: number, sigma: number, estimator: unknown, status: string, metrics: Record<string, number> = {}): SweepRow {
  return {
    index, seed: 1, status, error: status === 'invalid' ? 'estimator: bad' : '', trialsRun: 10, evaluations: 20, metrics,
    assignments: [{ path: 'perturbation.sigma', value: sigma }, { path: 'estimator', value: estimator }],
  };
}

const rows = [
  row(0, 0.01, def.grid[1].values[0], 'complete', { g_rel_err: 0.5, z_rel_err: 0.25 }),
  row(1, 0.01, def.grid[1].values[1], 'diverged', { g_rel_err: 0.75 }),
  row(2, 0.01, def.grid[1].values[2], 'invalid'),
  row(3, 0.05, def.grid[1].values[0], 'interrupted', { g_rel_err: 0.125, z_rel_err: 1 }),
];

describe('sweep.csv', () => {
  it('has run_dir and flattened columns for object-valued axes, empty where a value lacks the key', () => {
    const cells = parse(sweepCsv(def, rows)) as string[][];
    expect(cells[0]).toEqual([
      'run', 'run_dir', 'perturbation.sigma', 'estimator', 'estimator.name', 'estimator.intercept', 'estimator.step', 'estimator.tune.a',
      'seed', 'status', 'error', 'trials_run', 'evaluations', 'g_rel_err', 'z_rel_err',
    ]);
    expect(cells[1]).toEqual(['0', 'runs/r00000', '0.01', '{"name":"moment"}', 'moment', '', '', '', '1', 'complete', '', '10', '20', '0.5', '0.25']);
    expect(cells[2].slice(0, 8)).toEqual(['1', 'runs/r00001-diverged', '0.01', '{"name":"seed","intercept":false}', 'seed', 'false', '', '']);
    expect(cells[2].slice(-2)).toEqual(['0.75', '']);
    expect(cells[3].slice(0, 8)).toEqual(['2', '', '0.01', '{"name":"joint-lms","step":0.5,"tune":{"a":[1,2]}}', 'joint-lms', '', '0.5', '[1,2]']);
    expect(cells[4][1]).toBe('runs/r00003-interrupted');
    // Runs stopped or failed before any evaluation left no directory.
    for (const status of ['interrupted', 'failed']) {
      const never = { ...row(3, 0.05, def.grid[1].values[0], status), trialsRun: 0, evaluations: 0 };
      expect((parse(sweepCsv(def, [never])) as string[][])[1][1]).toBe('');
    }
  });

  it('is the same bytes whatever order the rows arrive in (shards merge byte-identically)', () => {
    const a = sweepCsv(def, rows);
    expect(sweepCsv(def, [rows[3], rows[1], rows[0], rows[2]])).toBe(a);
    // The flattened columns come from the definition, not from which rows a shard holds.
    const gridColumns = (csv: string): string => csv.split('\n')[0].split(',seed,')[0];
    expect(gridColumns(sweepCsv(def, [rows[0]]))).toBe(gridColumns(a));
    expect(gridColumns(sweepCsv(def, [rows[2]]))).toBe(gridColumns(a));
  });
});
