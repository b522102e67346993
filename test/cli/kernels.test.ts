import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { tempDir, wpsim, writeFile } from '../helpers/cli.js';

/** An iris 4-10-3 net (83 synapses, 150 patterns): a layered net whose oracle has both kernel paths. */
const iris = {
  name: 'kernels',
  problem: { kind: 'iris' },
  perturbation: { distribution: 'gaussian', sigma: 0.01, antithetic: true },
  estimator: { name: 'moment' },
  trials: 2000,
  probeEvery: 500,
  seed: 3,
  kernels: 'js',
};

function run(args: string[]): string {
  const r = wpsim(['run', ...args, '--quiet']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout.trim();
}

const summaryOf = (dir: string): { kernels: string | null } => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));

/** ‖a − b‖ / ‖a‖ of one CSV column (0 when both are zero). */
function columnRelDiff(a: string[][], b: string[][], column: number): number {
  let diff = 0;
  let norm = 0;
  for (let k = 0; k < a.length; k++) {
    const x = Number(a[k][column]);
    const y = Number(b[k][column]);
    diff += (x - y) ** 2;
    norm += x * x;
  }
  return norm === 0 ? Math.sqrt(diff) : Math.sqrt(diff / norm);
}

describe('kernels: the layered oracle\'s path, chosen by the scenario or --kernels, recorded in summary.json', () => {
  it('js (scenario field) and wasm (--kernels override) each record their path, are byte-reproducible, and agree to round-off', () => {
    const dir = tempDir();
    const path = writeFile(dir, 'iris.json', iris);
    const out = join(dir, 'out');
    const js = [run([path, '--out', out]), run([path, '--out', out])];
    const wasm = [run([path, '--out', out, '--kernels', 'wasm']), run([path, '--out', out, '--kernels', 'wasm'])];
    for (const d of js) expect(summaryOf(d).kernels).toBe('js');
    for (const d of wasm) expect(summaryOf(d).kernels).toBe('wasm');
    // Same scenario, seed and kernel path: the same bytes.
    for (const f of ['probes.csv', 'synapses.csv']) {
      expect(readFileSync(join(js[1], f))).toEqual(readFileSync(join(js[0], f)));
      expect(readFileSync(join(wasm[1], f))).toEqual(readFileSync(join(wasm[0], f)));
    }
    // Across paths: the exact columns are one pass each (different summation orders, ~1e-15
    // measured). The estimates are built from ΔE = E(w ± Δw) − E(w), which cancels: with E ≈ 1e2
    // over 150 patterns and σ = 0.01, the second difference behind ẑ is ~1e-2, so E's round-off
    // is amplified ~1e4 (measured: ẑ 1.4e-12, ĝ 5.5e-15 normwise). 1e-9 leaves a factor ~1e3
    // above that and is 1e8 below the estimators' statistical error (z_rel_err ~ 1 here).
    const tables = (d: string, f: string): string[][] => parse(readFileSync(join(d, f), 'utf8')) as string[][];
    for (const [f, exactTol, estimateTol] of [['probes.csv', 1e-9, 1e-9], ['synapses.csv', 1e-13, 1e-9]] as const) {
      const [header, ...a] = tables(js[0], f);
      const [header2, ...b] = tables(wasm[0], f);
      expect(header2).toEqual(header);
      expect(b).toHaveLength(a.length);
      header.forEach((name, column) => {
        if (a.every((row) => row[column] === '')) return;
        const tol = name.endsWith('_exact') ? exactTol : estimateTol;
        expect(columnRelDiff(a, b, column), `${f} ${name}`).toBeLessThan(tol);
      });
    }
  }, 120_000);

  it('a problem without a layered oracle records kernels null; an unknown --kernels is bad input', () => {
    const dir = tempDir();
    const path = writeFile(dir, 'q.json', {
      name: 'quad', problem: { kind: 'quadratic', size: 4, spectrum: { min: 0.5, max: 2 } },
      perturbation: { distribution: 'gaussian', sigma: 0.05 }, estimator: { name: 'moment' }, trials: 200, probeEvery: 100, seed: 1,
    });
    expect(summaryOf(run([path, '--out', join(dir, 'out')])).kernels).toBeNull();
    const bad = wpsim(['run', path, '--out', join(dir, 'out'), '--kernels', 'gpu']);
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/--kernels.*gpu/);
    const badField = wpsim(['run', path, '--out', join(dir, 'out'), '--set', 'kernels="gpu"']);
    expect(badField.status).toBe(2);
    expect(badField.stderr).toMatch(/kernels/);
  });
});
