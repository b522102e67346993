import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { BoltzmannOracle } from '../../src/exact/boltzmann/enumeration.js';
import { gibbsStatistics } from '../../src/approx/gibbs.js';
import { FiniteDifferenceHv } from '../../src/approx/finite-difference.js';
import { netFromJson } from '../../src/io/netfile.js';
import type { BoltzmannMachine } from '../../src/nets/boltzmann.js';
import { dot, nrm2, relErr } from '../../src/linalg/blas1.js';
import { Rng } from '../../src/random/rng.js';
import { logLogSlope } from '../helpers/sim.js';
import { ROOT, tempDir, wpsim, writeFile } from '../helpers/cli.js';

/** A random fully connected machine with random visible patterns. */
function randomMachine(seed: number, visible: number, hidden: number, states: 'binary' | 'bipolar', energySign: 'seed' | 'standard', temperature = 1): { m: BoltzmannMachine; w: Float64Array } {
  const rng = new Rng(seed);
  const N = visible + hidden;
  const K = (N * (N - 1)) / 2;
  const weights = Array.from({ length: K }, () => 0.7 * rng.gaussian());
  const vals = states === 'binary' ? [0, 1] : [-1, 1];
  const seen = new Set<string>();
  const patterns: number[][] = [];
  while (patterns.length < 3) {
    const row = Array.from({ length: visible }, () => vals[rng.int(2)]);
    if (!seen.has(row.join())) { seen.add(row.join()); patterns.push(row); }
  }
  const loaded = netFromJson({ visible, hidden, states, energySign, temperature, connections: 'full', weights, patterns, patternProbabilities: [0.5, 0.3, 0.2] }, 'test');
  return { m: loaded.net as BoltzmannMachine, w: loaded.weights };
}

const variants = [
  ['binary', 'seed', 1], ['bipolar', 'seed', 0.7], ['binary', 'standard', 1.5], ['bipolar', 'standard', 1],
] as const;

describe('Boltzmann machines by enumeration', () => {
  for (const [states, sign, T] of variants) {
    it(`${states} units, ${sign} sign, T = ${T}: R{p_ij} matches central differences of p_ij to 1e-9`, () => {
      const { m, w } = randomMachine(7, 3, 2, states, sign, T);
      const oracle = new BoltzmannOracle(m);
      const K = m.size;
      const v = new Rng(8).fillGaussian(new Float64Array(K));
      const p = new Float64Array(K);
      const r = new Float64Array(K);
      oracle.freeCorrelations(w, v, p, r);
      // Richardson on central differences of p(w + t v): error O(t⁴) ≈ 1e-12 at t = 1e-3.
      const pAt = (t: number): Float64Array => {
        const out = new Float64Array(K);
        oracle.freeCorrelations(w.map((x, k) => x + t * v[k]), null, out, null);
        return out;
      };
      const t = 1e-3;
      const d1 = pAt(t).map((x, k) => (x - pAt(-t)[k]) / (2 * t));
      const d2 = pAt(t / 2).map((x, k) => (x - pAt(-t / 2)[k]) / t);
      const rich = d2.map((x, k) => (4 * x - d1[k]) / 3);
      expect(relErr(rich, r)).toBeLessThan(1e-9);
    });

    it(`${states} units, ${sign} sign: Hv of G matches central differences of ∇G, ∇G matches differences of G, and H is symmetric`, () => {
      const { m, w } = randomMachine(9, 3, 2, states, sign, T);
      const oracle = new BoltzmannOracle(m);
      const K = m.size;
      const rng = new Rng(10);
      const v = rng.fillGaussian(new Float64Array(K));
      const u = rng.fillGaussian(new Float64Array(K));
      const g = new Float64Array(K);
      const hv = new Float64Array(K);
      oracle.evaluate(w, v, g, hv);
      const fd = new FiniteDifferenceHv(oracle).hv(w, v, 1e-5, 'central', new Float64Array(K));
      expect(relErr(fd, hv)).toBeLessThan(1e-8);
      const h = 1e-6;
      const gFd = g.map((_, k) => {
        const wp = w.slice(); wp[k] += h;
        const wm = w.slice(); wm[k] -= h;
        return (oracle.loss(wp) - oracle.loss(wm)) / (2 * h);
      });
      expect(relErr(gFd, g)).toBeLessThan(1e-8);
      const hu = new Float64Array(K);
      oracle.hv(w, u, hu);
      expect(Math.abs(dot(K, u, hv) - dot(K, v, hu))).toBeLessThan(1e-13 * (nrm2(K, u) * nrm2(K, hv) + nrm2(K, v) * nrm2(K, hu)));
    });
  }

  it('G is a KL divergence: non-negative, and 0 when the machine reproduces the environment', () => {
    const { m, w } = randomMachine(3, 3, 1, 'binary', 'seed');
    expect(new BoltzmannOracle(m).loss(w)).toBeGreaterThan(0);
    // Visible-only machine whose free distribution we set equal to q: a single pattern with all
    // weights strongly favouring it is close to 0 (q is a point mass).
    const one = netFromJson({ visible: 2, hidden: 0, connections: 'full', weights: [-20], patterns: [[1, 1]] }, 'x');
    // Seed sign: E = +s1 s2 w; w = −20 makes (1,1) the only low-energy state.
    expect(new BoltzmannOracle(one.net as BoltzmannMachine).loss(one.weights)).toBeLessThan(1e-6);
  });
});

