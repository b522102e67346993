import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runSpec } from '../../src/app/run-scenario.js';
import { RunDirectorySink } from '../../src/output/run-dir-sink.js';
import { buildSimulationSpec } from '../../src/scenario/problems.js';
import { scenarioSchema, type Scenario } from '../../src/scenario/schema.js';
import type { SimProblem } from '../../src/sim/problem.js';
import type { SimulationSpec } from '../../src/sim/simulate.js';
import { ROOT, tempDir, writeFile } from '../helpers/cli.js';

/**
 * Every failure path ends the run with status `failed`, the error's text in summary.json, the
 * rows so far kept in probes.csv, and never hangs (each test is bounded by its timeout).
 */
const base = {
  name: 'fail',
  problem: { kind: 'quadratic', size: 6, spectrum: { min: 0.5, max: 2 } },
  perturbation: { distribution: 'gaussian', sigma: 0.05, antithetic: false },
  estimator: { name: 'moment' },
  trials: 1000,
  probeEvery: 100,
  seed: 1,
};

/** A problem that behaves until call `after` of `method`, then throws. */
function faulty(problem: SimProblem, method: 'loss' | 'sampleGradient', after: number): SimProblem {
  let calls = 0;
  const original = problem[method].bind(problem) as (...args: never[]) => unknown;
  return {
    ...problem,
    oracle: problem.oracle,
    [method]: (...args: never[]) => {
      if (++calls > after) throw new Error(`${method} broke on call ${calls}`);
      return original(...args);
    },
  } as SimProblem;
}

async function runFaulty(scenario: Scenario, make: (spec: SimulationSpec) => SimulationSpec): Promise<{ dir: string; summary: Record<string, unknown>; probes: string[] }> {
  const out = tempDir();
  const spec = make(buildSimulationSpec(scenario, ROOT));
  const sink = new RunDirectorySink({ outDir: out });
  const record = await runSpec(spec, scenario, { baseDir: ROOT, sinks: [sink] });
  const dir = sink.path as string;
  expect(record.result.status).toBe('failed');
  return {
    dir,
    summary: JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Record<string, unknown>,
    probes: readFileSync(join(dir, 'probes.csv'), 'utf8').trim().split('\n'),
  };
}

describe('a run that fails says so and keeps its rows', () => {
  it('an oracle (the chip\'s loss) that throws mid-run: status failed, error in summary.json, rows kept', { timeout: 30_000 }, async () => {
    const scenario = scenarioSchema.parse(base);
    const { dir, summary, probes } = await runFaulty(scenario, (spec) => ({ ...spec, problem: faulty(spec.problem, 'loss', 450) }));
    expect(dir).toMatch(/-failed$/);
    expect(summary.status).toBe('failed');
    expect(summary.reason).toMatch(/trial 450: loss broke on call 451/);
    expect(summary.trialsRun).toBe(449);
    // Rows at 100 … 400 were logged before the failure (the fixed-data chip measures E(w) once,
    // then one evaluation per trial); the closing row describes the last trial run.
    expect(probes[0].split(',')[0]).toBe('trial');
    expect(probes.slice(1, 5).map((l) => l.split(',')[0])).toEqual(['100', '200', '300', '400']);
    expect(Number(probes[probes.length - 1].split(',')[0])).toBe(summary.trialsRun);
  });

  it('a mode that throws (train mode whose exact-GD gradient fails): status failed, never complete', { timeout: 30_000 }, async () => {
    const scenario = scenarioSchema.parse({ ...base, mode: 'train', train: { learningRate: 0.1 }, trials: 500 });
    const { summary, probes } = await runFaulty(scenario, (spec) => ({ ...spec, problem: faulty(spec.problem, 'sampleGradient', 250) }));
    expect(summary.status).toBe('failed');
    expect(summary.reason).toMatch(/trial 251: sampleGradient broke/);
    expect(summary.trialsRun).toBe(251);
    // Train rows start at trial 0 (w0), then every probeEvery, and the closing row at the failure.
    expect(probes.slice(1).map((l) => l.split(',')[0])).toEqual(['0', '100', '200', '251']);
  });

  it('a failure while the mode is built (before any trial) still leaves a run directory that says failed', { timeout: 30_000 }, async () => {
    const scenario = scenarioSchema.parse(base);
    const { summary, probes } = await runFaulty(scenario, (spec) => ({
      ...spec,
      problem: { ...spec.problem, oracle: { ...spec.problem.oracle, size: spec.problem.size, evaluate: () => { throw new Error('no oracle today'); } } } as SimProblem,
    }));
    expect(summary.reason).toMatch(/no oracle today/);
    expect(summary.trialsRun).toBe(0);
    expect(probes).toHaveLength(1);
  });
});

describe('a sweep whose worker dies or throws', () => {
  /** A worker module that dies (process.exit) or throws on run 1 and runs every other run for real. */
  function faultyWorker(kind: 'exit' | 'throw'): URL {
    const dir = tempDir();
    const real = pathToFileURL(join(ROOT, 'dist/sweep/worker.js')).href;
    const fault = kind === 'exit' ? 'process.exit(7);' : "throw new Error('worker threw on purpose');";
    const path = writeFile(dir, 'worker.mjs', `import run from '${real}';\nexport default async function (task) {\n  if (task.run.index === 1) { ${fault} }\n  return run(task);\n}\n`);
    return pathToFileURL(path);
  }

  for (const kind of ['exit', 'throw'] as const) {
    it(`a worker that ${kind === 'exit' ? 'dies' : 'throws'} fails its run (error in sweep.csv); the other runs complete; no hang`, { timeout: 60_000 }, async () => {
      // The sweep pool runs compiled workers: import the built module (npm test builds first).
      const { runSweep, writeSweepRecord } = await import(pathToFileURL(join(ROOT, 'dist/sweep/sweep.js')).href) as typeof import('../../src/sweep/sweep.js');
      const { expandSweep } = await import(pathToFileURL(join(ROOT, 'dist/sweep/grid.js')).href) as typeof import('../../src/sweep/grid.js');
      const dir = tempDir();
      const scenarioPath = writeFile(dir, 'base.json', { ...base, trials: 300 });
      const def = { scenario: scenarioPath, grid: [{ path: 'perturbation.sigma', values: [0.01, 0.02, 0.03] }], seeds: [1] };
      const rows = await runSweep(def, expandSweep(def), dir, 2, () => {}, { workerFile: faultyWorker(kind) });
      writeSweepRecord(dir, { definition: def, shard: null, rows });
      expect(rows.map((r) => r.status)).toEqual(['complete', 'failed', 'complete']);
      expect(rows[1].error).toMatch(kind === 'exit' ? /worker: .*exit/i : /worker threw on purpose/);
      const csv = readFileSync(join(dir, 'sweep.csv'), 'utf8');
      expect(csv.split('\n')[2]).toMatch(/failed/);
      expect(readdirSync(join(dir, 'runs')).sort()).toEqual(['r00000', 'r00002']);
      expect(existsSync(join(dir, 'runs', 'r00000', 'summary.json'))).toBe(true);
    });
  }
});
