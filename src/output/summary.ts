import type { RunStatus } from '../sim/loop.js';
import type { HardwareCounters } from '../sim/hardware.js';
import { VERSION } from '../version.js';
import type { RunRecord } from './sink.js';

export interface Summary {
  status: RunStatus;
  reason: string | null;
  scenario: string;
  seed: number;
  version: string;
  node: string;
  problem: string;
  synapses: number;
  /** The layered oracle's kernel path, 'wasm' or 'js'; null for other problems. Bytes are reproducible on one path (docs/formats.md). */
  kernels: 'js' | 'wasm' | null;
  trials: number;
  /** Trials per block of an estimate run in blocks (docs/architecture.md, "Blocks and merges"); null for a run that is one sequence. */
  blockSize: number | null;
  trialsRun: number;
  evaluations: number;
  /** The last row by column; null for a metric the estimator does not provide. */
  final: Record<string, number | null> | null;
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

/** summary.json of a finished run. */
export function summarize(record: RunRecord, files: string[]): Summary {
  const { info, result } = record;
  const last = result.lastRow;
  return {
    status: result.status,
    reason: result.reason,
    scenario: info.scenario.name,
    seed: info.scenario.seed,
    version: VERSION,
    node: process.version,
    problem: info.problem,
    synapses: info.synapses,
    kernels: info.kernels,
    trials: info.scenario.trials,
    blockSize: info.scenario.blockSize ?? null,
    trialsRun: result.trialsRun,
    evaluations: result.evaluations,
    final: last === null ? null : Object.fromEntries(result.header.map((h, k) => [h, last[k]])),
    mode: result.mode,
    hardware: result.hardware,
    results: result.results,
    warnings: result.warnings,
    wallSeconds: Number(record.wallSeconds.toFixed(3)),
    startedAt: info.startedAt.toISOString(),
    files,
  };
}
