/**
 * The real trial loop (simulate() on a ready scenario, as `wpsim run` builds it) timed for a
 * budget of CPU seconds in its steady state: trials per CPU second of this process and per wall
 * second (the machine is shared: CPU time is what the loop itself costs). Rows are taken as the scenario asks (their
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
 * rates in the steady state: one run of T trials (T from a short calibration run) whose progress
 * reports (one per chunk of ~20 ms) are stamped with the process's CPU time and the wall clock;
 * the rates are over the stamps from a quarter of the run to its end, so the setup (data,
 * problem, oracle) and the warm-up are left out, and the rows in between (every probeEvery
 * trials) are counted as a run pays them. One run, not the difference of two: on a shared machine
 * the difference of two runs' times carries both runs' noise.
 */
export async function scenarioRate(name, seconds, overrides = []) {
  const { scenario, path } = loadScenario(name, overrides);
  const once = async (trials) => {
    const spec = buildSimulationSpec(scenario, scenarioBaseDir(path));
    const stamps = [];
    const stamp = (trial) => {
      const c = process.cpuUsage();
      stamps.push({ trial, cpu: (c.user + c.system) / 1e6, wall: performance.now() / 1000 });
    };
    const result = await simulate({ ...spec, trials }, { chunkMs: 20, onProgress: (p) => stamp(p.trial) });
    stamp(result.trialsRun);
    const from = stamps.find((s) => s.trial >= trials / 4) ?? stamps[0];
    const to = stamps.at(-1);
    const n = to.trial - from.trial;
    return { trials: n, cpu: n / (to.cpu - from.cpu), wall: n / (to.wall - from.wall), status: result.status, lastRow: result.lastRow };
  };
  const probe = await once(20_000);
  const T = Math.min(20_000_000, Math.max(20_000, Math.round((seconds * probe.cpu) / 64) * 64));
  return once(T);
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
