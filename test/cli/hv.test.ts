import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { ROOT, tempDir, wpsim, writeFile } from '../helpers/cli.js';
import { loadNetFile } from '../../src/io/netfile.js';
import { oracleFor } from '../../src/exact/factory.js';
import { FiniteDifferenceHv } from '../../src/approx/finite-difference.js';
import { relErr } from '../../src/linalg/blas1.js';
import { seededDirection } from '../../src/io/vector.js';

const XOR = join(ROOT, 'scenarios/nets/xor-2-2-1.json');
const GRAPH = join(ROOT, 'scenarios/nets/skip-graph.json');
const xor = JSON.parse(readFileSync(XOR, 'utf8')) as Record<string, unknown>;
const graph = JSON.parse(readFileSync(GRAPH, 'utf8')) as Record<string, unknown>;

describe('wpsim hv', () => {
  it('--json prints exactly one object {loss, gradient, hv} equal to the library oracle', () => {
    const r = wpsim(['hv', XOR, '--json', '--seed', '3']);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0]) as { loss: number; gradient: number[]; hv: number[] };
    expect(Object.keys(out)).toEqual(['status', 'loss', 'gradient', 'hv']);
    const { net, data, weights } = loadNetFile(XOR);
    const oracle = oracleFor(net, data);
    const g = new Float64Array(9);
    expect(out.loss).toBe(oracle.gradient(weights, g));
    expect(out.gradient).toEqual(Array.from(g));
    // Hv along the seeded default direction (seed 3), from the library's oracle in-process.
    const hv = new Float64Array(9);
    oracle.hv(weights, seededDirection(9, 3), hv);
    expect(out.hv).toEqual(Array.from(hv));
    expect(out.hv.some((x) => x !== 0)).toBe(true);
  });

  it('with --v uses that direction, and fd-central agrees with rop to finite-difference accuracy', () => {
    const dir = tempDir();
    const v = writeFile(dir, 'v.json', [1, 0, 0, 0, 0, 0, 0, 0, -1]);
    const rop = JSON.parse(wpsim(['hv', XOR, '--v', v, '--json']).stdout) as { hv: number[] };
    const fd = JSON.parse(wpsim(['hv', XOR, '--v', v, '--json', '--method', 'fd-central']).stdout) as { hv: number[] };
    const fwd = JSON.parse(wpsim(['hv', XOR, '--v', v, '--json', '--method', 'fd-forward', '--step', '1e-7']).stdout) as { hv: number[] };
    expect(relErr(fd.hv, rop.hv)).toBeLessThan(1e-8);
    expect(relErr(fd.hv, rop.hv)).toBeGreaterThan(0);
    expect(relErr(fwd.hv, rop.hv)).toBeLessThan(1e-5);
  });

  it('accepts unit-graph files and matches central differences on them', () => {
    const r = wpsim(['hv', GRAPH, '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { hv: number[] };
    const { net, data, weights } = loadNetFile(GRAPH);
    const oracle = oracleFor(net, data);
    // Same seeded direction as the CLI default (seed 1).
    const v = seededDirection(out.hv.length, 1);
    const fd = new FiniteDifferenceHv(oracle).hv(weights, v, 1e-5, 'central', new Float64Array(v.length));
    expect(relErr(fd, out.hv)).toBeLessThan(1e-8);
  });

  it('prints a readable table by default', () => {
    const r = wpsim(['hv', XOR]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/method\s+rop/);
    expect(r.stdout.trim().split('\n')).toHaveLength(7 + 9);
  });
});

