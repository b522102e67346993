import { describe, expect, it } from 'vitest';
import { buildSimulationSpec } from '../../src/scenario/problems.js';
import { SCENARIO_DIR } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/schema.js';
import { localBlocks, planOf, type BlockSource } from '../../src/sim/blocks/fold.js';
import { blockObstacle, blockPlan, shardBlocks } from '../../src/sim/blocks/plan.js';
import { runBlock, type BlockResult } from '../../src/sim/blocks/run-block.js';
import { Chip } from '../../src/sim/chip.js';
import type { Row } from '../../src/sim/probe.js';
import { simulate, type SimulationResult } from '../../src/sim/simulate.js';
import { runScenario as runSequential, scenario } from '../helpers/sim.js';

/**
 * Estimate runs in blocks (sim/blocks/): rows and synapses.csv from statistics merged in block
 * order, so the bytes do not depend on who computed the blocks; and the merged estimates are
 * still right (χ² against the exact oracle).
 */
async function run(s: Scenario, blocks?: BlockSource): Promise<{ result: SimulationResult; rows: Row[]; chip: Chip }> {
  const spec = buildSimulationSpec(s, SCENARIO_DIR);
  const chip = new Chip(spec);
  const rows: Row[] = [];
  const result = await simulate(spec, { chunkMs: 1e9, onRow: (r) => rows.push(r), blocks }, chip);
  return { result, rows, chip };
}

/** Blocks computed as a worker computes them (each from its own freshly built problem), last first, handed on in order. */
function reversedFreshBlocks(s: Scenario): BlockSource {
  return {
    async *blocks(plan) {
      const done: BlockResult[] = [];
      for (let k = plan.count - 1; k >= 0; k--) done[k] = await runBlock(buildSimulationSpec(s, SCENARIO_DIR), plan, k);
      yield* done;
    },
  };
}

