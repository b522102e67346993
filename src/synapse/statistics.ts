import type { EstimatorName } from './estimator.js';

/**
 * A population's state as sufficient statistics (docs/architecture.md, "Blocks and merges"):
 * per-synapse arrays (slot i is synapse i's) and chip-wide scalars (a trial count, running means
 * of the broadcast ΔE, identical in every synapse). Two populations of the same estimator, built
 * with the same constants and v, that ran disjoint sets of independent trials merge into the
 * statistics of the union: `absorb`. Merging reads and writes slot i of each array only, so it
 * keeps the synapses local.
 */
export interface SufficientStatistics {
  readonly estimator: EstimatorName;
  readonly scalars: Record<string, number>;
  readonly arrays: Record<string, Float64Array>;
}

/** The populations whose state merges (wp, moment, seed); joint-lms's LMS recursion does not. */
export interface Mergeable {
  /** A copy of the state. */
  statistics(): SufficientStatistics;
  /** Sets the state to `s`, exactly (a copy). */
  restore(s: SufficientStatistics): void;
  /** Merges `s` (disjoint trials) into the state: this ← this ⊕ s. */
  absorb(s: SufficientStatistics): void;
}

/** Whether a population can merge its state (see `Mergeable`). */
export function isMergeable(p: object): p is Mergeable {
  return typeof (p as Partial<Mergeable>).absorb === 'function';
}

/** Copies the named arrays of a state record (the direction v, a constant, is left out). */
export function copyArrays(state: Readonly<Record<string, Float64Array>>, names: readonly string[]): Record<string, Float64Array> {
  return Object.fromEntries(names.map((k) => [k, Float64Array.from(state[k])]));
}

/** Writes s's arrays into the state (same names, same length), exactly. */
export function restoreArrays(state: Readonly<Record<string, Float64Array>>, s: SufficientStatistics, names: readonly string[]): void {
  for (const k of names) {
    const from = s.arrays[k];
    if (from === undefined || from.length !== state[k].length) throw new Error(`statistics: array ${k} missing or of the wrong length`);
    state[k].set(from);
  }
}

/** Adds s's arrays to the state, slot by slot: the merge of plain sums. */
export function addArrays(state: Readonly<Record<string, Float64Array>>, s: SufficientStatistics, names: readonly string[]): void {
  for (const k of names) {
    const to = state[k];
    const from = s.arrays[k];
    if (from === undefined || from.length !== to.length) throw new Error(`statistics: array ${k} missing or of the wrong length`);
    // Stryker disable next-line EqualityOperator: i <= length is equivalent: the extra pass writes past the end of a typed array of that length, a write that is dropped.
    for (let i = 0; i < to.length; i++) to[i] += from[i];
  }
}

/**
 * The mean of a union of samples from the means of its two parts, written so that merging into
 * an empty part (na = 0) returns mb exactly: m = ma + (mb − ma)·nb/(na + nb).
 */
export function mergedMean(ma: number, na: number, mb: number, nb: number): number {
  const n = na + nb;
  return n === 0 ? ma : ma + (mb - ma) * (nb / n);
}
