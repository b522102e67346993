/**
 * wpsim's public library API. The CLI (src/cli) is a thin shell over these exports.
 */
export * from './linalg/index.js';
export * from './random/index.js';
export * from './nets/index.js';
export * from './exact/index.js';
export * from './approx/index.js';
export * from './synapse/index.js';
export { Simulation, type SimulationSpec, type SimulationResult, type RunStatus, type ProbeEvent } from './sim/simulation.js';
export { Environment, type PerturbationSpec } from './sim/environment.js';
export { Probe, exactReference, type ExactReference } from './sim/probe.js';
export type { SimProblem } from './sim/problem.js';
export { scenarioSchema, scenarioJsonSchema, type Scenario } from './scenario/schema.js';
export { loadScenario, applyOverride, listScenarios } from './scenario/load.js';
export { buildProblem, buildDirection, geometricSpectrum } from './scenario/problems.js';
export { loadNetFile, netFromJson, layeredNetToJson, type LoadedNet } from './io/netfile.js';
export { recordRun, type RecordedRun, type Summary } from './output/record.js';
export { InputError } from './errors.js';
export { VERSION } from './version.js';
export * from './analysis/index.js';
export { wasmKernelsUnavailable } from './wasm/kernels.js';