describe('Boltzmann machines by Gibbs sampling', () => {
  it('R{p_ij} lands within 3 standard errors of the exact value on at least 95% of entries', () => {
    let within = 0;
    let total = 0;
    for (const [states, sign, T] of variants) {
      const { m, w } = randomMachine(11, 3, 3, states, sign, T);
      const K = m.size;
      const v = new Rng(12).fillGaussian(new Float64Array(K));
      const exactP = new Float64Array(K);
      const exactR = new Float64Array(K);
      new BoltzmannOracle(m).freeCorrelations(w, v, exactP, exactR);
      const st = gibbsStatistics(m, w, v, { chains: 16, burnIn: 200, samples: 1500, thin: 2, seed: 5 });
      for (let k = 0; k < K; k++) {
        total += 2;
        if (Math.abs(st.r[k] - exactR[k]) <= 3 * st.rStdErr[k]) within++;
        if (Math.abs(st.p[k] - exactP[k]) <= 3 * st.pStdErr[k]) within++;
      }
    }
    expect(within / total).toBeGreaterThanOrEqual(0.95);
  });

  it('its error shrinks like 1/sqrt(samples)', () => {
    const { m, w } = randomMachine(13, 3, 2, 'binary', 'seed');
    const K = m.size;
    const v = new Rng(14).fillGaussian(new Float64Array(K));
    const exactP = new Float64Array(K);
    const exactR = new Float64Array(K);
    new BoltzmannOracle(m).freeCorrelations(w, v, exactP, exactR);
    const samples = [250, 1000, 4000, 16000];
    const errs = samples.map((n) => {
      // RMS over 4 independent seeds of ‖R̂ − R‖.
      let s = 0;
      for (let seed = 0; seed < 4; seed++) {
        const st = gibbsStatistics(m, w, v, { chains: 4, burnIn: 100, samples: n, thin: 1, seed: 100 * seed + 1 });
        s += relErr(st.r, exactR) ** 2;
      }
      return Math.sqrt(s / 4);
    });
    const slope = logLogSlope(samples, errs);
    expect(slope).toBeGreaterThan(-0.65);
    expect(slope).toBeLessThan(-0.35);
  });
});

describe('wpsim hv on Boltzmann machines', () => {
  const NET = join(ROOT, 'scenarios/nets/boltzmann-3-2.json');
  it('--method exact, fd-central and gibbs agree (gibbs within its standard errors)', () => {
    const exact = JSON.parse(wpsim(['hv', NET, '--json', '--method', 'exact']).stdout);
    const fd = JSON.parse(wpsim(['hv', NET, '--json', '--method', 'fd-central']).stdout);
    const gibbs = JSON.parse(wpsim(['hv', NET, '--json', '--method', 'gibbs', '--chains', '64']).stdout);
    expect(relErr(fd.hv, exact.hv)).toBeLessThan(1e-8);
    const z = [
      ...gibbs.hv.map((x: number, k: number) => Math.abs(x - exact.hv[k]) / gibbs.hvStdErr[k]),
      ...gibbs.gradient.map((x: number, k: number) => Math.abs(x - exact.gradient[k]) / gibbs.gradientStdErr[k]),
    ];
    expect(z.filter((x: number) => x <= 3).length / z.length).toBeGreaterThanOrEqual(0.95);
    expect(gibbs.loss).toBeCloseTo(exact.loss, 12);
  });

  it('a machine too large to enumerate gets the error and exit code 2; gibbs still runs', () => {
    const dir = tempDir();
    const visible = 12;
    const hidden = 10;
    const K = ((visible + hidden) * (visible + hidden - 1)) / 2;
    const path = writeFile(dir, 'big.json', { visible, hidden, connections: 'full', weights: new Array(K).fill(0.01), patterns: [new Array(visible).fill(1)] });
    const r = wpsim(['hv', path, '--json']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/units: must be at most 20 for exact enumeration .*use --method gibbs .*; got 22/);
    const g = wpsim(['hv', path, '--json', '--method', 'gibbs', '--samples', '50', '--chains', '2', '--burn-in', '10']);
    expect(g.status).toBe(0);
    expect(JSON.parse(g.stdout).loss).toBeNull();
  });

  it('bad Boltzmann files name the field', () => {
    const dir = tempDir();
    const base = JSON.parse(readFileSync(NET, 'utf8'));
    for (const [content, pattern] of [
      [{ ...base, patterns: [[1, 0, 2]] }, /patterns\[0\]\[2\]: must be 0 or 1 for binary units; got 2/],
      [{ ...base, patternProbabilities: [0.5, 0.5, 0.5] }, /patternProbabilities: must sum to 1/],
      [{ ...base, connections: [[0, 0]], weights: [1] }, /connections\[0\]: must join two different units/],
      [{ ...base, weights: [1] }, /weights: must have one entry per connection \(10\), not 1/],
      [{ ...base, energySign: 'negative' }, /energySign: must be one of "seed", "standard"/],
    ] as [unknown, RegExp][]) {
      const r = wpsim(['hv', writeFile(dir, 'b.json', content)]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(pattern);
    }
  });
});
