import { copyFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { readInputFile } from '../io/files.js';
import { RunDirectory, runParentDir } from '../output/run-dir.js';
import { NET_COPY, rerunnableScenario } from '../output/run-dir-sink.js';
import type { RunRecord, Sink } from '../output/sink.js';
import { checkShardStats, readShardManifest, shardFileBlocks, writeShardFiles, type ShardManifest } from '../parallel/shard-files.js';
import { loadScenario } from '../scenario/load.js';
import { buildSimulationSpec } from '../scenario/problems.js';
import type { Scenario } from '../scenario/schema.js';
import { Chip } from '../sim/chip.js';
import { localBlocks, planOf } from '../sim/blocks/fold.js';
import { requireBlocks, shardBlocks } from '../sim/blocks/plan.js';
import type { BlockResult } from '../sim/blocks/run-block.js';
import type { RunStatus } from '../sim/loop.js';
import { isMergeable } from '../synapse/statistics.js';
import { runSpec, withBlockSize } from './run-scenario.js';

export interface ShardOptions {
  baseDir: string;
  shard: { index: number; count: number };
  /** The shard's --shard text, for messages. */
  shardText: string;
  workers?: number;
  signal?: AbortSignal;
  now?: Date;
}

export interface ShardOutcome {
  path: string;
  status: RunStatus;
  reason: string | null;
  blocks: { from: number; to: number };
  blocksRun: number;
}

/**
 * `wpsim run --shard i/N` on an estimate run (docs/formats.md, "Shard directories"): runs the
 * blocks shard i owns (a contiguous range; on `workers` threads) and writes their statistics to
 * a shard directory `<output>/<name>/<run-id>-shard-i-of-N` (complete or absent, named by
 * status, as a run directory is): scenario.json, shard.json, stats.f64. `wpsim merge` combines
 * shards 1…N into the run directory one unsharded run writes. A block that does not complete
 * ends the shard (its later blocks are not needed: the merged run ends there too).
 */
export async function runShard(scenario: Scenario, options: ShardOptions): Promise<ShardOutcome> {
  const spec = buildSimulationSpec(scenario, options.baseDir);
  requireBlocks(spec, '--shard');
  const resolved = withBlockSize(scenario, spec);
  const plan = planOf(spec);
  const { shard } = options;
  if (shard.count > plan.count) {
    throw new InputError('--shard', `must split the run into at most ${plan.count} parts, its blocks (trials ${plan.trials} / blockSize ${plan.size})`, options.shardText);
  }
  const range = shardBlocks(plan, shard);
  const workers = options.workers ?? 1;
  const source = workers > 1
    ? (await import('../parallel/pool.js')).poolBlocks(resolved, options.baseDir, workers, { range })
    : localBlocks(spec, { signal: options.signal }, range);
  const population = new Chip(spec).population;
  if (!isMergeable(population)) throw new Error(`estimator ${population.name} does not merge`);
  const empty = population.statistics();
  const parent = runParentDir(resolved.output, resolved.name);
  const dir = new RunDirectory(parent, `${RunDirectory.freshId(parent, resolved.seed, options.now)}-shard-${shard.index}-of-${shard.count}`);
  dir.writeJson('scenario.json', rerunnableScenario(resolved));
  if (resolved.problem.kind === 'net-file') copyFileSync(resolve(options.baseDir, resolved.problem.path), join(dir.tempPath, NET_COPY));
  const results: BlockResult[] = [];
  let status: RunStatus = 'complete';
  let reason: string | null = null;
  try {
    for await (const block of source.blocks(plan)) {
      results.push(block);
      if (block.status !== 'complete') {
        status = block.status;
        reason = `block ${block.index}: ${block.reason ?? block.status}`;
        break;
      }
      if (options.signal?.aborted === true && block.index + 1 < range.to) {
        status = 'interrupted';
        reason = `stopped after block ${block.index} (blocks ${range.from}…${range.to - 1})`;
        break;
      }
    }
  } catch (err) {
    status = 'failed';
    reason = err instanceof Error ? err.message : String(err);
  }
  writeShardFiles(dir.tempPath, {
    shard: { index: shard.index, count: shard.count }, blockSize: plan.size, trials: plan.trials, probeEvery: plan.probeEvery,
    synapses: spec.problem.size, estimator: spec.estimator.name, blocks: range, status, reason,
  }, { scalars: Object.keys(empty.scalars), arrays: Object.keys(empty.arrays) }, results);
  return { path: dir.finish(status), status, reason, blocks: range, blocksRun: results.length };
}

/**
 * `wpsim merge` of estimate shards: checks that `dirs` are shards 1…N of one run (the same
 * scenario.json, the same N, each once; stats.f64 of the size shard.json lists), before
 * anything is written, then merges their blocks in order exactly as the unsharded run does,
 * into a run directory under `outDir` (default: the scenario's output). Bad shards throw an
 * InputError.
 */
export async function mergeShardRuns(dirs: string[], options: { outDir?: string; sinks: (scenario: Scenario) => Sink[]; now?: Date }): Promise<RunRecord> {
  const shards = dirs.map((d) => {
    const manifest = readShardManifest(d);
    const text = readInputFile(join(d, 'scenario.json'), 'DIR');
    return { dir: d, manifest, text };
  });
  const first = shards[0];
  const count = first.manifest.shard.count;
  for (const s of shards) {
    if (s.text !== first.text) throw new InputError(`DIR ${s.dir}`, `must be a shard of the same run as ${first.dir} (its scenario.json differs)`, basename(s.dir));
    if (!samePlan(s.manifest, first.manifest)) throw new InputError(`DIR ${s.dir}`, `must be a shard of the same split as ${first.dir} (shard count, blockSize, trials, probeEvery)`, `${s.manifest.shard.index}/${s.manifest.shard.count}`);
  }
  const byIndex = new Map<number, (typeof shards)[number]>();
  for (const s of shards) {
    const i = s.manifest.shard.index;
    if (byIndex.has(i)) throw new InputError('DIR', `must hold each shard once; shard ${i}/${count} is given twice`, `${byIndex.get(i)?.dir} ${s.dir}`);
    byIndex.set(i, s);
  }
  const missing = Array.from({ length: count }, (_, k) => k + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0) throw new InputError('DIR', `must together hold all ${count} shards of the run`, `missing shard(s) ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''}`);
  const ordered = Array.from({ length: count }, (_, k) => byIndex.get(k + 1) as (typeof shards)[number]);
  const { scenario, path } = loadScenario(join(ordered[0].dir, 'scenario.json'), [], { output: options.outDir });
  const spec = buildSimulationSpec(scenario, resolve(path, '..'));
  requireBlocks(spec, 'merge');
  const plan = planOf(spec);
  for (const s of ordered) {
    const m = s.manifest;
    const range = shardBlocks(plan, m.shard);
    if (m.blockSize !== plan.size || m.trials !== plan.trials || m.probeEvery !== plan.probeEvery || m.synapses !== spec.problem.size
      || m.estimator !== spec.estimator.name || m.blocks.from !== range.from || m.blocks.to !== range.to) {
      throw new InputError(`DIR ${s.dir}`, 'must be a shard of the run its scenario.json describes (plan, blocks or synapses differ)', `${m.shard.index}/${m.shard.count}`);
    }
    if (m.status === 'interrupted') throw new InputError(`DIR ${s.dir}`, 'must be a finished shard (it was interrupted: run it again)', `${m.shard.index}/${m.shard.count}`);
    checkShardStats(s.dir, m);
  }
  const blocks = shardFileBlocks(ordered.map((s) => s.dir), ordered.map((s) => s.manifest), spec.estimator.name);
  return runSpec(spec, scenario, { sinks: options.sinks(scenario), baseDir: resolve(path, '..'), blocks, now: options.now });
}

function samePlan(a: ShardManifest, b: ShardManifest): boolean {
  return a.shard.count === b.shard.count && a.blockSize === b.blockSize && a.trials === b.trials && a.probeEvery === b.probeEvery;
}
