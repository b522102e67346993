import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { listScenarios, loadScenario } from '../../src/scenario/load.js';
import { scenarioBaseDir } from '../../src/scenario/problems.js';
import { runScenario } from '../../src/app/run-scenario.js';
import { RunDirectorySink } from '../../src/output/run-dir-sink.js';
import { ROOT, tempDir, writeFile } from '../helpers/cli.js';

/**
 * Run and sweep directories for the figure, report and Python tests, made once with few
 * trials: every ready scenario (400 trials, a probe every 100) and three small sweeps of a
 * 6-weight quadratic — a numeric axis (σ), a categorical axis (estimators, one without z) and
 * seeds only.
 */
const run = promisify(execFile);
const MAIN = join(ROOT, 'dist/cli/main.js');

async function wpsimAsync(args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [MAIN, ...args], { cwd: ROOT, timeout: 120_000 });
  const lines = stdout.trim().split('\n');
  return lines[lines.length - 1];
}

/** Runs a ready scenario with overrides into a run directory under `out`; returns its path. */
async function runReady(name: string, set: string[], out: string): Promise<string> {
  const { scenario, path } = loadScenario(name, set);
  const sink = new RunDirectorySink({ outDir: out });
  await runScenario(scenario, { baseDir: scenarioBaseDir(path), sinks: [sink] });
  if (sink.path === null) throw new Error(`${name}: no run directory`);
  return sink.path;
}

/** Runs tasks two at a time (the machines have two cores). */
async function twoAtATime<T>(tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  await Promise.all([0, 1].map(async () => {
    for (let k = next++; k < tasks.length; k = next++) results[k] = await tasks[k]();
  }));
  return results;
}

export const BASE = {
  name: 'figtest',
  description: 'A 6-weight quadratic for the figure tests',
  problem: { kind: 'quadratic', size: 6, spectrum: { min: 0.5, max: 2 } },
  init: { gain: 0.02 },
  perturbation: { distribution: 'gaussian', sigma: 0.05, antithetic: true },
  estimator: { name: 'moment' },
  trials: 400,
  probeEvery: 100,
  seed: 1,
};

export interface Fixtures {
  /** Ready scenario name → run directory. */
  runs: Map<string, string>;
  /** A run with no probe row yet (nothing to draw). */
  empty: string;
  numeric: string;
  categorical: string;
  seedsOnly: string;
}

let made: Promise<Fixtures> | null = null;
const current = {} as Fixtures;

/** The fixtures, filled in by the beforeAll of test/output/outputs.test.ts before any test runs. */
export function fixtures(): Fixtures {
  return current;
}

export async function setUpFixtures(): Promise<void> {
  Object.assign(current, await makeFixtures());
}

function makeFixtures(): Promise<Fixtures> {
  made ??= (async () => {
    const dir = tempDir('wpsim-figures-');
    const out = join(dir, 'runs');
    const names = listScenarios().map((s) => s.name);
    const base = writeFile(dir, 'base.json', BASE);
    const sweep = (name: string, args: string[]) => () => wpsimAsync(['sweep', base, ...args, '--workers', '1', '--out', join(dir, name), '--quiet']);
    // The ready scenarios run in this process through the application path `wpsim run` takes
    // (app/runScenario with the run directory sink); the sweeps go through the CLI.
    const runs: string[] = [];
    for (const name of names) {
      // Eigen runs probe once per power-iteration step: a step every 100 trials.
      const eigen = loadScenario(name).scenario.mode === 'eigen' ? ['eigen.every=100'] : [];
      runs.push(await runReady(name, ['trials=400', 'probeEvery=100', ...eigen], out));
    }
    const empty = await runReady('eigen-quadratic', ['trials=400'], join(dir, 'empty'));
    const tasks: (() => Promise<string>)[] = [
      sweep('numeric', ['--grid', 'perturbation.sigma=0.01,0.05,0.2', '--seeds', '1..2']),
      sweep('categorical', ['--grid', 'estimator={"name":"moment"},{"name":"seed","intercept":false},{"name":"wp"}', '--seeds', '1..2']),
      sweep('seeds', ['--seeds', '1..3']),
    ];
    const [numeric, categorical, seedsOnly] = await twoAtATime(tasks);
    return { runs: new Map(names.map((n, i) => [n, runs[i]])), empty, numeric, categorical, seedsOnly };
  })();
  return made;
}