describe('wpsim fd-study', () => {
  it('shows the U curve: central best near r ≈ 1e-5, forward near 1e-8, R{backprop} far below both', () => {
    const dir = tempDir();
    const csvPath = join(dir, 'fd.csv');
    const r = wpsim(['fd-study', XOR, '--csv', csvPath]);
    expect(r.status).toBe(0);
    const rows = readFileSync(csvPath, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('r,forward_rel_err,central_rel_err');
    const table = rows.slice(1).map((line) => line.split(',').map(Number));
    expect(table).toHaveLength(12);
    const argmin = (col: number): number => table.reduce((b, row) => (row[col] < b[col] ? row : b))[0];
    const bestCentral = argmin(2);
    const bestForward = argmin(1);
    // ε^{1/3} ≈ 6e-6 and ε^{1/2} ≈ 1.5e-8 scaled by the problem's derivative ratios: within a decade.
    expect(bestCentral).toBeGreaterThanOrEqual(1e-6);
    expect(bestCentral).toBeLessThanOrEqual(1e-4);
    expect(bestForward).toBeGreaterThanOrEqual(1e-9);
    expect(bestForward).toBeLessThanOrEqual(1e-7);
    const minCentral = Math.min(...table.map((row) => row[2]));
    // Both ends of the U are far worse than its bottom.
    expect(table[0][2]).toBeGreaterThan(1e4 * minCentral);
    expect(table[11][2]).toBeGreaterThan(1e3 * minCentral);
    const rop = Number(/independent unit-graph implementation: (\S+)/.exec(r.stdout)?.[1]);
    expect(rop).toBeLessThan(1e-13);
    expect(rop).toBeLessThan(minCentral / 100);
  });
});

describe('bad input: one message naming field, rule and value; exit code 2; nothing on stdout', () => {
  const dir = tempDir();
  const cases: [string, unknown, RegExp][] = [
    ['malformed JSON', '{"layers": [2, 2, 1], ', /\(file\): must be valid JSON/],
    ['wrong weight count', { ...xor, weights: [1, 2, 3] }, /weights: must have 9 entries .* not 3/],
    ['unknown activation', { ...xor, activations: ['tanhh', 'logistic'] }, /activations\[0\]: must be one of .*"tanh".*; got "tanhh"/],
    ['unknown loss', { ...xor, loss: 'mse' }, /loss: must be one of .*; got "mse"/],
    ['ragged inputs', { ...xor, inputs: [[0, 0], [0], [1, 0], [1, 1]] }, /inputs\[1\]: must have 2 values \(input width\); got \[0\]/],
    ['mismatched targets', { ...xor, targets: [[0], [1]] }, /targets: must have one row per input pattern \(4\)/],
    ['NaN in weights', JSON.stringify(xor).replace('"weights":[0.5', '"weights":[NaN'), /weights\[0\]: must be a finite number; got NaN/],
    ['Infinity in inputs', JSON.stringify(xor).replace('"inputs":[[0,0]', '"inputs":[[0,-Infinity]'), /inputs\[0\]\[1\]: must be a finite number; got -Infinity/],
    ['overflowing literal', JSON.stringify(xor).replace('"weights":[0.5', '"weights":[1e999'), /weights\[0\]: must be a finite number; got Infinity/],
    ['loss/activation mismatch', { ...xor, activations: ['tanh', 'linear'] }, /activations\[1\]: must be "logistic" on output units for loss "cross-entropy"/],
    ['cycle in a feedforward graph', { ...graph, connections: [...(graph.connections as object[]).slice(0, 9), { from: 5, to: 3 }] }, /connections: must form an acyclic graph .*; got "cycle 4 -> 5 -> 3 -> 4"/],
    ['unit id out of range', { ...graph, outputUnits: [9] }, /outputUnits\[0\]: must be a unit id below units \(6\); got 9/],
    ['not an object', [1, 2], /\(root\): must be a JSON object/],
    ['unknown field', { ...xor, weigths: [] }, /unknown field\(s\) weigths/],
  ];
  for (const [name, content, pattern] of cases) {
    it(name, () => {
      const path = writeFile(dir, `${name.replace(/\W+/g, '-')}.json`, content);
      const r = wpsim(['hv', path, '--json']);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
    });
  }

  it('a direction of the wrong length', () => {
    const v = writeFile(dir, 'short-v.json', [1, 2]);
    const r = wpsim(['hv', XOR, '--v', v]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/must be an array of 9 numbers \(one per weight\); got "2 numbers"/);
  });

  it('a missing file, an unknown method, a bad step', () => {
    for (const args of [
      ['hv', join(dir, 'nope.json')],
      ['hv', XOR, '--method', 'complex-step'],
      ['hv', XOR, '--step', '-1'],
      ['bench', 'hv', '--layers', '784'],
      ['no-such-command'],
    ]) {
      const r = wpsim(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
    }
    expect(wpsim(['hv', XOR, '--method', 'complex-step']).stderr).toMatch(/--method.*complex-step.*must be one of rop, relax, implicit, exact, gibbs, fd-central, fd-forward/);
  });
});
