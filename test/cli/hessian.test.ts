import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { ROOT, tempDir, wpsim } from '../helpers/cli.js';
import { loadNetFile } from '../../src/io/netfile.js';
import { oracleFor } from '../../src/exact/factory.js';
import { denseHessian } from '../../src/analysis/dense.js';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

const XOR = join(ROOT, 'scenarios/nets/xor-2-2-1.json');

describe('wpsim hessian', () => {
  it('--json reports eigenvalues, trace, density and a Newton step consistent with the dense Hessian', () => {
    const dir = tempDir();
    const csv = join(dir, 'h.csv');
    const r = wpsim(['hessian', XOR, '--top', '2', '--trace', '--density', '--newton', '--json', '--csv', csv, '--tol', '1e-10', '--probes', '200']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    const { net, data, weights } = loadNetFile(XOR);
    const H = denseHessian(oracleFor(net, data), weights);
    const n = 9;
    let trace = 0;
    for (let i = 0; i < n; i++) trace += H[i * n + i];
    // The top two eigenvalues (largest |λ|) against the dense H's spectrum from ml-matrix. A
    // converged power-iteration pair with residual ‖Hx − λx‖ ≤ r has |λ − λ_true| ≤ r (Bauer–Fike,
    // H symmetric); the bar 1e-8 is that bound with a decade above the reported 1e-10 tolerance.
    const spectrum = new EigenvalueDecomposition(new Matrix(Array.from({ length: n }, (_, i) => Array.from(H.slice(i * n, (i + 1) * n)))), { assumeSymmetric: true })
      .realEigenvalues.slice().sort((a, b) => Math.abs(b) - Math.abs(a));
    expect(out.top).toHaveLength(2);
    for (const j of [0, 1]) {
      expect(out.top[j].converged).toBe(true);
      expect(out.top[j].residual).toBeLessThan(1e-9);
      expect(Math.abs(out.top[j].value - spectrum[j])).toBeLessThanOrEqual(Math.max(out.top[j].residual, 1e-10) * 10);
    }
    // Gershgorin: every eigenvalue, the top one included, lies within max_i Σ_j |H_ij| of 0.
    let gershgorin = 0;
    for (let i = 0; i < n; i++) {
      let row = 0;
      for (let j = 0; j < n; j++) row += Math.abs(H[i * n + j]);
      gershgorin = Math.max(gershgorin, row);
    }
    expect(Math.abs(out.top[0].value)).toBeLessThanOrEqual(gershgorin);
    expect(out.learningRate).toBeCloseTo(1 / out.top[0].value, 12);
    expect(out.trace.hutchPlusPlus.estimate).toBeCloseTo(trace, 8);
    expect(Math.abs(out.trace.hutchinson.estimate - trace)).toBeLessThan(4 * out.trace.hutchinson.stdErr);
    // SLQ mean = average of x̂ᵀHx̂ over unit probes: sd ≤ √2‖H‖_F/n per probe.
    let frob = 0;
    for (let k = 0; k < n * n; k++) frob += H[k] ** 2;
    expect(Math.abs(out.density.mean - trace / n)).toBeLessThan((4 * Math.sqrt(2 * frob)) / n / Math.sqrt(200));
    expect(out.newton.lossAfter).toBeLessThan(out.newton.lossBefore);
    const rows = readFileSync(csv, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('kind,index,value,weight,residual');
    expect(rows.filter((l) => l.startsWith('eigenvalue'))).toHaveLength(2);
  });

  it('bad input exits 2 with nothing on stdout', () => {
    for (const args of [['hessian', XOR, '--top', '0'], ['hessian', XOR, '--tol', 'x'], ['hessian', join(ROOT, 'nope.json')]]) {
      const r = wpsim(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
    }
  });
});
