import { isMergeable, type SufficientStatistics } from '../../synapse/statistics.js';
import { Chip } from '../chip.js';
import type { HardwareCounters } from '../hardware.js';
import { runTrials, type RunStatus } from '../loop.js';
import type { Mode, ModeResult } from '../modes/mode.js';
import type { Row } from '../probe.js';
import type { SimulationSpec } from '../simulate.js';
import { blockSpan, isRowTrial, type BlockPlan } from './plan.js';

/** A block's statistics at one of the run's row trials inside it (not its last trial). */
export interface BlockSnapshot {
  /** Trials of this block run so far (1 … length − 1). */
  trial: number;
  evaluations: number;
  stats: SufficientStatistics;
}

/**
 * The counters blocks add up. The chip's dead and stuck synapses, and the weight clips of
 * storing w, are properties of the one chip: the merge takes them from its own chip.
 */
export type BlockCounters = Pick<HardwareCounters, 'measurements' | 'deltaEClips' | 'sumClips'>;

/** What one block of an estimate run leaves: its statistics, counts and snapshots, as data. */
export interface BlockResult {
  index: number;
  status: RunStatus;
  reason: string | null;
  trialsRun: number;
  evaluations: number;
  counters: BlockCounters;
  stats: SufficientStatistics;
  snapshots: BlockSnapshot[];
}

/**
 * The mode a block runs: nothing per trial; at the run's row trials inside the block it keeps a
 * snapshot of the population's statistics, from which the merge computes that row (the row
 * needs the earlier blocks' statistics too, which the block does not have).
 */
class SnapshotMode implements Mode {
  readonly name = 'estimate' as const;
  readonly header: string[] = [];
  readonly rowsAtAnyTrial = false;
  readonly results = {};
  readonly snapshots: BlockSnapshot[] = [];

  constructor(private readonly chip: Chip, private readonly plan: BlockPlan, private readonly first: number, private readonly length: number) {}

  afterTrial(): void {}

  logNow(trial: number): boolean {
    return trial < this.length && isRowTrial(this.plan, this.first + trial);
  }

  row(trial: number): Row {
    const population = this.chip.population;
    if (!isMergeable(population)) throw new Error(`estimator ${population.name} does not merge`);
    this.snapshots.push({ trial, evaluations: this.chip.environment.evaluations, stats: population.statistics() });
    return [];
  }

  finish(): ModeResult {
    return { results: {}, tables: [] };
  }
}

/**
 * Runs block k of an estimate run on a chip of its own (block k's streams, sim/chip.ts): the
 * same trial loop, statistics kept at the run's row trials inside the block. Never throws for
 * what happens during the block: its status says how it ended, as the loop's does.
 */
export async function runBlock(
  spec: SimulationSpec, plan: BlockPlan, k: number, options: { signal?: AbortSignal; chunkMs?: number } = {},
): Promise<BlockResult> {
  const { first, length } = blockSpan(plan, k);
  // A block's samples depend on its data stream alone, not on the blocks this problem ran before.
  spec.problem.restartSamples?.();
  const chip = new Chip(spec, k);
  const mode = new SnapshotMode(chip, plan, first, length);
  const outcome = await runTrials(chip, mode, length, options);
  const population = chip.population;
  if (!isMergeable(population)) throw new Error(`estimator ${population.name} does not merge`);
  const c = chip.hardware.counters;
  return {
    index: k,
    status: outcome.status,
    reason: outcome.reason,
    trialsRun: outcome.trialsRun,
    evaluations: chip.environment.evaluations,
    counters: { measurements: c.measurements, deltaEClips: c.deltaEClips, sumClips: c.sumClips },
    stats: population.statistics(),
    snapshots: mode.snapshots,
  };
}
