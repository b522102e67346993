import { InputError } from '../../errors.js';
import type { SimulationSpec } from '../simulate.js';

/** Trials per block when the scenario gives no blockSize (docs/formats.md, "blockSize"). */
export const DEFAULT_BLOCK_SIZE = 1000;

/**
 * How an estimate run is cut into blocks (docs/architecture.md, "Blocks and merges"): blocks of
 * `size` trials (the last one shorter), block k covering trials k·size + 1 … min((k+1)·size,
 * trials), each drawn from its own streams; rows every `probeEvery` trials and at the last.
 */
export interface BlockPlan {
  size: number;
  count: number;
  trials: number;
  probeEvery: number;
}

export function blockPlan(trials: number, probeEvery: number, size: number): BlockPlan {
  return { size, count: Math.ceil(trials / size), trials, probeEvery };
}

/** The first trial (0-based offset) and the length of block k. */
export function blockSpan(plan: BlockPlan, k: number): { first: number; length: number } {
  const first = k * plan.size;
  return { first, length: Math.min(plan.size, plan.trials - first) };
}

/** Whether the run logs a row after trial t (1-based) of the whole run. */
export function isRowTrial(plan: BlockPlan, t: number): boolean {
  return t % plan.probeEvery === 0 || t === plan.trials;
}

/** The blocks shard i of N owns (1 ≤ i ≤ N): a contiguous range [from, to). */
export function shardBlocks(plan: BlockPlan, shard: { index: number; count: number }): { from: number; to: number } {
  const at = (i: number): number => Math.floor((i * plan.count) / shard.count);
  return { from: at(shard.index - 1), to: at(shard.index) };
}

/**
 * Why an estimate run cannot be cut into blocks, as the scenario field to blame, or null when
 * it can: the trials must be independent and the estimator's state a set of sums. joint-lms's
 * LMS recursion carries its iterate from trial to trial; a perturbation code is a sequence over
 * trials; the chip's clocks hold perturbations and samples across trials.
 */
export function blockObstacle(spec: SimulationSpec): { field: string; rule: string; value: unknown } | null {
  const estimator = spec.estimator.name;
  if (estimator !== 'wp' && estimator !== 'moment' && estimator !== 'seed') {
    return { field: 'estimator.name', rule: 'must be wp, moment or seed to run an estimate in blocks (its state must be a set of sums that merge; joint-lms is an LMS recursion)', value: estimator };
  }
  if ((spec.perturbation.code ?? null) !== null) {
    return { field: 'perturbation.code', rule: 'must be absent to run an estimate in blocks (a code is one sequence over the trials)', value: spec.perturbation.code?.name };
  }
  if ((spec.clock ?? null) !== null) {
    return { field: 'chip', rule: 'must be absent to run an estimate in blocks (the chip\'s clocks hold perturbations and samples across trials)', value: 'chip' };
  }
  return null;
}

/** Whether the spec runs in blocks: estimate mode, and nothing in the way. */
export function runsInBlocks(spec: SimulationSpec): boolean {
  return (spec.mode?.kind ?? 'estimate') === 'estimate' && blockObstacle(spec) === null;
}

/**
 * Checks that a run asked for workers or a shard (`option`) can have them: an estimate run in
 * blocks. Throws an InputError naming the field in the way.
 */
export function requireBlocks(spec: SimulationSpec, option: string): void {
  const kind = spec.mode?.kind ?? 'estimate';
  if (kind !== 'estimate') throw new InputError(option, 'applies to mode "estimate" only (trials at a fixed w are independent; training is a sequence)', kind);
  const obstacle = blockObstacle(spec);
  if (obstacle !== null) throw new InputError(obstacle.field, `${obstacle.rule}, which ${option} needs`, obstacle.value);
}
