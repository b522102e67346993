import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir, wpsim, writeFile } from '../helpers/cli.js';
import { runHarness, type HarnessResult } from './hostile-fixtures.js';
import { loadNetFile } from '../../src/io/netfile.js';
import { LayeredOracle } from '../../src/exact/layered/oracle.js';
import { seededDirection } from '../../src/io/vector.js';

/**
 * Faults at the edges (issue 19 items 2–4) and the concrete cases of issue 18: non-finite
 * answers, a virtual-memory limit, special files through a real process, an unwritable output
 * directory.
 */
const XOR = join(ROOT, 'scenarios/nets/xor-2-2-1.json');
const MAIN = join(ROOT, 'dist/cli/main.js');
const xor = JSON.parse(readFileSync(XOR, 'utf8')) as Record<string, unknown>;

let dir: string;
let results: Map<string, HarnessResult>;
let huge: string;

beforeAll(() => {
  dir = tempDir('wpsim-edges-');
  huge = writeFile(dir, 'w1e308.json', { ...xor, weights: (xor.weights as number[]).map(() => 1e308) });
  const cases = [
    { id: 'hv', args: ['hv', huge] },
    { id: 'hv-json', args: ['hv', huge, '--json'] },
    { id: 'hv-fd', args: ['hv', huge, '--method', 'fd-central', '--json'] },
    { id: 'hessian', args: ['hessian', huge] },
    { id: 'hessian-json', args: ['hessian', huge, '--json', '--trace'] },
    { id: 'fd-study', args: ['fd-study', huge] },
    { id: 'hv-ok-json', args: ['hv', XOR, '--json'] },
    { id: 'bench-json', args: ['bench', 'hv', '--layers', '3,4,2', '--batch', '8', '--repeats', '3', '--json'] },
  ].map((c) => ({ ...c, code: 0, names: [] }));
  results = runHarness(cases, [dir], 120_000);
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const get = (id: string): HarnessResult => {
  const r = results.get(id);
  if (r === undefined) throw new Error(`no result for ${id}`);
  return r;
};

describe('non-finite answers end with exit 3 and name where', () => {
  it('hv on a net with weights 1e308: exit 3, one line naming the loss E, nothing on stdout', () => {
    const r = get('hv');
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^wpsim: error: result not finite: loss is NaN \(.*\)\n$/);
  });

  it('hv --json carries status "non-finite" and where; a finite answer carries status "ok"', () => {
    const bad = get('hv-json');
    expect(bad.code).toBe(3);
    const out = JSON.parse(bad.stdout) as { status: string; nonFinite: string; loss: number | null };
    expect(out.status).toBe('non-finite');
    expect(out.nonFinite).toBe('loss');
    expect(out.loss).toBeNull();
    expect(bad.stderr.split('\n')).toHaveLength(2);
    expect(get('hv-fd').code).toBe(3);
    const ok = get('hv-ok-json');
    expect(ok.code).toBe(0);
    expect((JSON.parse(ok.stdout) as { status: string }).status).toBe('ok');
    const bench = get('bench-json');
    expect(bench.code).toBe(0);
    expect((JSON.parse(bench.stdout) as { status: string }).status).toBe('ok');
  });

  it('hessian and fd-study on that net: exit 3 naming E at the given weights', () => {
    for (const id of ['hessian', 'hessian-json', 'fd-study']) {
      const r = get(id);
      expect(r.code, id).toBe(3);
      expect(r.stderr, id).toMatch(/^wpsim: error: result not finite: E at the given weights is NaN/);
      expect(r.stderr.split('\n'), id).toHaveLength(2);
    }
  });
});

const prlimit = spawnSync('prlimit', ['--version']).status === 0;

describe('a virtual-memory limit (ulimit -v 4000000, as on clusters)', () => {
  it.skipIf(!prlimit)('hv falls back to the JavaScript kernels with one notice and gives their exact answer (skipped without prlimit)', () => {
    const r = spawnSync('prlimit', ['--as=4000000000', process.execPath, MAIN, 'hv', XOR, '--json', '--seed', '3'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stderr.split('\n');
    // The notice proves the wasm memory failed under the limit (the fallback ran).
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^wpsim: notice: the wasm kernels could not allocate their memory .*; using the JavaScript kernels$/);
    const out = JSON.parse(r.stdout) as { status: string; loss: number; gradient: number[]; hv: number[] };
    const { net, data, weights } = loadNetFile(XOR);
    if (net.kind !== 'layered') throw new Error('layered net expected');
    const js = new LayeredOracle(net, data, { kernels: 'js' });
    const g = new Float64Array(weights.length);
    const hv = new Float64Array(weights.length);
    const loss = js.evaluate(weights, seededDirection(weights.length, 3), g, hv);
    expect(out.status).toBe('ok');
    expect(out.loss).toBe(loss);
    expect(out.gradient).toEqual(Array.from(g));
    expect(out.hv).toEqual(Array.from(hv));
  });
});

describe('special files and usage through a real process', () => {
  it('a FIFO as the net file and as --v: exit 2 at once, one line, no wait for a writer', () => {
    const fifo = join(dir, 'fifo');
    spawnSync('mkfifo', [fifo]);
    for (const args of [['hv', fifo], ['hv', XOR, '--v', fifo]]) {
      const r = wpsim(args, { timeoutMs: 30_000 });
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^wpsim: error: (NET|--v): must be a regular file, not a FIFO; got ".*fifo"\n$/);
      expect(r.stdout).toBe('');
    }
  });

  it('usage errors are one line (no "(run with --help for usage)" line), exit 2', () => {
    const r = wpsim(['hv', '--bogus']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("wpsim: error: unknown option '--bogus'\n");
  });

  it('--out "" is refused: nothing is written at the filesystem root', () => {
    const before = readdirSync('/');
    const r = wpsim(['run', 'xor-wp-gradient', '--out', '', '--quiet', '--set', 'trials=10']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('wpsim: error: --out: must name a path (it is empty); got ""\n');
    expect(readdirSync('/')).toEqual(before);
  });

  const root = process.getuid?.() === 0;
  it.skipIf(!root)('an output directory the user cannot write: exit 2 naming --out (run as nobody; skipped unless root)', () => {
    const locked = join(ROOT, 'out', `locked-${process.pid}`);
    mkdirSync(locked, { recursive: true });
    chmodSync(locked, 0o755);
    try {
      const r = spawnSync(process.execPath, [MAIN, 'run', 'xor-wp-gradient', '--out', join(locked, 'runs'), '--quiet'], { encoding: 'utf8', uid: 65534, gid: 65534, cwd: '/', timeout: 60_000 });
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/^wpsim: error: --out: must be creatable: .* is not writable; got ".*runs"\n$/);
      expect(readdirSync(locked)).toEqual([]);
    } finally {
      rmSync(locked, { recursive: true, force: true });
    }
  });
});
