import { runSweepPoint, type SweepRow, type SweepTask } from './runner.js';
import { signalFromStopFlag } from './stop.js';

/**
 * A sweep worker's task (piscina calls the default export): one run of the sweep, its row back.
 * The sweep's stop flag becomes the run's AbortSignal (stop.ts), so a stopped sweep's runs end
 * `interrupted` at their next chunk boundary with their run directories written.
 */
export default async function runTask(task: SweepTask): Promise<SweepRow> {
  if (task.stop === undefined) return runSweepPoint(task);
  const { signal, dispose } = signalFromStopFlag(task.stop);
  try {
    return await runSweepPoint(task, signal);
  } finally {
    dispose();
  }
}
