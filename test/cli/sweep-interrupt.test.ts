import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, tempDir, wpsim, writeFile } from '../helpers/cli.js';

const MAIN = join(ROOT, 'dist/cli/main.js');

/**
 * Run 0 is short (20 000 trials); runs 1 and 2 are 15 times longer (300 000 trials, ~0.6 s of
 * one core each, plus a worker's start-up), so a stop sent when run 0 has finished lands while
 * a long run is going. (Start-up dominates a short run: on a loaded machine run 1 may begin
 * before run 0, and 120 000 trials once left a window of 27 ms.) The `trials` values differ
 * only to make grid points of one kind.
 */
const base = {
  name: 'stoppable',
  problem: { kind: 'quadratic', size: 6, spectrum: { min: 0.5, max: 2 } },
  perturbation: { distribution: 'gaussian', sigma: 0.05 },
  estimator: { name: 'moment' },
  trials: 1000,
  probeEvery: 20_000,
  seed: 1,
};
const GRID = ['--grid', 'trials=20000,300000,300001', '--seeds', '7'];

interface Row {
  index: number;
  status: string;
  error: string;
  trialsRun: number;
}

/** Polls `condition` every 10 ms until it holds; fails when `gone()` says it never will, or after `timeoutMs`. */
async function waitFor(condition: () => boolean, gone: () => string | null, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    const why = gone();
    if (why !== null) throw new Error(`${what} never happened: ${why}`);
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const rowsOf = (dir: string): Row[] => (JSON.parse(readFileSync(join(dir, 'rows.json'), 'utf8')) as { rows: Row[] }).rows;

describe('wpsim sweep: SIGINT stops it cleanly; --resume completes it to the bytes of an uninterrupted sweep', () => {
  it('exit 130 with every row recorded; --resume gives the same rows.json and sweep.csv', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    const scenario = writeFile(dir, 'base.json', base);
    const sweep = join(dir, 'stopped');
    const runs = join(sweep, 'runs');
    const child = spawn(process.execPath, [MAIN, 'sweep', scenario, ...GRID, '--workers', '2', '--out', sweep, '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let exited: number | null | undefined;
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => {
      exited = code;
      resolve(code);
    }));
    // The first run has finished (its directory has its final name) and a long run is going
    // (its temporary directory exists).
    await waitFor(
      () => existsSync(join(runs, 'r00000')) && readdirSync(runs).some((f) => f.endsWith('.partial')),
      () => (exited !== undefined ? `the sweep exited (${exited}); runs/ holds ${readdirSync(runs, { withFileTypes: true }).map((d) => d.name).join(' ')}; ${stderr}` : null),
      60_000, 'run 0 finished while a long run goes on',
    );
    child.kill('SIGINT');
    expect(await closed, stderr).toBe(130);
    expect(stderr).toMatch(/sweep interrupted: [12] of 3 runs unfinished; finish it with: wpsim sweep --resume /);
    expect(stdout.trim().split('\n').pop()).toBe(sweep);

    const rows = rowsOf(sweep);
    expect(rows.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(rows[0]).toMatchObject({ status: 'complete', trialsRun: 20_000 });
    // A long run stopped mid-run, at a chunk boundary, its directory written and marked.
    const stopped = rows.filter((r) => r.status === 'interrupted' && r.trialsRun > 0);
    expect(stopped.length).toBeGreaterThan(0);
    for (const row of stopped) expect(row.trialsRun).toBeLessThan(300_000);
    for (const row of rows) {
      const id = `r0000${row.index}`;
      if (row.status === 'complete') expect(existsSync(join(runs, id, 'summary.json'))).toBe(true);
      else if (row.error === 'not started: the sweep was stopped') {
        expect(row.trialsRun).toBe(0);
        expect(readdirSync(runs).filter((f) => f.includes(id))).toEqual([]);
      } else {
        // Begun (possibly stopped before its first trial): its directory is marked.
        const summary = JSON.parse(readFileSync(join(runs, `${id}-interrupted`, 'summary.json'), 'utf8'));
        expect(summary).toMatchObject({ status: 'interrupted', trialsRun: row.trialsRun });
      }
    }
    expect(readdirSync(runs).filter((f) => f.endsWith('.partial'))).toEqual([]);
    const csv = readFileSync(join(sweep, 'sweep.csv'), 'utf8').split('\n');
    expect(csv[0]).toMatch(/^run,run_dir,trials,seed,status,error,trials_run,evaluations,/);
    expect(csv[1]).toMatch(/^0,runs\/r00000,20000,7,complete,,20000,/);
    for (const row of stopped) expect(csv[row.index + 1]).toMatch(new RegExp(`^${row.index},runs/r0000${row.index}-interrupted,30000${row.index - 1},7,interrupted,stopped at trial ${row.trialsRun} of 30000${row.index - 1},${row.trialsRun},`));

    // Resume: only the unfinished runs run; their old directories are replaced.
    const resumed = wpsim(['sweep', '--resume', sweep, '--workers', '2', '--quiet']);
    expect(resumed.status, resumed.stderr).toBe(0);
    const rerun = rows.filter((r) => r.status !== 'complete').length;
    expect(resumed.stdout).toMatch(new RegExp(`^3 runs \\(3 complete\\), ${rerun} of them run now,`));
    expect(readdirSync(runs).sort()).toEqual(['r00000', 'r00001', 'r00002']);

    const reference = join(dir, 'reference');
    const whole = wpsim(['sweep', scenario, ...GRID, '--workers', '2', '--out', reference, '--quiet']);
    expect(whole.status, whole.stderr).toBe(0);
    expect(readFileSync(join(sweep, 'sweep.csv'))).toEqual(readFileSync(join(reference, 'sweep.csv')));
    expect(readFileSync(join(sweep, 'rows.json'))).toEqual(readFileSync(join(reference, 'rows.json')));
    for (const k of [0, 1, 2]) {
      expect(readFileSync(join(runs, `r0000${k}`, 'probes.csv'))).toEqual(readFileSync(join(reference, 'runs', `r0000${k}`, 'probes.csv')));
    }

    // A finished sweep resumed again runs nothing and keeps its bytes.
    const again = wpsim(['sweep', '--resume', sweep, '--quiet']);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^3 runs \(3 complete\), 0 of them run now,/);
    expect(readFileSync(join(sweep, 'sweep.csv'))).toEqual(readFileSync(join(reference, 'sweep.csv')));
  });

  it('SIGTERM stops a sweep the same way: a run that could not finish by itself ends interrupted mid-run, its directory marked', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const scenario = writeFile(dir, 'base.json', { ...base, trials: 100_000_000, probeEvery: 1_000_000 });
    const sweep = join(dir, 'sweep');
    const runs = join(sweep, 'runs');
    const child = spawn(process.execPath, [MAIN, 'sweep', scenario, '--seeds', '1..2', '--workers', '2', '--out', sweep, '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let exited: number | null | undefined;
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => {
      exited = code;
      resolve(code);
    }));
    await waitFor(() => existsSync(join(runs, '.r00000.partial')), () => (exited !== undefined ? `the sweep exited (${exited}): ${stderr}` : null), 60_000, 'run 0 begun');
    child.kill('SIGTERM');
    expect(await closed, stderr).toBe(130);
    const rows = rowsOf(sweep);
    expect(rows.map((r) => r.status)).toEqual(['interrupted', 'interrupted']);
    expect(rows[0].error).toMatch(/^stopped at trial \d+ of 100000000$/);
    // The first chunk of trials runs before the loop first yields, so a begun run has trials.
    expect(rows[0].trialsRun).toBeGreaterThan(0);
    const summary = JSON.parse(readFileSync(join(runs, 'r00000-interrupted', 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ status: 'interrupted', trialsRun: rows[0].trialsRun });
    expect(readdirSync(runs).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('a sweep stopped before it begins lists every run interrupted with zero trials and no directory (1 and 2 workers)', { timeout: 60_000 }, async () => {
    // The sweep pool runs compiled workers: import the built module (npm test builds first).
    const { runSweep } = await import(pathToFileURL(join(ROOT, 'dist/sweep/sweep.js')).href) as typeof import('../../src/sweep/sweep.js');
    const { expandSweep } = await import(pathToFileURL(join(ROOT, 'dist/sweep/grid.js')).href) as typeof import('../../src/sweep/grid.js');
    const dir = tempDir();
    const def = { scenario: writeFile(dir, 'base.json', base), grid: [{ path: 'perturbation.sigma', values: [0.01, 0.02, 0.03] }], seeds: [1] };
    const stop = new AbortController();
    stop.abort();
    for (const workers of [1, 2]) {
      const out = join(dir, `w${workers}`);
      const rows = await runSweep(def, expandSweep(def), out, workers, () => {}, { signal: stop.signal });
      expect(rows.map((r) => [r.index, r.status, r.trialsRun, r.error])).toEqual([0, 1, 2].map((k) => [k, 'interrupted', 0, 'not started: the sweep was stopped']));
      expect(readdirSync(join(out, 'runs'))).toEqual([]);
    }
  });

  it('--resume takes its definition from rows.json: other sweep arguments, or a directory without rows.json, are bad input', () => {
    const dir = tempDir();
    const scenario = writeFile(dir, 'base.json', base);
    const mixed = wpsim(['sweep', scenario, '--resume', dir]);
    expect(mixed.status).toBe(2);
    expect(mixed.stdout).toBe('');
    expect(mixed.stderr).toMatch(/--resume: .*may not be combined .*; got "?<scenario>/);
    const empty = wpsim(['sweep', '--resume', dir]);
    expect(empty.status).toBe(2);
    expect(empty.stderr).toMatch(/--resume: must be a sweep directory holding rows.json/);
    const none = wpsim(['sweep']);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/<scenario>: is required unless --resume DIR is given/);
  });
});
