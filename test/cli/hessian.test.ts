import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { ROOT, tempDir, wpsim } from '../helpers/cli.js';
import { loadNetFile } from '../../src/io/netfile.js';
import { oracleFor } from '../../src/exact/factory.js';
import { denseHessian } from '../../src/analysis/dense.js';

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
    // λ_max ≤ max row sum (Gershgorin) and the Rayleigh quotient bound from the trace part.
    expect(out.top).toHaveLength(2);
    expect(out.top[0].converged).toBe(true);
    expect(out.top[0].residual).toBeLessThan(1e-9);
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
