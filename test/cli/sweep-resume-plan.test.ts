import { describe, expect, it } from 'vitest';
import { expandSweep } from '../../src/sweep/grid.js';
import { resumePlan } from '../../src/sweep/resume.js';
import { emptyRow } from '../../src/sweep/runner.js';
import type { SweepRecord } from '../../src/sweep/sweep.js';

const definition = { scenario: '/nowhere/base.json', grid: [{ path: 'perturbation.sigma', values: [0.01, 0.02, 0.03] }], seeds: [1, 2] };

describe('sweep --resume: which runs it reruns', () => {
  it('keeps complete, diverged and invalid rows; reruns interrupted, failed and missing runs', () => {
    const runs = expandSweep(definition);
    const statuses = ['complete', 'interrupted', 'diverged', 'failed', 'invalid'];
    const record: SweepRecord = { definition, shard: null, rows: statuses.map((s, k) => emptyRow(runs[k], s, '')) };
    const plan = resumePlan(record, 'rows.json');
    expect(plan.kept.map((r) => [r.index, r.status])).toEqual([[0, 'complete'], [2, 'diverged'], [4, 'invalid']]);
    expect(plan.runs.map((r) => r.index)).toEqual([1, 3, 5]);
  });

  it('a shard reruns only its own runs', () => {
    const runs = expandSweep(definition);
    const record: SweepRecord = { definition, shard: { index: 2, count: 2 }, rows: [emptyRow(runs[1], 'complete', '')] };
    expect(resumePlan(record, 'rows.json').runs.map((r) => r.index)).toEqual([3, 5]);
  });

  it('rows that are not runs of the stored definition, or appear twice, are bad input', () => {
    const runs = expandSweep(definition);
    const wrongSeed = { ...emptyRow(runs[0], 'complete', ''), seed: 9 };
    expect(() => resumePlan({ definition, shard: null, rows: [wrongSeed] }, 'rows.json')).toThrow(/rows\[index 0\]: must be a run of the stored sweep definition/);
    const outside = { ...emptyRow(runs[0], 'complete', ''), index: 6 };
    expect(() => resumePlan({ definition, shard: null, rows: [outside] }, 'rows.json')).toThrow(/rows\[index 6\]/);
    const twice = [emptyRow(runs[0], 'interrupted', ''), emptyRow(runs[0], 'complete', '')];
    expect(() => resumePlan({ definition, shard: null, rows: twice }, 'rows.json')).toThrow(/must appear once/);
  });
});
