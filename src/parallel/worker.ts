import { buildSimulationSpec } from '../scenario/problems.js';
import type { Scenario } from '../scenario/schema.js';
import { runBlock, type BlockResult } from '../sim/blocks/run-block.js';
import type { BlockPlan } from '../sim/blocks/plan.js';
import type { SimulationSpec } from '../sim/simulate.js';

/** What a block worker is sent: the run's scenario (resolved), where its files are, the plan and a block. */
export interface BlockTask {
  scenario: Scenario;
  baseDir: string;
  plan: BlockPlan;
  index: number;
}

/** The spec this worker built last (a worker serves one run: built once, reused for every block). */
let cached: { key: string; spec: SimulationSpec } | null = null;

/**
 * A block worker's task (piscina calls the default export): block `index` of the run, built from
 * the scenario exactly as the main thread builds it (the same seed: the same problem, w0, v).
 */
export default async function runBlockTask(task: BlockTask): Promise<BlockResult> {
  const key = JSON.stringify([task.scenario, task.baseDir]);
  if (cached === null || cached.key !== key) cached = { key, spec: buildSimulationSpec(task.scenario, task.baseDir) };
  return runBlock(cached.spec, task.plan, task.index);
}
