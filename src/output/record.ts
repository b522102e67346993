import type { Observable } from 'rxjs';
import type { Scenario } from '../scenario/schema.js';
import type { Simulation, SimulationResult } from '../sim/simulation.js';
import { VERSION } from '../version.js';
import { RunDirectory } from './run-dir.js';
import type { HardwareCounters } from '../sim/hardware.js';

/** synapses.csv: the final per-synapse state against the exact values (estimate mode). */
function writeSynapses(dir: RunDirectory, sim: Simulation, n: number): void {
  const header = [
    'index', 'w', 'v', 'g_exact', 'g_est', 'z_exact', 'z_est', 'h_diag_exact', 'h_diag_est', 'g_se', 'z_se',
    ...(sim.probe.predictedSeedLimit !== null ? ['z_limit'] : []),
  ];
  dir.csvStart('synapses.csv', header);
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
}

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
  mode: string;
  /** Hardware counters: measurements, ADC clips of ΔE and of sums, dead and stuck synapses, weight clips. */
  hardware: HardwareCounters;
  /** Mode results: learning rate, λ estimates. */
  results: Record<string, number | string | null>;
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
  options: { outDir: string; stop$?: Observable<unknown>; now?: Date; runId?: string },
): Promise<RecordedRun> {
  const startedAt = options.now ?? new Date();
  // A sweep names its runs itself (outDir/runId); a single run gets out/<scenario>/<timestamp-seed>.
  const parent = options.runId !== undefined ? options.outDir : `${options.outDir}/${scenario.name}`;
  const dir = new RunDirectory(parent, options.runId ?? RunDirectory.freshId(parent, scenario.seed, startedAt));
  dir.writeJson('scenario.json', scenario);
  dir.csvStart('probes.csv', sim.rowHeader());
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

  const n = sim.population.size;
  const files = ['scenario.json', 'probes.csv', 'timing.csv'];
  if (sim.mode.kind === 'estimate') {
    writeSynapses(dir, sim, n);
    files.push('synapses.csv');
  } else if (sim.mode.kind === 'train') {
    dir.csvStart('weights.csv', ['index', 'w0', 'w_wp', 'w_gd']);
    const gd = sim.gdWeights;
    dir.csvRows('weights.csv', Array.from({ length: n }, (_, i) => [i, sim.spec.problem.w0[i], sim.w[i], gd === null ? '' : gd[i]]));
    files.push('weights.csv');
  } else {
    dir.csvStart('direction.csv', ['index', 'v_est', 'v_exact']);
    const top = sim.topEigenvector;
    const v = sim.direction;
    // Align the exact vector's sign with the estimate for reading.
    let s = 0;
    if (top !== null) for (let i = 0; i < n; i++) s += top[i] * v[i];
    dir.csvRows('direction.csv', Array.from({ length: n }, (_, i) => [i, v[i], top === null ? '' : (s < 0 ? -1 : 1) * top[i]]));
    files.push('direction.csv');
  }
  files.push('summary.json');

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
    mode: sim.mode.kind,
    hardware: result.hardware,
    results: result.extras,
    warnings: result.warnings,
    wallSeconds: Number(wallSeconds.toFixed(3)),
    startedAt: startedAt.toISOString(),
    files,
  };
  dir.writeJson('summary.json', summary);
  const runDir = dir.finish(result.status);
  return { result, runDir, summary };
}
