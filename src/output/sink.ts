import type { Scenario } from '../scenario/schema.js';
import type { Progress } from '../sim/loop.js';
import type { Row } from '../sim/probe.js';
import type { SimulationResult } from '../sim/simulate.js';

/** What a sink knows of a run before its first row. */
export interface RunInfo {
  scenario: Scenario;
  /** A one-line description of the problem. */
  problem: string;
  synapses: number;
  /** The kernel path of a layered net's oracle, null for other problems (docs/formats.md, "Kernels and bytes"). */
  kernels: 'js' | 'wasm' | null;
  /** The rows' columns. */
  header: readonly string[];
  startedAt: Date;
  /** The directory that holds the scenario file (a net file is resolved against it). */
  baseDir: string;
}

/** A finished run: its outcome as data, and its wall time. */
export interface RunRecord {
  info: RunInfo;
  result: SimulationResult;
  wallSeconds: number;
}

/**
 * A sink consumes a run: its info, its rows as they come, its progress, and the final record.
 * Sinks never call the model. `start` is called once before the first row (or, for a run that
 * failed before its first trial, just before `finish`).
 */
export interface Sink {
  start(info: RunInfo): void;
  row(row: Row): void;
  progress?(p: Progress): void;
  finish(record: RunRecord): void;
}
