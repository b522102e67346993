import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/random/rng.js';
import { ZIG_F, ZIG_K, ZIG_W, ZIGGURAT_R } from '../../src/random/ziggurat.js';
import { drawPerturbation, KURTOSIS } from '../../src/synapse/perturbation.js';

/** Φ(x) = ½ erfc(−x/√2), erfc by the Chebyshev fit of Numerical Recipes (erfcc, relative error < 1.2e-7). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
    + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - 0.5 * r : 0.5 * r;
}

/** xoshiro128** written out on uint32 values (Blackman & Vigna's reference), from a state. */
function referenceWords(state: number[], count: number): number[] {
  let [s0, s1, s2, s3] = state.map((x) => x >>> 0);
  const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;
  const out: number[] = [];
  for (let k = 0; k < count; k++) {
    out.push(Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0);
    const t = (s1 << 9) >>> 0;
    s2 = (s2 ^ s0) >>> 0;
    s3 = (s3 ^ s1) >>> 0;
    s1 = (s1 ^ s2) >>> 0;
    s0 = (s0 ^ s3) >>> 0;
    s2 = (s2 ^ t) >>> 0;
    s3 = rotl(s3, 11);
  }
  return out;
}

describe('bulk draws', () => {
  it('nextU32 and fillWords follow the reference xoshiro128** from the splitmix32-seeded state', () => {
    // splitmix32 of seed 1 (Rng's constructor), written out independently.
    let x = 1;
    const state = Array.from({ length: 4 }, () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    });
    const ref = referenceWords(state, 2000);
    const rng = new Rng(1);
    expect(Array.from({ length: 1000 }, () => rng.nextU32())).toEqual(ref.slice(0, 1000));
    expect(Array.from(rng.fillWords(new Uint32Array(1000)))).toEqual(ref.slice(1000));
  });

  it('fillSigns takes bit j of the m-th word for element 32m + j (1 → +, 0 → −), ⌈n/32⌉ words', () => {
    const n = 77;
    const out = new Float64Array(n);
    new Rng(11).fillSigns(out, 0.25);
    const ref = new Rng(11);
    for (let m = 0; m < Math.ceil(n / 32); m++) {
      const u = ref.nextU32();
      for (let j = 0; j < 32 && 32 * m + j < n; j++) expect(out[32 * m + j]).toBe(((u >>> j) & 1) === 1 ? 0.25 : -0.25);
    }
    // The stream continues right after the third word.
    const after = new Rng(11);
    after.fillSigns(out, 1);
    expect(after.nextU32()).toBe(ref.nextU32());
  });

  it('fillSymmetricUniform maps one word u to h((2u + 1)2⁻³² − 1) and stays inside (−h, h)', () => {
    const out = new Float64Array(1000);
    new Rng(3).fillSymmetricUniform(out, 2);
    const ref = new Rng(3);
    for (let k = 0; k < out.length; k++) {
      const u = ref.nextU32();
      expect(out[k]).toBeCloseTo(2 * ((2 * u + 1) / 2 ** 32 - 1), 14);
      expect(Math.abs(out[k])).toBeLessThan(2);
    }
  });

  it('the ziggurat tables close: layer areas V, x decreasing upwards, R at the bottom', () => {
    // x_i = W_i 2²⁴ for i ≥ 1; layer i's area x_i (f(x_{i−1}) − f(x_i)) equals the base strip's
    // R f(R) + ∫_R^∞ f = V for every layer.
    const x = Array.from(ZIG_W, (w) => w * 2 ** 24);
    expect(x[127]).toBeCloseTo(ZIGGURAT_R, 12);
    const V = x[0] * ZIG_F[127];
    for (let i = 2; i <= 127; i++) {
      expect(x[i]).toBeGreaterThan(x[i - 1]);
      expect(x[i] * (ZIG_F[i - 1] - ZIG_F[i])).toBeCloseTo(V, 9);
      expect(ZIG_K[i]).toBeCloseTo((2 ** 24 * x[i - 1]) / x[i], 3);
    }
    // The top layer (x_0 = 0) closes to within the published constants' precision.
    expect(Math.abs(x[1] * (1 - ZIG_F[1]) - V) / V).toBeLessThan(1e-6);
  });

  it('fillZigguratGaussian is the documented stream: each draw from the next word, misses taking the words that follow, bit for bit', () => {
    // The algorithm of ziggurat.ts written out on nextU32 alone: layer u & 127, sign bit 7,
    // abscissa m = u >>> 8; accept m < K_i at once, else the tail (layer 0) or the wedge test.
    const open = (r: Rng): number => (r.nextU32() + 0.5) * 2 ** -32;
    const reference = (r: Rng, scale: number, n: number): Float64Array => {
      const out = new Float64Array(n);
      for (let k = 0; k < n; k++) {
        const u = r.nextU32();
        let layer = u & 127;
        let m = u >>> 8;
        let x: number;
        for (;;) {
          if (m < ZIG_K[layer]) { x = m * ZIG_W[layer]; break; }
          if (layer === 0) {
            let a: number;
            let b: number;
            do {
              a = -Math.log(open(r)) / ZIGGURAT_R;
              b = -Math.log(open(r));
            } while (b + b < a * a);
            x = ZIGGURAT_R + a;
            break;
          }
          const xw = m * ZIG_W[layer];
          if (ZIG_F[layer] + open(r) * (ZIG_F[layer - 1] - ZIG_F[layer]) < Math.exp(-0.5 * xw * xw)) { x = xw; break; }
          const v = r.nextU32();
          layer = v & 127;
          m = v >>> 8;
        }
        out[k] = scale * x * (((u >>> 6) & 2) - 1);
      }
      return out;
    };
    const n = 300_000;
    const ref = reference(new Rng(31), 0.7, n);
    const rng = new Rng(31);
    // Two calls of uneven lengths: a call may end on a miss and the next must go on from there.
    const got = new Float64Array(n);
    rng.fillZigguratGaussian(got.subarray(0, 12_345), 0.7);
    rng.fillZigguratGaussian(got.subarray(12_345), 0.7);
    expect(Buffer.from(got.buffer).equals(Buffer.from(ref.buffer))).toBe(true);
    // The stream after the draws is the reference's too.
    const after = reference(new Rng(31), 0.7, n + 1);
    expect(rng.fillZigguratGaussian(new Float64Array(1), 0.7)[0]).toBe(after[n]);
  });

  it('fillZigguratGaussian: mean 0, variance 1, fourth moment 3 within 5 standard errors', () => {
    const n = 1_000_000;
    const out = new Rng(123).fillZigguratGaussian(new Float64Array(n), 1);
    let m1 = 0, m2 = 0, m4 = 0, m6 = 0;
    for (let k = 0; k < n; k++) {
      const x = out[k];
      const x2 = x * x;
      m1 += x; m2 += x2; m4 += x2 * x2; m6 += x2 * x2 * x2;
    }
    m1 /= n; m2 /= n; m4 /= n; m6 /= n;
    // sd(x) = 1, sd(x²) = √2, sd(x⁴) = √(105 − 9) = √96, sd(x⁶) = √(10395 − 225).
    expect(Math.abs(m1)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(m2 - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(m4 - 3)).toBeLessThan(5 * Math.sqrt(96 / n));
    expect(Math.abs(m6 - 15)).toBeLessThan(5 * Math.sqrt(10170 / n));
  });

  it('fillZigguratGaussian matches Φ: χ² over 200 equiprobable bins, and the tail masses beyond R, 4 and 5', () => {
    const n = 2_000_000;
    const out = new Rng(2027).fillZigguratGaussian(new Float64Array(n), 1);
    // Bin edges Φ⁻¹(k/200) by bisection on Φ.
    const B = 200;
    const edges = new Float64Array(B - 1);
    for (let k = 1; k < B; k++) {
      let lo = -10, hi = 10;
      for (let it = 0; it < 80; it++) {
        const mid = (lo + hi) / 2;
        if (normalCdf(mid) < k / B) lo = mid; else hi = mid;
      }
      edges[k - 1] = (lo + hi) / 2;
    }
    const counts = new Float64Array(B);
    let beyondR = 0, beyond4 = 0, beyond5 = 0;
    for (let k = 0; k < n; k++) {
      const x = out[k];
      let lo = 0, hi = B - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (x < edges[mid]) hi = mid; else lo = mid + 1;
      }
      counts[lo]++;
      const a = Math.abs(x);
      if (a > ZIGGURAT_R) beyondR++;
      if (a > 4) beyond4++;
      if (a > 5) beyond5++;
    }
    let chi2 = 0;
    const expected = n / B;
    for (const c of counts) chi2 += (c - expected) ** 2 / expected;
    // χ² with 199 degrees of freedom: mean 199, sd √398 ≈ 20; 199 + 6·20 = 319 has tail
    // probability ~1e-7 (the fitted Φ's error, 1.2e-7, moves an expected count by < 0.1).
    expect(chi2).toBeLessThan(319);
    // Tail counts are binomial: |count − np| < 5√(np(1−p)).
    for (const [count, threshold] of [[beyondR, ZIGGURAT_R], [beyond4, 4], [beyond5, 5]] as const) {
      const p = 2 * normalCdf(-threshold);
      expect(Math.abs(count - n * p)).toBeLessThan(5 * Math.sqrt(n * p * (1 - p)) + 1);
    }
  });

  it('drawPerturbation has E ξ² = 1 and E ξ⁴ = κ for every law, and the same seed gives the same bytes', () => {
    const n = 400_000;
    for (const law of ['gaussian', 'uniform', 'rademacher'] as const) {
      const sigma = 0.1;
      const a = drawPerturbation(law, sigma, new Rng(9), new Float64Array(n));
      const b = drawPerturbation(law, sigma, new Rng(9), new Float64Array(n));
      expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
      let m2 = 0, m4 = 0;
      for (let k = 0; k < n; k++) {
        const x = a[k] / sigma;
        m2 += x * x;
        m4 += x ** 4;
      }
      m2 /= n; m4 /= n;
      const kappa = KURTOSIS[law];
      // sd(ξ²) = √(κ − 1); sd(ξ⁴) = √(E ξ⁸ − κ²) with E ξ⁸ = 105 (gaussian), 81/9 (uniform), 1.
      const m8 = law === 'gaussian' ? 105 : law === 'uniform' ? 9 : 1;
      expect(Math.abs(m2 - 1)).toBeLessThanOrEqual(5 * Math.sqrt((kappa - 1) / n));
      expect(Math.abs(m4 - kappa)).toBeLessThanOrEqual(5 * Math.sqrt((m8 - kappa * kappa) / n));
    }
  });
});
