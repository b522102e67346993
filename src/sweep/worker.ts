import { parentPort } from 'node:worker_threads';
import type { SweepRun } from './grid.js';
import { runSweepPoint } from './runner.js';

/** A sweep worker thread: runs the points it is sent, one at a time, and posts back their rows. */
parentPort?.on('message', (msg: { scenario: string; run: SweepRun; sweepDir: string } | 'stop') => {
  if (msg === 'stop') {
    process.exit(0);
  }
  void runSweepPoint(msg.scenario, msg.run, msg.sweepDir).then((row) => parentPort?.postMessage(row));
});
