import type { Broadcast } from '../../synapse/broadcast.js';
import type { Row } from '../probe.js';

export type ModeName = 'estimate' | 'eigen' | 'train';

/** A table of final per-synapse values, written by a sink as `file` (e.g. synapses.csv). */
export interface Table {
  file: string;
  header: string[];
  rows: (number | string)[][];
}

/** What a mode leaves when the run ends: named results (learning rate, λ̂, …) and tables. */
export interface ModeResult {
  results: Record<string, number | string | null>;
  tables: Table[];
}

/**
 * A mode is what the chip is doing while the trial loop runs: estimating at a fixed w, finding
 * λ_max by power iteration, or learning. The loop calls, per trial and after the synapses'
 * update, `afterTrial`, then asks `logNow` and takes `row` when it says so. A mode computes
 * only what it needs (the estimate mode's exact reference, the eigen mode's exact eigenpair).
 */
export interface Mode {
  readonly name: ModeName;
  /** The columns of its rows (probes.csv). */
  readonly header: readonly string[];
  /** Whether `row` describes the chip at any trial (so an interrupted run can end with a row at its last trial). */
  readonly rowsAtAnyTrial: boolean;
  /** Whether the rows start with one at trial 0, before the first trial (learning curves start at w0). */
  readonly rowAtStart?: boolean;
  /**
   * False when nothing reads the synapse population's estimates during this mode's trials (the
   * train mode's WP rule integrates its own change): the loop then skips the population update
   * and the summing wire. Default true.
   */
  readonly usesPopulation?: boolean;
  afterTrial(b: Broadcast, trial: number): void;
  logNow(trial: number, trials: number): boolean;
  row(trial: number): Row;
  /** Why the mode has reached its goal early (e.g. a target accuracy), ending the run; null to go on. */
  done?(): string | null;
  /** Results and tables, as data, when the run ends (whatever its status). */
  finish(): ModeResult;
  /** Named results known so far (e.g. a pre-phase's λ̂). */
  readonly results: Record<string, number | string | null>;
}
