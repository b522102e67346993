import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { InputError } from '../errors.js';
import type { Chip } from './chip.js';
import type { Mode } from './modes/mode.js';
import type { Row } from './probe.js';

/** How a run ended: every trial done, stopped by its signal, a non-finite value, or an exception. */
export type RunStatus = 'complete' | 'interrupted' | 'diverged' | 'failed';

export interface Progress {
  trial: number;
  trials: number;
}

export interface LoopOptions {
  /** Stops the run between trials (e.g. on SIGINT). */
  signal?: AbortSignal;
  /** Wall time of one chunk of trials between yields to the event loop (default 50 ms). */
  chunkMs?: number;
  /** Called with every row the mode logs, in plain code: an exception here fails the run too. */
  onRow?: (row: Row) => void;
  onProgress?: (p: Progress) => void;
}

export interface LoopOutcome {
  status: RunStatus;
  /** Trials whose broadcast reached the synapses. */
  trialsRun: number;
  /** Why the run ended early (null when complete). */
  reason: string | null;
  /** The last row logged, if any. */
  lastRow: Row | null;
}

/**
 * The trial loop. Per trial, in plain code inside one try/catch: the environment perturbs,
 * measures and broadcasts; the synapses update; the mode acts; the mode's row is logged when it
 * asks. Trials run synchronously in chunks of about `chunkMs`, yielding to the event loop between
 * chunks so that a stop signal lands between trials. The loop knows nothing of modes beyond the
 * Mode interface.
 *
 * Endings: `complete` (every trial run, or the mode's goal reached: `reason` says which);
 * `diverged` when ΔE or a logged value is not finite, or E cannot be evaluated at
 * w ± Δw (an InputError from the environment, e.g. a recurrent net that no longer relaxes);
 * `failed` for any other exception, with its message; `interrupted` when the signal fires. A run
 * that ends early and whose mode can describe the chip at any trial ends with a row at its last
 * trial, so the rows agree with the final state.
 */
export async function runTrials(chip: Chip, mode: Mode, trials: number, options: LoopOptions = {}): Promise<LoopOutcome> {
  const chunkMs = options.chunkMs ?? 50;
  const { signal, onRow, onProgress } = options;
  const environment = chip.environment;
  const antithetic = chip.spec.perturbation.antithetic;
  const population = mode.usesPopulation !== false;
  environment.summingWire = population;
  let trial = 0;
  /** The trial being run (trial + 1 until its broadcast reaches the synapses). */
  let current = 0;
  let status: RunStatus = 'complete';
  let reason: string | null = null;
  let lastRow: Row | null = null;
  let lastRowTrial = -1;
  const log = (t: number): void => {
    const row = mode.row(t);
    lastRow = row;
    lastRowTrial = t;
    onRow?.(row);
    if (row.some((x) => x !== null && !Number.isFinite(x))) {
      status = 'diverged';
      reason = `non-finite value in the row at trial ${t}`;
    }
  };
  try {
    if (mode.rowAtStart === true && trials > 0 && signal?.aborted !== true) log(0);
    while (trial < trials && status === 'complete' && reason === null) {
      if (signal?.aborted === true) {
        status = 'interrupted';
        break;
      }
      const chunkEnd = performance.now() + chunkMs;
      while (trial < trials) {
        current = trial + 1;
        let b;
        try {
          b = environment.step();
        } catch (err) {
          if (!(err instanceof InputError)) throw err;
          status = 'diverged';
          reason = `trial ${trial + 1}: ${err.message}`;
          break;
        }
        if (!Number.isFinite(b.dEPlus) || (antithetic && !Number.isFinite(b.dEMinus))) {
          status = 'diverged';
          reason = `non-finite ΔE at trial ${trial + 1} (ΔE⁺ = ${b.dEPlus}, ΔE⁻ = ${b.dEMinus})`;
          break;
        }
        trial++;
        if (population) chip.updatePopulation(b);
        mode.afterTrial(b, trial);
        if (mode.logNow(trial, trials)) {
          log(trial);
          if (status !== 'complete') break;
          const goal = mode.done?.() ?? null;
          if (goal !== null) {
            reason = goal;
            break;
          }
        }
        // Look at the clock every 64 trials only.
        if ((trial & 63) === 0 && performance.now() >= chunkEnd) break;
      }
      onProgress?.({ trial, trials });
      if (trial < trials && status === 'complete' && reason === null) await yieldToEventLoop();
    }
  } catch (err) {
    status = 'failed';
    reason = `trial ${current}: ${err instanceof Error ? err.message : String(err)}`;
  }
  if (status === 'interrupted') reason = `stopped at trial ${trial} of ${trials}`;
  if (status !== 'complete' && mode.rowsAtAnyTrial && trial > 0 && lastRowTrial !== trial) {
    try {
      log(trial);
    } catch {
      // The state that failed cannot be described; the rows so far stand.
    }
  }
  return { status, trialsRun: trial, reason, lastRow };
}
