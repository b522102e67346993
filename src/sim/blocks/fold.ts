import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { isMergeable, type Mergeable } from '../../synapse/statistics.js';
import type { Chip } from '../chip.js';
import type { RunStatus } from '../loop.js';
import { EstimateMode } from '../modes/estimate.js';
import type { Row } from '../probe.js';
import type { SimulateOptions, SimulationResult, SimulationSpec } from '../simulate.js';
import { blockPlan, blockSpan, DEFAULT_BLOCK_SIZE, isRowTrial, type BlockPlan } from './plan.js';
import { runBlock, type BlockResult } from './run-block.js';

/**
 * Where an estimate run's block results come from, in block order: run here one after another
 * (the default), on worker threads (parallel/), or read from shard directories (wpsim merge).
 * A source may compute ahead; the merge stops reading when the run ends early.
 */
export interface BlockSource {
  blocks(plan: BlockPlan): AsyncIterable<BlockResult>;
}

/**
 * The blocks run in this thread, one after another, each stoppable by the signal between chunks;
 * `range` [from, to) runs a shard's blocks only.
 */
export function localBlocks(
  spec: SimulationSpec, options: { signal?: AbortSignal; chunkMs?: number } = {}, range?: { from: number; to: number },
): BlockSource {
  const chunkMs = options.chunkMs ?? 50;
  return {
    async *blocks(plan) {
      const { from, to } = range ?? { from: 0, to: plan.count };
      let since = performance.now();
      for (let k = from; k < to; k++) {
        yield await runBlock(spec, plan, k, options);
        // Short blocks finish inside one chunk of the loop, which then never yields: yield here
        // every chunkMs so that a stop signal (SIGINT) lands between blocks.
        if (performance.now() - since >= chunkMs) {
          await yieldToEventLoop();
          since = performance.now();
        }
      }
    },
  };
}

/** The plan of a spec that runs in blocks. */
export function planOf(spec: SimulationSpec): BlockPlan {
  return blockPlan(spec.trials, spec.probeEvery, spec.blockSize ?? DEFAULT_BLOCK_SIZE);
}

/**
 * An estimate run in blocks (docs/architecture.md, "Blocks and merges"). The block results are
 * merged in block order into the chip's population, S_k = S_{k−1} ⊕ B_k, and every row comes
 * from merged statistics: at a block's end from S_k, inside block k from S_{k−1} ⊕ (block k's
 * snapshot). Floating-point sums depend on their order, and this order is fixed by the plan, so
 * the rows and synapses.csv are the same bytes whoever computed the blocks (this thread, any
 * number of workers, shards). Endings as for the trial loop: a block that diverged, failed or
 * was interrupted ends the run after its trials; a source that throws fails the run; the run
 * ends with a row at its last trial.
 */
