/**
 * Sweep speed-up: the same 8-run sweep on 1 and on 2 worker threads (one process each, run
 * back to back), reported as the ratio of wall times.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function run({ print, fmt }) {
  const dir = mkdtempSync(join(tmpdir(), 'wpsim-bench-sweep-'));
  const args = (workers, out) => ['dist/cli/main.js', 'sweep', 'joint-lms-quadratic', '--grid', 'perturbation.sigma=0.02,0.05', '--seeds', '1..4', '--workers', String(workers), '--out', join(dir, out), '--quiet'];
  const time = (workers, out) => {
    const t0 = performance.now();
    execFileSync(process.execPath, args(workers, out), { stdio: 'ignore' });
    return (performance.now() - t0) / 1000;
  };
  const t1 = time(1, 'w1');
  const t2 = time(2, 'w2');
  const t1b = time(1, 'w1b');
  const t2b = time(2, 'w2b');
  const one = Math.min(t1, t1b);
  const two = Math.min(t2, t2b);
  print('## Sweep on worker threads');
  print();
  print('8 runs of `joint-lms-quadratic` (200 000 trials each), best of two alternating attempts.');
  print();
  print('| workers | wall s | speed-up |');
  print('|---|---|---|');
  print(`| 1 | ${fmt(one)} | 1.00 |`);
  print(`| 2 | ${fmt(two)} | **${fmt(one / two)}×** |`);
  print();
}
