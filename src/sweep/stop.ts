/**
 * The cooperative stop of a sweep (docs/formats.md, "Interrupted sweeps and --resume"). The main
 * thread raises one flag in a SharedArrayBuffer; every worker thread sees the same memory (a
 * shared buffer is shared, not copied, when a task is posted). A worker turns the flag into an
 * AbortSignal for its run by polling it: the trial loop yields to the event loop between chunks,
 * so the poll, and then the loop's signal check, land at the next chunk boundary and the run
 * ends `interrupted` with its run directory written. (Terminating the worker instead would lose
 * that directory.)
 */
export type StopFlag = Int32Array;

export function createStopFlag(): StopFlag {
  return new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
}

export function raiseStop(flag: StopFlag): void {
  Atomics.store(flag, 0, 1);
}

export function stopRaised(flag: StopFlag): boolean {
  return Atomics.load(flag, 0) !== 0;
}

/** How often a worker looks at the flag while its run goes on. */
const POLL_MS = 20;

/**
 * An AbortSignal that fires once the flag is raised (looked at every POLL_MS while the run's
 * event loop turns). `dispose` stops the polling; call it when the run is over.
 */
export function signalFromStopFlag(flag: StopFlag): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  if (stopRaised(flag)) controller.abort();
  const timer = setInterval(() => {
    if (stopRaised(flag)) {
      controller.abort();
      clearInterval(timer);
    }
  }, POLL_MS);
  // The poll alone never keeps a thread alive.
  timer.unref();
  return { signal: controller.signal, dispose: () => clearInterval(timer) };
}
