import { Piscina } from 'piscina';
import type { Scenario } from '../scenario/schema.js';
import type { BlockSource } from '../sim/blocks/fold.js';
import type { BlockPlan } from '../sim/blocks/plan.js';
import type { BlockResult } from '../sim/blocks/run-block.js';
import type { BlockTask } from './worker.js';

export interface PoolOptions {
  /** The worker module (default ./worker.js); its default export runs one BlockTask. */
  workerFile?: URL;
  /** The blocks to run, [from, to) (a shard's); default all. */
  range?: { from: number; to: number };
}

/**
 * The blocks of an estimate run computed on `workers` worker threads of a piscina pool (each
 * worker builds the run from its scenario once, then runs block after block) and handed on in
 * block order, whatever order they finish in. At most 2·workers blocks are in flight, so a long
 * run's results do not pile up. A task that throws, or whose worker dies, throws here: the merge
 * then ends the run `failed` with its rows so far. When the reader stops early (the run ended,
 * or was stopped) the pool is destroyed and blocks in flight are dropped.
 */
export function poolBlocks(scenario: Scenario, baseDir: string, workers: number, options: PoolOptions = {}): BlockSource {
  return {
    async *blocks(plan: BlockPlan): AsyncGenerator<BlockResult> {
      const { from, to } = options.range ?? { from: 0, to: plan.count };
      const threads = Math.max(1, Math.min(workers, to - from));
      const pool = new Piscina({
        filename: (options.workerFile ?? new URL('./worker.js', import.meta.url)).href,
        minThreads: threads,
        maxThreads: threads,
        concurrentTasksPerWorker: 1,
        stricterFIFO: true,
      });
      // piscina reports a stray worker message (a result for a task it no longer tracks, as when
      // blocks in flight are dropped) as an 'error' event; unheard, that event is an uncaught
      // exception. While blocks are read it fails the run; once the pool is closing it is moot.
      let poolError: unknown = null;
      let closing = false;
      pool.on('error', (err: unknown) => {
        if (!closing) poolError ??= err;
      });
      const inFlight = new Map<number, Promise<BlockResult>>();
      let next = from;
      const submit = (): void => {
        while (next < to && inFlight.size < 2 * threads) {
          const task: BlockTask = { scenario, baseDir, plan, index: next };
          const result = pool.run(task) as Promise<BlockResult>;
          // Dropped when the reader stops early: never an unhandled rejection.
          result.catch(() => {});
          inFlight.set(next, result);
          next++;
        }
      };
      try {
        for (let k = from; k < to; k++) {
          submit();
          const result = inFlight.get(k) as Promise<BlockResult>;
          let block: BlockResult;
          try {
            block = await result;
          } catch (err) {
            throw new Error(`block ${k} on a worker: ${err instanceof Error ? err.message : String(err)}`);
          }
          if (poolError !== null) throw new Error(`block pool: ${poolError instanceof Error ? poolError.message : String(poolError)}`);
          inFlight.delete(k);
          yield block;
        }
      } finally {
        closing = true;
        await pool.destroy();
      }
    },
  };
}
