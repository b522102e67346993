/**
 * The real trial loop (simulate() on a ready scenario, as `wpsim run` builds it) timed for a
 * budget of CPU seconds: trials per CPU second of this process and per wall second (the machine is
 * shared: CPU time is what the loop itself costs). Rows are taken as the scenario asks (their
 * cost is part of the loop); `--set probeEvery=…` changes that. `npm run build` first.
 *
 *   node bench/scenario-loop.mjs SCENARIO [seconds] [--set key=value ...]
 */
import os from 'node:os';
import { loadScenario } from '../dist/scenario/load.js';
import { buildSimulationSpec, scenarioBaseDir } from '../dist/scenario/problems.js';
import { simulate } from '../dist/sim/simulate.js';

/**
 * Runs the scenario's loop for about `seconds` of CPU; returns trials and their wall and CPU
 * rates. Two complete runs of the same scenario, of T/4 and T trials (T from a calibration run),
 * each with its setup (data, problem, oracle) and its first and last rows: the rates are of the
 * difference, so those fixed costs cancel and the rows in between (every probeEvery trials) are
 * counted as a run pays them. Trial counts, not wall budgets: on a loaded machine a wall budget
 * buys an unpredictable amount of CPU.
 */
export async function scenarioRate(name, seconds, overrides = []) {
  const { scenario, path } = loadScenario(name, overrides);
  const once = async (trials) => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const spec = buildSimulationSpec(scenario, scenarioBaseDir(path));
    const result = await simulate({ ...spec, trials }, { chunkMs: 50 });
    const c = process.cpuUsage(c0);
    return { trials: result.trialsRun, cpu: (c.user + c.system) / 1e6, wall: (performance.now() - t0) / 1000, lastRow: result.lastRow, status: result.status };
  };
  // Calibration (after a warm-up run): the setup alone (one trial), then with 4096 trials more.
  await once(1);
  const setup = await once(1);
  const probe = await once(4097);
  const perTrial = Math.max(2e-6, (probe.cpu - setup.cpu) / 4096);
  const T = Math.min(4_000_000, Math.max(4096, Math.round(seconds / perTrial / 64) * 64));
  const short = await once(T / 4);
  const long = await once(T);
  const trials = long.trials - short.trials;
  return { trials, wall: trials / (long.wall - short.wall), cpu: trials / (long.cpu - short.cpu), status: long.status, lastRow: long.lastRow };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const overrides = [];
  const rest = [];
  for (let k = 0; k < args.length; k++) {
    if (args[k] === '--set') overrides.push(args[++k]);
    else rest.push(args[k]);
  }
  const [name, secs = '5'] = rest;
  const load = os.loadavg().map((x) => x.toFixed(1)).join(', ');
  const r = await scenarioRate(name, Number(secs), overrides);
  console.log(`${name}: ${r.trials} trials, ${Math.round(r.wall)} /s wall, ${Math.round(r.cpu)} /s CPU (load ${load}); last row ${JSON.stringify(r.lastRow)}`);
}
