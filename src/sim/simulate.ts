import type { EstimatorSpec } from '../synapse/index.js';
import { Chip } from './chip.js';
import type { ClockSpec, PerturbationSpec } from './environment.js';
import type { HardwareCounters, HardwareSpec } from './hardware.js';
import { runTrials, type LoopOptions, type RunStatus } from './loop.js';
import { EigenMode, type EigenSpec } from './modes/eigen.js';
import { EstimateMode } from './modes/estimate.js';
import { ChipTimeMode } from './modes/chip-time.js';
import type { Mode, ModeName, Table } from './modes/mode.js';
import { TrainMode, type TrainSpec } from './modes/train.js';
import type { SimProblem } from './problem.js';
import type { Row } from './probe.js';
import { simulateBlocks, type BlockSource } from './blocks/fold.js';
import { runsInBlocks } from './blocks/plan.js';

export type ModeSpec =
  | { kind: 'estimate' }
  | { kind: 'eigen'; eigen: EigenSpec }
  | ({ kind: 'train' } & TrainSpec);

export interface SimulationSpec {
  problem: SimProblem;
  /** Direction v (length n). */
  v: Float64Array;
  perturbation: PerturbationSpec;
  estimator: EstimatorSpec;
  trials: number;
  probeEvery: number;
  seed: number;
  mode?: ModeSpec;
  hardware?: HardwareSpec;
  /** 2SPSA baseline columns (estimate mode, fixed-data problems). */
  spsa?: { c: number; cTilde: number } | null;
  /** The chip's clocks; when given, every row ends with `chip_time` (trial × dt seconds). */
  clock?: ClockSpec | null;
  /** Estimate mode: trials per block (default DEFAULT_BLOCK_SIZE; sim/blocks/). */
  blockSize?: number;
}

export interface SimulationResult {
  status: RunStatus;
  trialsRun: number;
  evaluations: number;
  /** Why the run stopped early (diverged, interrupted, failed), else null. */
  reason: string | null;
  warnings: string[];
  mode: ModeName;
  /** The columns of the rows. */
  header: readonly string[];
  /** The last row, if any. */
  lastRow: Row | null;
  hardware: HardwareCounters;
  /** Mode results (learning rate chosen, λ estimates, …). */
  results: Record<string, number | string | null>;
  /** Final per-synapse tables (synapses.csv, weights.csv, direction.csv), as data. */
  tables: Table[];
}

export interface SimulateOptions extends LoopOptions {
  /** Called once with the rows' columns, before the first trial. */
  onHeader?: (header: readonly string[]) => void;
  /** Where an estimate run's blocks are computed (default: here, one after another). */
  blocks?: BlockSource;
}

/** What the run's reader should know before reading its numbers. */
export function simulationWarnings(spec: SimulationSpec, deadSynapses: number): string[] {
  const warnings: string[] = [];
  if (spec.perturbation.law === 'rademacher') {
    warnings.push(
      'rademacher (±σ) perturbations cannot see the Hessian diagonal: Δw_i² = σ² on every trial, so H_ii ' +
        'only enters ΔE as the constant ½σ² tr H. No estimator recovers Hv from such trials; moment converges ' +
        'to the off-diagonal part z − diag(H)v (column z_offdiag_rel_err). Use gaussian or uniform perturbations to estimate Hv.',
    );
  }
  if (spec.estimator.name === 'seed') {
    warnings.push(
      `the seed's per-synapse regression is biased: it converges to the limit derived in docs/theory.md (column z_limit_rel_err), not to Hv` +
        (spec.perturbation.law === 'gaussian' ? '' : ' (that limit is derived for gaussian ξ only)'),
    );
  }
  if (spec.estimator.name === 'wp' && (spec.mode?.kind ?? 'estimate') === 'estimate') {
    warnings.push('wp estimates the gradient only: the z columns are empty');
  }
  if (deadSynapses > 0) warnings.push(`${deadSynapses} dead synapse(s): no perturbation, no updates, estimates held at 0`);
  return warnings;
}