describe('an estimate run in blocks', () => {
  it('of one block (trials ≤ blockSize) is the sequential run, bit for bit', async () => {
    const s = scenario({ trials: 900, probeEvery: 200, blockSize: 1000 });
    const blocked = await run(s);
    const sequential = await runSequential(s);
    expect(blocked.rows).toEqual(sequential.rows);
    expect(Array.from(blocked.chip.population.gradient(new Float64Array(12)))).toEqual(Array.from(sequential.g));
  });

  it('gives the same rows and tables whoever computes the blocks, in whatever order; rows inside blocks from merged statistics', async () => {
    const s = scenario({ trials: 5000, probeEvery: 700, blockSize: 1000, perturbation: { distribution: 'gaussian', sigma: 0.05, antithetic: true } });
    const here = await run(s);
    const there = await run(s, reversedFreshBlocks(s));
    expect(here.result.status).toBe('complete');
    expect(there.rows).toEqual(here.rows);
    expect(there.result.tables).toEqual(here.result.tables);
    expect(here.rows.map((r) => r[0])).toEqual([700, 1400, 2100, 2800, 3500, 4200, 4900, 5000]);
    // Antithetic, fixed data: 2 evaluations per trial, and each block measures E(w) once when it starts.
    expect(here.rows.map((r) => r[1])).toEqual([700, 1400, 2100, 2800, 3500, 4200, 4900, 5000].map((t) => 2 * t + Math.ceil(t / 1000)));
    expect(here.result.evaluations).toBe(2 * 5000 + 5);
    // The blocks are not copies of one another: block k draws from its own streams.
    const plan = planOf(buildSimulationSpec(s, SCENARIO_DIR));
    const spec = buildSimulationSpec(s, SCENARIO_DIR);
    const [b0, b1] = [await runBlock(spec, plan, 0), await runBlock(spec, plan, 1)];
    expect(b1.stats.arrays.cG[0]).not.toBe(b0.stats.arrays.cG[0]);
  });

  it('of a stream with a position of its own (MNIST epochs) gives the same bytes on fresh problems as on one problem reused block after block', async () => {
    const s = scenario({
      problem: { kind: 'mnist', resolution: 7, trainCount: 60, testCount: 20, batch: 1 },
      perturbation: { distribution: 'gaussian', sigma: 0.01, antithetic: true },
      trials: 450, probeEvery: 150, blockSize: 100,
    });
    const here = await run(s);
    const there = await run(s, reversedFreshBlocks(s));
    expect(here.result.status).toBe('complete');
    expect(there.rows).toEqual(here.rows);
    expect(there.result.tables).toEqual(here.result.tables);
  });

  it('depends on blockSize (each block its own streams) but a run of any size stays reproducible', async () => {
    const a = await run(scenario({ trials: 3000, probeEvery: 1000, blockSize: 1000 }));
    const b = await run(scenario({ trials: 3000, probeEvery: 1000, blockSize: 500 }));
    const again = await run(scenario({ trials: 3000, probeEvery: 1000, blockSize: 500 }));
    expect(b.rows).not.toEqual(a.rows);
    expect(again.rows).toEqual(b.rows);
  });

  it('is still right: χ²/dof of the merged ĝ and ẑ against the exact oracle near 1 (200-weight quadratic, 40 blocks, ±4 sd)', async () => {
    const m = 200;
    const { rows, result } = await run(scenario({
      problem: { kind: 'quadratic', size: m, spectrum: { min: 0.5, max: 2 } },
      perturbation: { distribution: 'gaussian', sigma: 0.05, antithetic: true },
      trials: 20_000, probeEvery: 20_000, blockSize: 500, seed: 7,
    }));
    const last = rows[rows.length - 1];
    const at = (name: string): number => last[result.header.indexOf(name)] as number;
    const sd = Math.sqrt(2 / m);
    for (const column of ['g_chi2_dof', 'z_chi2_dof']) {
      expect(at(column), column).toBeGreaterThan(1 - 4 * sd);
      expect(at(column), column).toBeLessThan(1 + 4 * sd);
    }
  });

  it('wp: the merged ĝ passes the same χ² test (one-sided, 20 blocks)', async () => {
    const m = 200;
    const { rows, result } = await run(scenario({
      problem: { kind: 'quadratic', size: m, spectrum: { min: 0.5, max: 2 } }, estimator: { name: 'wp' },
      perturbation: { distribution: 'gaussian', sigma: 0.05, antithetic: false },
      trials: 20_000, probeEvery: 20_000, blockSize: 1000, seed: 8,
    }));
    const chi2 = rows[rows.length - 1][result.header.indexOf('g_chi2_dof')] as number;
    expect(chi2).toBeGreaterThan(1 - 4 * Math.sqrt(2 / m));
    expect(chi2).toBeLessThan(1 + 4 * Math.sqrt(2 / m));
  });

  it('a source that throws (a worker that failed) ends the run failed, rows so far kept, a last row at the last merged trial', async () => {
    const s = scenario({ trials: 5000, probeEvery: 1500, blockSize: 1000 });
    const spec = buildSimulationSpec(s, SCENARIO_DIR);
    const failing: BlockSource = {
      async *blocks(plan) {
        for (let k = 0; k < plan.count; k++) {
          if (k === 3) throw new Error('worker threw on purpose');
          yield await runBlock(spec, plan, k);
        }
      },
    };
    const { result, rows } = await run(s, failing);
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/worker threw on purpose/);
    expect(result.trialsRun).toBe(3000);
    expect(rows.map((r) => r[0])).toEqual([1500, 3000]);
    expect(result.tables[0].file).toBe('synapses.csv');
  });

  it('a block whose loss throws ends the run failed at that block, with the trial in the reason', async () => {
    const s = scenario({ trials: 5000, probeEvery: 1000, blockSize: 1000 });
    const spec = buildSimulationSpec(s, SCENARIO_DIR);
    let calls = 0;
    const loss = spec.problem.loss.bind(spec.problem);
    const broken = { ...spec, problem: { ...spec.problem, loss: (w: Float64Array) => { if (++calls > 2500) throw new Error('loss broke'); return loss(w); } } };
    const rows: Row[] = [];
    const result = await simulate(broken, { chunkMs: 1e9, onRow: (r) => rows.push(r), blocks: localBlocks(broken) });
    expect(result.status).toBe('failed');
    // Blocks 0 and 1 take 1001 calls each (E(w), then a trial each); block 2 fails on its 498th trial.
    expect(result.reason).toMatch(/^block 2 \(trials 2001…\): trial 498: loss broke/);
    expect(result.trialsRun).toBe(2497);
    expect(rows.map((r) => r[0])).toEqual([1000, 2000, 2497]);
  });

  it('is planned as documented: shards own contiguous, covering ranges; joint-lms, codes and clocks cannot be cut', () => {
    const plan = blockPlan(10_500, 100, 1000);
    expect(plan.count).toBe(11);
    const ranges = [1, 2, 3].map((i) => shardBlocks(plan, { index: i, count: 3 }));
    expect(ranges).toEqual([{ from: 0, to: 3 }, { from: 3, to: 7 }, { from: 7, to: 11 }]);
    const spec = buildSimulationSpec(scenario({ estimator: { name: 'joint-lms', step: 0.5, decay: 1000 } }), SCENARIO_DIR);
    expect(blockObstacle(spec)?.field).toBe('estimator.name');
    expect(blockObstacle({ ...spec, estimator: { name: 'wp' }, clock: { dt: 1, tauX: 1, tauP: 1, tauTheta: 1, integrate: 'discrete', cost: 'discrete', tauHp: 1 } })?.field).toBe('chip');
    expect(blockObstacle({ ...spec, estimator: { name: 'moment' } })).toBeNull();
  });
});
