import { describe, expect, it } from 'vitest';
import { BoltzmannOracle } from '../../src/exact/boltzmann/enumeration.js';
import { ENUMERATION_LIMIT, type BoltzmannMachine } from '../../src/nets/boltzmann.js';
import { netFromJson } from '../../src/io/netfile.js';
import { InputError } from '../../src/errors.js';
import { Rng } from '../../src/random/rng.js';

/**
 * The enumeration oracle's G and ∇G against a second enumeration written out here from the
 * definitions (src/nets/boltzmann.ts, docs/theory.md, "R{Boltzmann}"): P(α) ∝ e^{−E_α/T},
 * G = Σ_v q(v) ln(q(v)/P⁻(v)), ∂G/∂w_k = (ε/T)(p⁺_k − p⁻_k). At T = 0.002 the exponents −E_α/T
 * reach thousands: e^{−E/T} overflows unless every sum is shifted by its own maximum, which is
 * what this test checks besides the values (the difference tests of gradient-vs-loss.test.ts
 * run at T ≈ 1, where a wrong shift is harmless and a wrong G comes with a consistently wrong
 * ∇G). Agreement to 1e-9 relative (sums of 32 terms whose exponents are O(4000)).
 */
function machine(
  states: 'binary' | 'bipolar', energySign: 'seed' | 'standard', temperature: number, seed: number, q = [0.5, 0.3, 0.2],
): { m: BoltzmannMachine; w: Float64Array } {
  const rng = new Rng(seed);
  const weights = Array.from({ length: 10 }, () => rng.gaussian());
  const vals = states === 'binary' ? [0, 1] : [-1, 1];
  // Three of the eight visible configurations are patterns: the other five must count as none.
  const patterns = [5, 3, 6].map((code) => [0, 1, 2].map((b) => vals[(code >> b) & 1]));
  const loaded = netFromJson({ visible: 3, hidden: 2, states, energySign, temperature, connections: 'full', weights, patterns, patternProbabilities: q }, 'test');
  return { m: loaded.net as BoltzmannMachine, w: loaded.weights };
}

function logSumExp(xs: number[]): number {
  const max = Math.max(...xs);
  return max + Math.log(xs.reduce((s, x) => s + Math.exp(x - max), 0));
}

function reference(m: BoltzmannMachine, w: Float64Array): { G: number; grad: number[] } {
  const [off, on] = m.states === 'binary' ? [0, 1] : [-1, 1];
  const N = m.units;
  const states = Array.from({ length: 2 ** N }, (_, a) => Array.from({ length: N }, (_, i) => ((a >> i) & 1 ? on : off)));
  const pair = (s: number[], k: number): number => s[m.first[k]] * s[m.second[k]];
  const logE = states.map((s) => (-m.energySign * w.reduce((e, wk, k) => e + pair(s, k) * wk, 0)) / m.temperature);
  const logZ = logSumExp(logE);
  const free = Array.from({ length: m.size }, (_, k) => states.reduce((acc, s, a) => acc + Math.exp(logE[a] - logZ) * pair(s, k), 0));
  const clamped = new Array<number>(m.size).fill(0);
  let G = 0;
  for (let p = 0; p < m.patternCount; p++) {
    const pattern = Array.from(m.patterns.subarray(p * m.visible, (p + 1) * m.visible));
    const members = states.map((s, a) => [s, a] as const).filter(([s]) => pattern.every((x, i) => s[i] === x));
    const logPv = logSumExp(members.map(([, a]) => logE[a]));
    const q = m.patternProbabilities[p];
    // A pattern the environment never shows adds nothing: 0 ln 0 = 0.
    if (q > 0) G += q * (Math.log(q) - (logPv - logZ));
    for (const [s, a] of members) for (let k = 0; k < m.size; k++) clamped[k] += q * Math.exp(logE[a] - logPv) * pair(s, k);
  }
  return { G, grad: clamped.map((c, k) => (m.energySign / m.temperature) * (c - free[k])) };
}

describe('Boltzmann enumeration against a second enumeration from the definitions', () => {
  for (const [states, sign] of [['binary', 'seed'], ['bipolar', 'standard'], ['bipolar', 'seed']] as const) {
    for (const T of [1.3, 0.002]) {
      it(`${states} units, ${sign} sign, T = ${T}: G and ∇G (no overflow at |E|/T in the thousands)`, () => {
        const { m, w } = machine(states, sign, T, 60 + T * 10);
        const ref = reference(m, w);
        const g = new Float64Array(m.size);
        const G = new BoltzmannOracle(m).gradient(w, g);
        expect(Math.abs(G - ref.G), `G ${G} vs ${ref.G}`).toBeLessThanOrEqual(1e-9 * Math.abs(ref.G));
        const scale = Math.max(...ref.grad.map(Math.abs));
        for (let k = 0; k < m.size; k++) expect(Math.abs(g[k] - ref.grad[k]), `∂G/∂w_${k}: ${g[k]} vs ${ref.grad[k]}`).toBeLessThanOrEqual(1e-9 * scale);
      });
    }
  }

  it('a pattern of probability 0 adds nothing to G (0 ln 0 = 0) nor to the clamped statistics', () => {
    const { m, w } = machine('binary', 'standard', 0.7, 9, [0.6, 0.4, 0]);
    const ref = reference(m, w);
    const g = new Float64Array(m.size);
    const G = new BoltzmannOracle(m).gradient(w, g);
    expect(Math.abs(G - ref.G), `G ${G} vs ${ref.G}`).toBeLessThanOrEqual(1e-9 * Math.abs(ref.G));
    for (let k = 0; k < m.size; k++) expect(Math.abs(g[k] - ref.grad[k])).toBeLessThanOrEqual(1e-9 * Math.max(...ref.grad.map(Math.abs)));
  });

  it('R statistics only when v and both R arrays are given: otherwise the R arrays are left as they were', () => {
    const { m, w } = machine('bipolar', 'seed', 1, 3);
    const oracle = new BoltzmannOracle(m);
    const v = new Rng(4).fillGaussian(new Float64Array(m.size));
    const K = m.size;
    const p = new Float64Array(K);
    const untouched = (): Float64Array => new Float64Array(K).fill(7);
    const r = untouched();
    oracle.freeCorrelations(w, null, p, r);
    expect(Array.from(r)).toEqual(Array.from(untouched()));
    const rFree = untouched();
    oracle.statistics(w, v, new Float64Array(K), new Float64Array(K), rFree, null, new Float64Array(m.patternCount));
    expect(Array.from(rFree)).toEqual(Array.from(untouched()));
    const rClamped = untouched();
    oracle.statistics(w, v, new Float64Array(K), new Float64Array(K), null, rClamped, new Float64Array(m.patternCount));
    expect(Array.from(rClamped)).toEqual(Array.from(untouched()));
  });

  it(`a machine over ${ENUMERATION_LIMIT} units is refused, naming the field, the limit and the way out`, () => {
    const { m } = machine('binary', 'seed', 1, 5);
    const big = { ...m, units: ENUMERATION_LIMIT + 1 };
    expect(() => new BoltzmannOracle(big)).toThrow(InputError);
    expect(() => new BoltzmannOracle(big)).toThrow(
      `units: must be at most ${ENUMERATION_LIMIT} for exact enumeration (2^${ENUMERATION_LIMIT} states); use --method gibbs for larger machines; got ${ENUMERATION_LIMIT + 1}`,
    );
  });
});