export async function simulateBlocks(spec: SimulationSpec, options: SimulateOptions, chip: Chip, warnings: string[]): Promise<SimulationResult> {
  const plan = planOf(spec);
  const source = options.blocks ?? localBlocks(spec, { signal: options.signal, chunkMs: options.chunkMs });
  const counters = { ...chip.hardware.counters };
  const outcome: SimulationResult = {
    status: 'complete', trialsRun: 0, evaluations: 0, reason: null,
    warnings, mode: 'estimate', header: [], lastRow: null,
    hardware: counters, results: {}, tables: [],
  };
  let mode: EstimateMode | null = null;
  let trials = 0;
  let evaluations = 0;
  let lastRowTrial = -1;
  let status: RunStatus = 'complete';
  let reason: string | null = null;
  const emit = (m: EstimateMode, t: number, e: number): void => {
    const row: Row = m.rowAt(t, e);
    outcome.lastRow = row;
    lastRowTrial = t;
    options.onRow?.(row);
    if (row.some((x) => x !== null && !Number.isFinite(x))) {
      status = 'diverged';
      reason = `non-finite value in the row at trial ${t}`;
    }
  };
  // The first block starts before the exact reference is computed (n Hv products for diag H):
  // worker threads run meanwhile. The merge reads nothing of it until the mode is built.
  const iterator = source.blocks(plan)[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<BlockResult>> | null = iterator.next();
  pending.catch(() => {});
  try {
    const m = new EstimateMode(chip, spec.probeEvery, {
      seedIntercept: spec.estimator.name === 'seed' ? spec.estimator.intercept : null,
      spsa: spec.spsa ?? null,
    });
    mode = m;
    outcome.header = m.header;
    options.onHeader?.(m.header);
    const view = chip.population;
    if (!isMergeable(view)) throw new Error(`estimator ${view.name} does not merge`);
    let expected = 0;
    for (;;) {
      const next: IteratorResult<BlockResult> = await (pending ?? iterator.next());
      pending = null;
      if (next.done === true) break;
      const block = next.value;
      if (block.index !== expected) throw new Error(`block ${expected} expected, block ${block.index} came`);
      expected++;
      const ended = mergeBlock(m, view, block, plan, trials, evaluations, emit, () => status);
      trials = ended.trials;
      evaluations = ended.evaluations;
      counters.measurements += block.counters.measurements;
      counters.deltaEClips += block.counters.deltaEClips;
      counters.sumClips += block.counters.sumClips;
      if (status === 'complete' && block.status !== 'complete') {
        status = block.status;
        reason = `block ${block.index} (trials ${blockSpan(plan, block.index).first + 1}…): ${block.reason ?? block.status}`;
      }
      options.onProgress?.({ trial: trials, trials: plan.trials });
      if (status !== 'complete') break;
      if (options.signal?.aborted === true && trials < plan.trials) {
        status = 'interrupted';
        break;
      }
    }
    if (status === 'complete' && trials < plan.trials) {
      if (options.signal?.aborted === true) status = 'interrupted';
      else throw new Error(`the blocks ended after trial ${trials} of ${plan.trials}`);
    }
  } catch (err) {
    status = 'failed';
    reason = err instanceof Error ? err.message : String(err);
  }
  try {
    // Ends the source (a pool is destroyed, blocks in flight dropped).
    await iterator.return?.();
  } catch {
    // A source that fails while stopping changes nothing the merge has.
  }
  if (status === 'interrupted') reason = `stopped at trial ${trials} of ${plan.trials}`;
  if (mode !== null && status !== 'complete' && trials > 0 && lastRowTrial !== trials) {
    try {
      emit(mode, trials, evaluations);
    } catch {
      // The state that failed cannot be described; the rows so far stand.
    }
  }
  Object.assign(outcome, { status, reason, trialsRun: trials, evaluations });
  if (mode !== null) {
    try {
      outcome.tables = mode.finish().tables;
    } catch (err) {
      if (outcome.status !== 'failed') Object.assign(outcome, { status: 'failed', reason: `final tables: ${err instanceof Error ? err.message : String(err)}` });
    }
  }
  return outcome;
}

/**
 * Merges one block into the population `view` (S_{k−1} before, S_k after) and logs the rows
 * that fall in it. A row that is not finite ends the run at its trial, the block's later trials
 * left out. Returns the run's trials and evaluations after the block.
 */
function mergeBlock(
  mode: EstimateMode, view: Mergeable, block: BlockResult, plan: BlockPlan, trials: number, evaluations: number,
  emit: (m: EstimateMode, t: number, e: number) => void, status: () => RunStatus,
): { trials: number; evaluations: number } {
  const { first } = blockSpan(plan, block.index);
  if (block.snapshots.length > 0) {
    const before = view.statistics();
    for (const snapshot of block.snapshots) {
      view.restore(before);
      view.absorb(snapshot.stats);
      emit(mode, first + snapshot.trial, evaluations + snapshot.evaluations);
      if (status() !== 'complete') return { trials: first + snapshot.trial, evaluations: evaluations + snapshot.evaluations };
    }
    view.restore(before);
  }
  view.absorb(block.stats);
  const after = { trials: first + block.trialsRun, evaluations: evaluations + block.evaluations };
  if (block.status === 'complete' && isRowTrial(plan, after.trials)) emit(mode, after.trials, after.evaluations);
  return after;
}
