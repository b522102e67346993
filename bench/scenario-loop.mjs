/**
 * The real trial loop (simulate() on a ready scenario, as `wpsim run` builds it) timed for a
 * budget of seconds: trials per CPU second of this process and per wall second, setup (problem,
 * first row) left out by a one-trial run first. Rows are written as the scenario asks (their
 * cost is part of the loop). `npm run build` first.
 *
 *   node bench/scenario-loop.mjs SCENARIO [seconds] [--set key=value ...]
 */
import os from 'node:os';
import { loadScenario } from '../dist/scenario/load.js';
import { buildSimulationSpec, scenarioBaseDir } from '../dist/scenario/problems.js';
import { simulate } from '../dist/sim/simulate.js';

/** Runs the scenario's loop for about `seconds`; returns trials run and their wall and CPU rates. */
export async function scenarioRate(name, seconds, overrides = []) {
  const { scenario, path } = loadScenario(name, overrides);
  const spec = buildSimulationSpec(scenario, scenarioBaseDir(path));
  const c1 = process.cpuUsage();
  const t1 = performance.now();
  await simulate({ ...spec, trials: 1 });
  const setupWall = performance.now() - t1;
  const setup = process.cpuUsage(c1);
  const fresh = buildSimulationSpec(scenario, scenarioBaseDir(path));
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const result = await simulate(fresh, { signal: AbortSignal.timeout(Math.ceil(setupWall + seconds * 1000)), chunkMs: 20 });
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system - setup.user - setup.system) / 1e6;
  const wall = (performance.now() - t0 - setupWall) / 1000;
  return { trials: result.trialsRun, wall: result.trialsRun / wall, cpu: result.trialsRun / cpu, status: result.status, lastRow: result.lastRow, header: result.header };
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
