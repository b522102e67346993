import { runSweepPoint, type SweepRow, type SweepTask } from './runner.js';

/** A sweep worker's task (piscina calls the default export): one run of the sweep, its row back. */
export default function runTask(task: SweepTask): Promise<SweepRow> {
  return runSweepPoint(task);
}
