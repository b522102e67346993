/**
 * The real trial loop (simulate() on a ready scenario, as `wpsim run` builds it) timed for a
 * budget of seconds: trials per CPU second of this process and per wall second (the machine is
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
 * Runs the scenario's loop for about `seconds`; returns trials run and their wall and CPU rates.
 * Two runs of the same scenario, for a third of the budget and for all of it, each with its
 * setup (data, problem, oracle) and its first and last rows: the rates are of the difference,
 * so those fixed costs cancel and the rows in between (every probeEvery trials) are counted as
 * a run pays them.
 */
export async function scenarioRate(name, seconds, overrides = []) {
  const { scenario, path } = loadScenario(name, overrides);
  const once = async (budget) => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const spec = buildSimulationSpec(scenario, scenarioBaseDir(path));
    // The budget runs from the end of the first chunk of trials (after the data, the problem and the first row).
    const stop = new AbortController();
    let timer;
    const onProgress = () => { timer ??= setTimeout(() => stop.abort(), budget * 1000); };
    const result = await simulate(spec, { signal: stop.signal, chunkMs: 20, onProgress });
    clearTimeout(timer);
    const c = process.cpuUsage(c0);
    return { trials: result.trialsRun, cpu: (c.user + c.system) / 1e6, wall: (performance.now() - t0) / 1000, lastRow: result.lastRow, status: result.status };
  };
  await once(0.2);
  const short = await once(seconds / 3);
  const long = await once(seconds);
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