function createMode(chip: Chip, spec: SimulationSpec, results: Record<string, number | string | null>): Mode {
  const mode = spec.mode ?? { kind: 'estimate' };
  switch (mode.kind) {
    case 'estimate':
      return new EstimateMode(chip, spec.probeEvery, {
        seedIntercept: spec.estimator.name === 'seed' ? spec.estimator.intercept : null,
        spsa: spec.spsa ?? null,
      });
    case 'eigen':
      return new EigenMode(chip, mode.eigen);
    case 'train':
      return new TrainMode(chip, mode.learningRate === 'auto' ? null : mode.learningRate, mode, spec.probeEvery, results);
  }
}

/**
 * Runs a simulation: builds the chip and its mode, runs the trial loop, and returns the outcome
 * as data. An estimate run that can be cut runs in blocks of independent trials that merge
 * (sim/blocks/fold.ts). Train mode with η = 'auto' first runs the eigen mode as a silent
 * pre-phase of K·updates trials at w0 and takes η = 1/λ̂_max. Never throws for what happens during the run: an
 * exception in any part ends it with status `failed` and its message. Pass `chip` (built from
 * the same spec) to inspect its final state afterwards.
 */
export async function simulate(spec: SimulationSpec, options: SimulateOptions = {}, chip = new Chip(spec)): Promise<SimulationResult> {
  // Estimate runs whose trials are independent and whose estimator's state is a set of sums
  // run in blocks that merge (sim/blocks/): the same bytes on any number of workers.
  if (runsInBlocks(spec)) return simulateBlocks(spec, options, chip, simulationWarnings(spec, chip.hardware.counters.dead));
  const modeName: ModeName = spec.mode?.kind ?? 'estimate';
  const results: Record<string, number | string | null> = {};
  const outcome: SimulationResult = {
    status: 'complete', trialsRun: 0, evaluations: 0, reason: null,
    warnings: simulationWarnings(spec, chip.hardware.counters.dead), mode: modeName, header: [], lastRow: null,
    hardware: chip.hardware.counters, results, tables: [],
  };
  let mode: Mode | null = null;
  try {
    const inner = createMode(chip, spec, results);
    mode = spec.clock !== undefined && spec.clock !== null ? new ChipTimeMode(inner, spec.clock.dt) : inner;
    outcome.header = mode.header;
    options.onHeader?.(mode.header);
    const m = spec.mode;
    if (m?.kind === 'train' && m.learningRate === 'auto') {
      // Pre-phase: the synapses find λ_max by power iteration at w0; η = 1/λ̂.
      const eigenTrials = m.eigen.every * m.eigen.updates;
      const eigen = new EigenMode(chip, m.eigen);
      const pre = await runTrials(chip, eigen, eigenTrials, { signal: options.signal, chunkMs: options.chunkMs });
      Object.assign(results, eigen.results);
      if (pre.status !== 'complete') {
        Object.assign(outcome, { status: pre.status, reason: `eigen pre-phase: ${pre.reason ?? pre.status}` });
      } else if (!(eigen.lambdaEstimate > 0)) {
        Object.assign(outcome, { status: 'diverged', reason: `the eigen pre-phase found λ̂_max = ${eigen.lambdaEstimate} ≤ 0: no learning rate 1/λ̂` });
      } else {
        results.learningRate = 1 / eigen.lambdaEstimate;
        results.lambdaEstimate = eigen.lambdaEstimate;
        results.eigenTrials = eigenTrials;
        (inner as TrainMode).setLearningRate(1 / eigen.lambdaEstimate);
      }
    }
    if (outcome.status === 'complete') Object.assign(outcome, await runTrials(chip, mode, spec.trials, options));
  } catch (err) {
    outcome.status = 'failed';
    outcome.reason = err instanceof Error ? err.message : String(err);
  }
  outcome.evaluations = chip.environment.evaluations;
  if (mode !== null) {
    try {
      const final = mode.finish();
      if (final.results !== results) Object.assign(results, final.results);
      outcome.tables = final.tables;
    } catch (err) {
      if (outcome.status !== 'failed') {
        outcome.status = 'failed';
        outcome.reason = `final tables: ${err instanceof Error ? err.message : String(err)}`;
      }
    }
  }
  return outcome;
}
