import { closeSync, fstatSync, openSync, readSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { readJsonFile, validate } from '../io/json.js';
import type { BlockSource } from '../sim/blocks/fold.js';
import type { BlockPlan } from '../sim/blocks/plan.js';
import type { BlockResult } from '../sim/blocks/run-block.js';
import type { EstimatorName } from '../synapse/estimator.js';
import type { SufficientStatistics } from '../synapse/statistics.js';

/** The format tag of shard.json (docs/formats.md, "Shard directories"). */
export const SHARD_FORMAT = 'wpsim-estimate-shard/1';
export const SHARD_MANIFEST = 'shard.json';
export const SHARD_STATS = 'stats.f64';

const RUN_STATUS = z.enum(['complete', 'interrupted', 'diverged', 'failed']);
const count = z.number().int().min(0);

const manifestSchema = z.object({
  format: z.literal(SHARD_FORMAT),
  shard: z.object({ index: z.number().int().min(1), count: z.number().int().min(1) }).strict(),
  blockSize: z.number().int().min(1),
  trials: z.number().int().min(1),
  probeEvery: z.number().int().min(1),
  synapses: z.number().int().min(1),
  estimator: z.string(),
  blocks: z.object({ from: count, to: count }).strict(),
  status: RUN_STATUS,
  reason: z.string().nullable(),
  statistics: z.object({ scalars: z.array(z.string()), arrays: z.array(z.string()) }).strict(),
  results: z.array(z.object({
    index: count,
    status: RUN_STATUS,
    reason: z.string().nullable(),
    trialsRun: count,
    evaluations: count,
    counters: z.object({ measurements: count, deltaEClips: count, sumClips: count }).strict(),
    snapshots: z.array(z.object({ trial: z.number().int().min(1), evaluations: count }).strict()),
  }).strict()),
}).strict();

/** shard.json: what a shard ran and where each block's statistics lie in stats.f64. */
export type ShardManifest = z.output<typeof manifestSchema>;

/** The names of a population's statistics, in the order stats.f64 stores them. */
export interface StatisticsLayout {
  scalars: string[];
  arrays: string[];
}

/** Doubles one set of statistics takes in stats.f64. */
function doublesPer(layout: StatisticsLayout, n: number): number {
  return layout.scalars.length + layout.arrays.length * n;
}

/**
 * Writes a shard's block results: shard.json (the plan, the shard, each block's status, counts
 * and snapshot trials) and stats.f64 (every statistic as a little-endian IEEE double, so the
 * merge reads back exactly the bits the shard computed): per block its final statistics, then
 * each snapshot's; each set is the scalars in `layout.scalars` order, then each array (n values)
 * in `layout.arrays` order.
 */
export function writeShardFiles(dir: string, manifest: Omit<ShardManifest, 'format' | 'results' | 'statistics'>, layout: StatisticsLayout, results: BlockResult[]): void {
  const n = manifest.synapses;
  const per = doublesPer(layout, n);
  const sets = results.reduce((a, r) => a + 1 + r.snapshots.length, 0);
  const view = new DataView(new ArrayBuffer(8 * per * sets));
  let at = 0;
  const put = (s: SufficientStatistics): void => {
    for (const k of layout.scalars) {
      view.setFloat64(at, s.scalars[k], true);
      at += 8;
    }
    for (const k of layout.arrays) {
      const a = s.arrays[k];
      for (let i = 0; i < n; i++, at += 8) view.setFloat64(at, a[i], true);
    }
  };
  for (const r of results) {
    put(r.stats);
    for (const snap of r.snapshots) put(snap.stats);
  }
  const full: ShardManifest = {
    format: SHARD_FORMAT,
    ...manifest,
    statistics: layout,
    results: results.map((r) => ({
      index: r.index, status: r.status, reason: r.reason, trialsRun: r.trialsRun, evaluations: r.evaluations,
      counters: r.counters, snapshots: r.snapshots.map((s) => ({ trial: s.trial, evaluations: s.evaluations })),
    })),
  };
  writeFileSync(join(dir, SHARD_STATS), new Uint8Array(view.buffer));
  writeFileSync(join(dir, SHARD_MANIFEST), `${JSON.stringify(full, null, 1)}\n`);
}

/** Reads and checks a shard directory's shard.json (an InputError naming the directory otherwise). */
export function readShardManifest(dir: string): ShardManifest {
  const path = join(dir, SHARD_MANIFEST);
  const m = validate(manifestSchema, readJsonFile(path, 'DIR'), path);
  const expected = m.blocks.from;
  m.results.forEach((r, k) => {
    if (r.index !== expected + k || r.index >= m.blocks.to) throw new InputError('results', `must list the shard's blocks ${m.blocks.from}…${m.blocks.to - 1} in order`, r.index, path);
  });
  return m;
}

/**
 * The block results of shard directories given in shard order (merge.ts has checked they are
 * one run's shards 1…N), read from stats.f64 block by block. A shard that stopped early (a block
 * that did not complete ends its results) is read to its end; the merge stops there too.
 */
export function shardFileBlocks(dirs: string[], manifests: ShardManifest[], estimator: EstimatorName): BlockSource {
  return {
    async *blocks(_plan: BlockPlan): AsyncGenerator<BlockResult> {
      for (let s = 0; s < dirs.length; s++) {
        const m = manifests[s];
        const n = m.synapses;
        const layout = m.statistics;
        const per = doublesPer(layout, n);
        const path = join(dirs[s], SHARD_STATS);
        const fd = openStats(path);
        try {
          const sets = m.results.reduce((a, r) => a + 1 + r.snapshots.length, 0);
          const size = fstatSync(fd).size;
          if (size !== 8 * per * sets) throw new Error(`${path} changed while it was read: ${size} bytes, ${8 * per * sets} expected`);
          let offset = 0;
          const take = (): SufficientStatistics => {
            const bytes = Buffer.alloc(8 * per);
            readSync(fd, bytes, 0, bytes.length, offset);
            offset += bytes.length;
            const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
            let at = 0;
            const scalars: Record<string, number> = {};
            for (const k of layout.scalars) {
              scalars[k] = view.getFloat64(at, true);
              at += 8;
            }
            const arrays: Record<string, Float64Array> = {};
            for (const k of layout.arrays) {
              const a = new Float64Array(n);
              for (let i = 0; i < n; i++, at += 8) a[i] = view.getFloat64(at, true);
              arrays[k] = a;
            }
            return { estimator, scalars, arrays };
          };
          for (const r of m.results) {
            const stats = take();
            const snapshots = r.snapshots.map((x) => ({ trial: x.trial, evaluations: x.evaluations, stats: take() }));
            yield { ...r, stats, snapshots };
          }
          // A shard that did not finish has no later blocks to give, nor have the shards after it use.
          if (m.status !== 'complete') return;
        } finally {
          closeSync(fd);
        }
      }
    },
  };
}

/** Checks that a shard's stats.f64 holds exactly the statistics its shard.json lists (before a merge writes anything). */
export function checkShardStats(dir: string, m: ShardManifest): void {
  const path = join(dir, SHARD_STATS);
  const fd = openStats(path);
  try {
    const sets = m.results.reduce((a, r) => a + 1 + r.snapshots.length, 0);
    const bytes = 8 * doublesPer(m.statistics, m.synapses) * sets;
    const size = fstatSync(fd).size;
    if (!fstatSync(fd).isFile() || size !== bytes) throw new InputError(path, `must be a regular file of ${bytes} bytes (the statistics shard.json lists)`, `${size} bytes`);
  } finally {
    closeSync(fd);
  }
}

function openStats(path: string): number {
  try {
    return openSync(path, 'r');
  } catch {
    throw new InputError('DIR', `must hold ${SHARD_STATS} beside ${SHARD_MANIFEST}`, path);
  }
}
