/**
 * wpsim's public library API. The CLI (src/cli) is a thin shell over these exports.
 */
export * from './linalg/index.js';
export * from './random/index.js';
export * from './nets/index.js';
export * from './exact/index.js';
export * from './approx/index.js';
export * from './synapse/index.js';
export { simulate, simulationWarnings, type SimulationSpec, type SimulationResult, type ModeSpec } from './sim/simulate.js';
export { runTrials, type RunStatus, type Progress } from './sim/loop.js';
export { Chip, type ChipSpec } from './sim/chip.js';
export type { Mode, ModeName, ModeResult, Table } from './sim/modes/mode.js';
export { Environment, type PerturbationSpec } from './sim/environment.js';
export { Probe, exactReference, type ExactReference, type Row } from './sim/probe.js';
export type { SimProblem } from './sim/problem.js';
export { scenarioSchema, scenarioJsonSchema, type Scenario } from './scenario/schema.js';
export { loadScenario, applyOverride, listScenarios } from './scenario/load.js';
export { buildProblem, buildDirection, geometricSpectrum } from './scenario/problems.js';
export { loadNetFile, netFromJson, layeredNetToJson, type LoadedNet } from './io/netfile.js';
export { runScenario, runSpec, type RunOptions } from './app/run-scenario.js';
export { runShard, mergeShardRuns, type ShardOptions, type ShardOutcome } from './app/shards.js';
export { simulateBlocks, localBlocks, type BlockSource } from './sim/blocks/fold.js';
export { blockPlan, blockObstacle, shardBlocks, DEFAULT_BLOCK_SIZE, type BlockPlan } from './sim/blocks/plan.js';
export { runBlock, type BlockResult, type BlockSnapshot } from './sim/blocks/run-block.js';
export { poolBlocks } from './parallel/pool.js';
export { RunDirectorySink } from './output/run-dir-sink.js';
export type { Sink, RunInfo, RunRecord } from './output/sink.js';
export type { Summary } from './output/summary.js';
export { InputError } from './errors.js';
export { VERSION } from './version.js';
export * from './analysis/index.js';
export { wasmKernelsUnavailable } from './wasm/kernels.js';
