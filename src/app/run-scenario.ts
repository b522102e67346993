import { buildSimulationSpec } from '../scenario/problems.js';
import { scenarioSchema, type Scenario } from '../scenario/schema.js';
import type { RunInfo, RunRecord, Sink } from '../output/sink.js';
import { simulate, type SimulationSpec } from '../sim/simulate.js';
import type { BlockSource } from '../sim/blocks/fold.js';
import { DEFAULT_BLOCK_SIZE, requireBlocks, runsInBlocks } from '../sim/blocks/plan.js';

export interface RunOptions {
  /** Where the run's rows, progress and record go (run directory, progress bar, …). */
  sinks?: Sink[];
  /** Stops the run between trials; the run ends `interrupted` with its rows so far. */
  signal?: AbortSignal;
  /** The directory a relative net-file path is resolved against (the scenario file's). */
  baseDir: string;
  /** Wall time of one chunk of trials between yields to the event loop. */
  chunkMs?: number;
  now?: Date;
  /**
   * An estimate run in blocks: worker threads that compute its blocks (default 1, this thread).
   * The bytes do not depend on it. More than 1 for any other run is bad input.
   */
  workers?: number;
  /** Where an estimate run's blocks come from (a merge's shard files); overrides `workers`. */
  blocks?: BlockSource;
}

/**
 * The one application path: scenario → simulation spec (problem, oracle, direction, mode) →
 * the trial loop → rows and the final record → sinks. Used by `wpsim run`, `sweep`,
 * `sigma-study`, the library and the tests. Bad input (an InputError while building) throws
 * before any sink has written anything; whatever happens during the run ends in the record's
 * status, never as an exception.
 */
export async function runScenario(scenario: Scenario, options: RunOptions): Promise<RunRecord> {
  const spec = buildSimulationSpec(scenario, options.baseDir);
  const workers = options.workers ?? 1;
  if (workers > 1 && options.blocks === undefined) requireBlocks(spec, '--workers');
  const resolved = withBlockSize(scenario, spec);
  // The pool (piscina) loads only when asked for.
  const blocks = options.blocks ?? (workers > 1 ? (await import('../parallel/pool.js')).poolBlocks(resolved, options.baseDir, workers) : undefined);
  return runSpec(spec, resolved, { ...options, blocks });
}

/**
 * The scenario as a run records it: an estimate run in blocks names its block size, so that its
 * scenario.json reruns to the same bytes whatever the default becomes.
 */
export function withBlockSize(scenario: Scenario, spec: SimulationSpec): Scenario {
  // Parsed again so the field takes its place in the schema's order, as in a scenario read back.
  return runsInBlocks(spec) && scenario.blockSize === undefined ? scenarioSchema.parse({ ...scenario, blockSize: DEFAULT_BLOCK_SIZE }) : scenario;
}

/** The same path for a spec built by hand (a custom problem, as the tests do). */
export async function runSpec(spec: SimulationSpec, scenario: Scenario, options: RunOptions): Promise<RunRecord> {
  const sinks = options.sinks ?? [];
  const startedAt = options.now ?? new Date();
  const t0 = performance.now();
  let info: RunInfo | null = null;
  const start = (header: readonly string[]): RunInfo => {
    info = { scenario, problem: spec.problem.description, synapses: spec.problem.size, kernels: spec.problem.kernels ?? null, header, startedAt, baseDir: options.baseDir };
    for (const sink of sinks) sink.start(info);
    return info;
  };
  const result = await simulate(spec, {
    blocks: options.blocks,
    signal: options.signal,
    chunkMs: options.chunkMs,
    onHeader: start,
    onRow: (row) => {
      for (const sink of sinks) sink.row(row);
    },
    onProgress: (p) => {
      for (const sink of sinks) sink.progress?.(p);
    },
  });
  const record: RunRecord = { info: info ?? start(result.header), result, wallSeconds: (performance.now() - t0) / 1000 };
  for (const sink of sinks) sink.finish(record);
  return record;
}
