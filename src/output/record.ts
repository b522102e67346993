import type { Observable } from 'rxjs';
import type { Scenario } from '../scenario/schema.js';
import type { Simulation, SimulationResult } from '../sim/simulation.js';
import { VERSION } from '../version.js';
import { RunDirectory } from './run-dir.js';

export interface RecordedRun {
  result: SimulationResult;
  runDir: string;
  summary: Summary;
}

export interface Summary {
  status: SimulationResult['status'];
  reason: string | null;
  scenario: string;
  seed: number;
  version: string;
  node: string;
  problem: string;
  synapses: number;
  trials: number;
  trialsRun: number;
  evaluations: number;
  final: Record<string, number> | null;
  warnings: string[];
  wallSeconds: number;
  startedAt: string;
  files: string[];
}

/**
 * Runs a simulation with its sinks attached: probes.csv (deterministic: same scenario and seed,
 * same bytes), timing.csv (wall-clock per probe, kept apart so that probes.csv stays
 * reproducible), synapses.csv (final per-synapse state against exact values), scenario.json
 * (resolved) and summary.json. The directory appears under its final name only at the end.
 */
export async function recordRun(
  sim: Simulation,
  scenario: Scenario,
  problemDescription: string,
  options: { outDir: string; stop$?: Observable<unknown>; now?: Date },
): Promise<RecordedRun> {
  const startedAt = options.now ?? new Date();
  const parent = `${options.outDir}/${scenario.name}`;
  const dir = new RunDirectory(parent, RunDirectory.freshId(parent, scenario.seed, startedAt));
  dir.writeJson('scenario.json', scenario);
  dir.csvStart('probes.csv', sim.probe.header());
  dir.csvStart('timing.csv', ['trial', 'elapsed_s']);
  const t0 = performance.now();
  const sub = sim.probes$.subscribe((e) => {
    dir.csvRows('probes.csv', [e.values]);
    dir.csvRows('timing.csv', [[e.values[0], ((performance.now() - t0) / 1000).toFixed(3)]]);
  });
  let result: SimulationResult;
  try {
    result = await sim.run({ stop$: options.stop$ });
  } finally {
    sub.unsubscribe();
  }
  const wallSeconds = (performance.now() - t0) / 1000;

  const header = [
    'index', 'w', 'v', 'g_exact', 'g_est', 'z_exact', 'z_est', 'h_diag_exact', 'h_diag_est', 'g_se', 'z_se',
    ...(sim.probe.predictedSeedLimit !== null ? ['z_limit'] : []),
  ];
  dir.csvStart('synapses.csv', header);
  const n = sim.population.size;
  const gEst = sim.population.gradient(new Float64Array(n));
  const zEst = sim.population.hv(new Float64Array(n));
  const hEst = sim.population.hessianDiagonal(new Float64Array(n));
  const gSe = sim.population.gradientStdErr(new Float64Array(n));
  const zSe = sim.population.hvStdErr(new Float64Array(n));
  const exact = sim.probe.reference;
  const limit = sim.probe.predictedSeedLimit;
  const blank = (x: Float64Array | null, i: number): number | string => (x === null ? '' : x[i]);
  const rows: (number | string)[][] = [];
  for (let i = 0; i < n; i++) {
    const row: (number | string)[] = [
      i, sim.w[i], sim.spec.v[i], exact.g[i], gEst[i], exact.z[i], zEst[i],
      blank(exact.hDiag, i), blank(hEst, i), blank(gSe, i), blank(zSe, i),
    ];
    if (limit !== null) row.push(limit[i]);
    rows.push(row);
  }
  dir.csvRows('synapses.csv', rows);

  const last = result.lastProbe;
  const summary: Summary = {
    status: result.status,
    reason: result.reason,
    scenario: scenario.name,
    seed: scenario.seed,
    version: VERSION,
    node: process.version,
    problem: problemDescription,
    synapses: n,
    trials: scenario.trials,
    trialsRun: result.trialsRun,
    evaluations: result.evaluations,
    final: last === null ? null : Object.fromEntries(last.header.map((h, k) => [h, last.values[k]])),
    warnings: result.warnings,
    wallSeconds: Number(wallSeconds.toFixed(3)),
    startedAt: startedAt.toISOString(),
    files: ['scenario.json', 'probes.csv', 'timing.csv', 'synapses.csv', 'summary.json'],
  };
  dir.writeJson('summary.json', summary);
  const runDir = dir.finish(result.status);
  return { result, runDir, summary };
}
