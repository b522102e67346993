import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/random/rng.js';
import { drawPerturbation } from '../../src/synapse/perturbation.js';
import {
  CdmaCode, hadamardEntry, hadamardOrder, TdmaCode, WalshCode, type PerturbationCode,
} from '../../src/synapse/codes.js';
import { FdmaCode, fdmaPlanProblem, secondOrderCollisions } from '../../src/synapse/fdma.js';
import { makeCode } from '../../src/synapse/code-factory.js';
import { InputError } from '../../src/errors.js';

/** E(w) = g·w + ½ wᵀHw with a dense random symmetric H; its gradient at w is g + Hw exactly. */
function quadratic(n: number, seed: number) {
  const rng = new Rng(seed);
  const g = rng.fillGaussian(new Float64Array(n));
  const h = new Float64Array(n * n);
  for (let a = 0; a < n; a++) for (let b = 0; b <= a; b++) h[a * n + b] = h[b * n + a] = rng.gaussian();
  const w0 = rng.fillGaussian(new Float64Array(n));
  const energy = (w: Float64Array): number => {
    let e = 0;
    for (let a = 0; a < n; a++) {
      let hw = 0;
      for (let b = 0; b < n; b++) hw += h[a * n + b] * w[b];
      e += g[a] * w[a] + 0.5 * w[a] * hw;
    }
    return e;
  };
  const grad = new Float64Array(n);
  for (let a = 0; a < n; a++) {
    let hw = 0;
    for (let b = 0; b < n; b++) hw += h[a * n + b] * w0[b];
    grad[a] = g[a] + hw;
  }
  return { energy, grad, h, w0 };
}

/**
 * Runs the correlation estimator ĝ_i = Σ_t c_i(t) ΔE(t) / Σ_t c_i(t)² for `steps` steps, with
 * ΔE the odd part ½(E(w+c) − E(w−c)) (antithetic) or the one-sided E(w+c) − E(w).
 */
function correlate(
  code: PerturbationCode, energy: (w: Float64Array) => number, w0: Float64Array, steps: number, antithetic: boolean,
): Float64Array {
  const n = code.size;
  const c = new Float64Array(n);
  const wp = new Float64Array(n);
  const wm = new Float64Array(n);
  const num = new Float64Array(n);
  const den = new Float64Array(n);
  const e0 = energy(w0);
  for (let t = 0; t < steps; t++) {
    code.fill(t, c);
    for (let i = 0; i < n; i++) {
      wp[i] = w0[i] + c[i];
      wm[i] = w0[i] - c[i];
    }
    const dE = antithetic ? 0.5 * (energy(wp) - energy(wm)) : energy(wp) - e0;
    for (let i = 0; i < n; i++) {
      num[i] += c[i] * dE;
      den[i] += c[i] * c[i];
    }
  }
  for (let i = 0; i < n; i++) num[i] /= den[i];
  return num;
}

function relErr(a: Float64Array, b: Float64Array): number {
  let d = 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i] - b[i]) ** 2;
    s += b[i] ** 2;
  }
  return Math.sqrt(d / s);
}

describe('walsh', () => {
  it('H[r][t] = (−1)^popcount(r & t) is the Sylvester matrix H_2N = [[H, H], [H, −H]]', () => {
    let h = [[1]];
    while (h.length < 64) h = [...h.map((row) => [...row, ...row]), ...h.map((row) => [...row, ...row.map((x) => -x)])];
    for (let r = 0; r < 64; r++) for (let t = 0; t < 64; t++) expect(hadamardEntry(r, t)).toBe(h[r][t]);
  });

  it('order is the next power of two above n; rows are distinct, never 0, from a seeded shuffle', () => {
    expect([1, 2, 3, 4, 7, 8, 100].map(hadamardOrder)).toEqual([2, 4, 4, 8, 8, 16, 128]);
    for (const n of [1, 7, 8, 100]) {
      const code = new WalshCode(n, 1, new Rng(5));
      const rows = [...code.rows];
      expect(new Set(rows).size).toBe(n);
      expect(Math.min(...rows)).toBeGreaterThanOrEqual(1);
      expect(Math.max(...rows)).toBeLessThan(code.period ?? 0);
      expect([...new WalshCode(n, 1, new Rng(5)).rows]).toEqual(rows);
    }
    expect([...new WalshCode(100, 1, new Rng(6)).rows]).not.toEqual([...new WalshCode(100, 1, new Rng(5)).rows]);
  });

  it('codes are orthogonal over one period, mean zero, ±σ, and value(i, t) agrees with fill(t)', () => {
    const n = 13;
    const sigma = 0.25;
    const code = new WalshCode(n, sigma, new Rng(9));
    const N = code.period ?? 0;
    expect(N).toBe(16);
    const c = new Float64Array(n);
    const gram = new Float64Array(n * n);
    const mean = new Float64Array(n);
    for (let t = 0; t < N; t++) {
      code.fill(t, c);
      for (let i = 0; i < n; i++) {
        expect(Math.abs(c[i])).toBe(sigma);
        expect(code.value(i, t)).toBe(c[i]);
        expect(code.value(i, t + 3 * N)).toBe(c[i]);
        mean[i] += c[i];
        for (let j = 0; j < n; j++) gram[i * n + j] += c[i] * c[j];
      }
    }
    for (let i = 0; i < n; i++) {
      expect(mean[i]).toBe(0);
      for (let j = 0; j < n; j++) expect(gram[i * n + j]).toBe(i === j ? N * sigma * sigma : 0);
    }
  });

  it('with antithetic pairs recovers the exact gradient of a quadratic after one period (rel. err ≤ 1e-10)', () => {
    for (const n of [1, 5, 16, 37]) {
      const { energy, grad, w0 } = quadratic(n, 100 + n);
      const code = new WalshCode(n, 1e-3, new Rng(n));
      const estimate = correlate(code, energy, w0, code.period ?? 0, true);
      expect(relErr(estimate, grad)).toBeLessThanOrEqual(1e-10);
      // Half a period is not enough: the codes are not yet orthogonal.
      if (n > 1) expect(relErr(correlate(new WalshCode(n, 1e-3, new Rng(n)), energy, w0, (code.period ?? 0) / 2, true), grad)).toBeGreaterThan(1e-3);
    }
  });
});

describe('tdma', () => {
  /** A non-quadratic energy, so that the central difference differs from the gradient by O(σ²). */
  const n = 6;
  const energy = (w: Float64Array): number => {
    let e = 0;
    for (let i = 0; i < n; i++) e += Math.tanh(w[i] * (i + 1)) + w[i] * w[(i + 1) % n] ** 2;
    return e;
  };
  const w0 = Float64Array.from({ length: n }, (_, i) => 0.3 * Math.sin(i + 1));
  const sigma = 1e-2;
  const central = Float64Array.from({ length: n }, (_, i) => {
    const wp = Float64Array.from(w0);
    const wm = Float64Array.from(w0);
    wp[i] += sigma;
    wm[i] -= sigma;
    return (energy(wp) - energy(wm)) / (2 * sigma);
  });

  it('perturbs one synapse per step, round robin, +σ on even sweeps and −σ on odd ones', () => {
    const code = new TdmaCode(n, sigma);
    const c = new Float64Array(n);
    for (let t = 0; t < 3 * n; t++) {
      code.fill(t, c);
      for (let i = 0; i < n; i++) {
        expect(c[i]).toBe(i === t % n ? (Math.floor(t / n) % 2 === 0 ? sigma : -sigma) : 0);
        expect(code.value(i, t)).toBe(c[i]);
      }
    }
  });

  it('after n antithetic steps, or 2n one-sided steps, equals the central-difference gradient', () => {
    const a = correlate(new TdmaCode(n, sigma), energy, w0, n, true);
    const b = correlate(new TdmaCode(n, sigma), energy, w0, 2 * n, false);
    for (let i = 0; i < n; i++) {
      expect(Math.abs(a[i] - central[i])).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(central[i])));
      expect(Math.abs(b[i] - central[i])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(central[i])));
    }
    // It is the central difference, not the gradient: they differ by O(σ²) here.
    const exact = Float64Array.from({ length: n }, (_, i) =>
      (i + 1) / Math.cosh(w0[i] * (i + 1)) ** 2 + w0[(i + 1) % n] ** 2 + 2 * w0[(i + n - 1) % n] * w0[i]);
    expect(relErr(a, exact)).toBeGreaterThan(1e-6);
    expect(relErr(a, exact)).toBeLessThan(1e-2);
  });
});

describe('cdma', () => {
  it('with ρ = 1 reproduces the Rademacher draws byte for byte', () => {
    const n = 37;
    const code = new CdmaCode(n, 0.3, 1, new Rng(2024));
    const rng = new Rng(2024);
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    for (let t = 0; t < 50; t++) {
      code.fill(t, a);
      drawPerturbation('rademacher', 0.3, rng, b);
      expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
      expect(code.value(5, t)).toBe(b[5]);
    }
    // The streams stay in step afterwards too.
    expect(new Rng(2024).nextU32()).not.toBe(rng.nextU32());
  });

  it('with ρ < 1 perturbs a fraction ρ by ±σ/√ρ, so E Δw² = σ² (within binomial standard errors)', () => {
    const n = 50;
    const rho = 0.2;
    const sigma = 0.5;
    const steps = 2000;
    const code = new CdmaCode(n, sigma, rho, new Rng(7));
    const c = new Float64Array(n);
    let active = 0;
    let plus = 0;
    let square = 0;
    for (let t = 0; t < steps; t++) {
      code.fill(t, c);
      for (let i = 0; i < n; i++) {
        if (c[i] === 0) continue;
        expect(Math.abs(c[i])).toBe(sigma / Math.sqrt(rho));
        active++;
        if (c[i] > 0) plus++;
        square += c[i] * c[i];
      }
    }
    const draws = n * steps;
    expect(Math.abs(active / draws - rho)).toBeLessThan(4 * Math.sqrt((rho * (1 - rho)) / draws));
    expect(Math.abs(plus / active - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / active));
    // Δw² = σ²/ρ with probability ρ: E = σ², sd of the mean = σ² √((1−ρ)/(ρ·draws)).
    expect(Math.abs(square / draws - sigma ** 2)).toBeLessThan(4 * sigma ** 2 * Math.sqrt((1 - rho) / (rho * draws)));
  });

  it('is a stream: steps must be filled in order', () => {
    const code = new CdmaCode(3, 1, 1, new Rng(1));
    const c = new Float64Array(3);
    expect(() => code.fill(1, c)).toThrow(/stream/);
    code.fill(0, c);
    expect(() => code.value(0, 1)).toThrow(/stream/);
  });
});

describe('fdma', () => {
  // Band 100 … 170 Hz in 8 steps of Δf = 10 Hz, dt = 1 ms: fMax < 2fMin and 3fMax < 1/dt.
  const clean = { n: 8, fMin: 100, fMax: 170, dt: 1e-3 };

  it('deals an evenly spaced band by a seeded shuffle, with seeded phases, mean square σ²', () => {
    const code = new FdmaCode(clean.n, 0.1, clean.fMin, clean.fMax, clean.dt, new Rng(3));
    expect([...code.frequencies].sort((a, b) => a - b).map((f) => Math.round(f * 1e6) / 1e6)).toEqual([100, 110, 120, 130, 140, 150, 160, 170]);
    expect([...code.frequencies]).not.toEqual([100, 110, 120, 130, 140, 150, 160, 170]);
    expect([...new FdmaCode(clean.n, 0.1, clean.fMin, clean.fMax, clean.dt, new Rng(3)).phases]).toEqual([...code.phases]);
    expect(code.period).toBe(100);
    const c = new Float64Array(clean.n);
    const square = new Float64Array(clean.n);
    for (let t = 0; t < 100; t++) {
      code.fill(t, c);
      for (let i = 0; i < clean.n; i++) {
        expect(code.value(i, t)).toBe(c[i]);
        expect(c[i]).toBeCloseTo(0.1 * Math.SQRT2 * Math.sin(2 * Math.PI * code.frequencies[i] * t * clean.dt + code.phases[i]), 12);
        square[i] += c[i] * c[i];
      }
    }
    for (let i = 0; i < clean.n; i++) expect(square[i] / 100).toBeCloseTo(0.01, 14);
  });

  it('over whole periods of the beat frequencies recovers the exact gradient (rel. err ≤ 1e-10)', () => {
    const { energy, grad, w0 } = quadratic(clean.n, 77);
    for (const periods of [1, 2, 3]) {
      const code = new FdmaCode(clean.n, 1e-3, clean.fMin, clean.fMax, clean.dt, new Rng(11));
      expect(relErr(correlate(code, energy, w0, periods * 100, true), grad)).toBeLessThanOrEqual(1e-10);
    }
  });

  /**
   * Over T steps that are not whole beat periods, ĝ_i − g_i = Σ_{j≠i} g_j S_ij / S_ii with
   * |S_ij| ≤ σ²(1/|sin π(f_i−f_j)dt| + 1/|sin π(f_i+f_j)dt|) and S_ii ≥ σ²(T − 1/|sin 2πf_i dt|)
   * (docs/theory.md, "Perturbation codes").
   */
  it('over any T the error stays within the derived leakage bound, which falls as 1/T', () => {
    const { energy, grad, w0 } = quadratic(clean.n, 78);
    let previousWorst = Infinity;
    for (const T of [37, 151, 1013, 5003]) {
      const code = new FdmaCode(clean.n, 1e-3, clean.fMin, clean.fMax, clean.dt, new Rng(12));
      const estimate = correlate(code, energy, w0, T, true);
      const f = code.frequencies;
      let worstRatio = 0;
      for (let i = 0; i < clean.n; i++) {
        let leak = 0;
        for (let j = 0; j < clean.n; j++) {
          if (j === i) continue;
          leak += Math.abs(grad[j]) * (1 / Math.abs(Math.sin(Math.PI * (f[i] - f[j]) * clean.dt))
            + 1 / Math.abs(Math.sin(Math.PI * (f[i] + f[j]) * clean.dt)));
        }
        const bound = leak / (T - 1 / Math.abs(Math.sin(2 * Math.PI * f[i] * clean.dt)));
        expect(Math.abs(estimate[i] - grad[i])).toBeLessThanOrEqual(bound + 1e-10);
        worstRatio = Math.max(worstRatio, Math.abs(estimate[i] - grad[i]));
      }
      expect(worstRatio).toBeLessThan(previousWorst);
      previousWorst = worstRatio;
    }
  });

  it('an octave-free, alias-free band has no second-order intermodulation: one-sided ΔE is exact too', () => {
    expect(fdmaPlanProblem(clean.n, clean.fMin, clean.fMax, clean.dt)).toBeNull();
    const code = new FdmaCode(clean.n, 1e-2, clean.fMin, clean.fMax, clean.dt, new Rng(4));
    expect(secondOrderCollisions(code)).toEqual([]);
    const { energy, grad, w0 } = quadratic(clean.n, 79);
    expect(relErr(correlate(code, energy, w0, 100, false), grad)).toBeLessThanOrEqual(1e-10);
  });

  /**
   * Band 10 … 80 Hz (wider than an octave): differences f_j − f_k and sums f_j + f_k fall on
   * code frequencies. On a quadratic the one-sided estimate is then biased by exactly the
   * trigonometric prediction Σ_t c_i c_j c_k: with c = σ√2 sin(θ t + φ) and
   * sin A sin B sin C = ¼[sin(A+B−C) + sin(A−B+C) + sin(B+C−A) − sin(A+B+C)], a period sum keeps
   * T sin(phase) of every combination whose frequency is 0 mod 1/dt.
   */
  it('a band wider than an octave has collisions that bias one-sided ΔE by the predicted amount', () => {
    const n = 8;
    const dt = 1e-3;
    const sigma = 1e-2;
    expect(fdmaPlanProblem(n, 10, 80, dt)).toMatch(/2·fMin/);
    const code = new FdmaCode(n, sigma, 10, 80, dt, new Rng(4));
    const hits = secondOrderCollisions(code);
    expect(hits.length).toBeGreaterThan(0);
    for (const hit of hits) {
      const [fi, fj, fk] = [code.frequencies[hit.i], code.frequencies[hit.j], code.frequencies[hit.k]];
      expect(hit.kind === 'sum' ? fj + fk : Math.abs(fj - fk)).toBeCloseTo(fi, 9);
    }
    const { energy, grad, h, w0 } = quadratic(n, 80);
    const T = code.period ?? 0;
    expect(T).toBe(100);
    const estimate = correlate(code, energy, w0, T, false);
    // Integer frequency indices m = f/Δf make "frequency ≡ 0 mod 1/dt" exact: m ≡ 0 mod T.
    const m = Array.from(code.frequencies, (f) => Math.round(f / 10));
    const ph = code.phases;
    const amp = sigma * Math.SQRT2;
    const hitSynapses = new Set(hits.map((x) => x.i));
    for (let i = 0; i < n; i++) {
      let third = 0; // Σ_t c_i ½ Σ_jk H_jk c_j c_k
      for (let j = 0; j < n; j++) {
        for (let k = 0; k < n; k++) {
          const combos: [number, number, number][] = [
            [m[i] + m[j] - m[k], ph[i] + ph[j] - ph[k], 1],
            [m[i] - m[j] + m[k], ph[i] - ph[j] + ph[k], 1],
            [-m[i] + m[j] + m[k], -ph[i] + ph[j] + ph[k], 1],
            [m[i] + m[j] + m[k], ph[i] + ph[j] + ph[k], -1],
          ];
          let s = 0;
          for (const [freq, phase, sign] of combos) if (((freq % T) + T) % T === 0) s += sign * T * Math.sin(phase);
          third += 0.5 * h[j * n + k] * amp ** 3 * 0.25 * s;
        }
      }
      const predictedBias = third / (T * sigma * sigma);
      expect(Math.abs(estimate[i] - grad[i] - predictedBias)).toBeLessThanOrEqual(1e-9);
      if (hitSynapses.has(i)) expect(Math.abs(predictedBias)).toBeGreaterThan(1e-4);
      else expect(Math.abs(predictedBias)).toBeLessThan(1e-12);
    }
  });

  it('a band whose sums alias back into it past 1/dt is reported and has collisions', () => {
    // 200 … 380 Hz at 1 kHz: octave-free, but 1000 − (f_j + f_k) reaches down to 240 Hz.
    expect(fdmaPlanProblem(10, 200, 380, 1e-3)).toMatch(/alias/);
    expect(secondOrderCollisions(new FdmaCode(10, 1, 200, 380, 1e-3, new Rng(1))).length).toBeGreaterThan(0);
  });
});

describe('makeCode', () => {
  it('builds each code and rejects bad fields naming them', () => {
    const rng = new Rng(1);
    expect(makeCode({ name: 'tdma' }, 4, 0.1, rng).name).toBe('tdma');
    expect(makeCode({ name: 'walsh' }, 4, 0.1, rng).period).toBe(8);
    expect(makeCode({ name: 'cdma', rho: 0.5 }, 4, 0.1, rng).name).toBe('cdma');
    expect(makeCode({ name: 'fdma', fMin: 100, fMax: 170, dt: 1e-3 }, 8, 0.1, rng).period).toBe(100);
    const bad: [Parameters<typeof makeCode>, RegExp][] = [
      [[{ name: 'cdma', rho: 0 }, 4, 0.1, rng], /perturbation\.rho: must lie in \(0, 1\]; got 0/],
      [[{ name: 'cdma', rho: 1.5 }, 4, 0.1, rng], /perturbation\.rho/],
      [[{ name: 'tdma' }, 4, -1, rng], /perturbation\.sigma: must be a finite number > 0; got -1/],
      [[{ name: 'fdma', fMin: 100, fMax: 170, dt: 0 }, 8, 0.1, rng], /chip\.dt/],
      [[{ name: 'fdma', fMin: 0, fMax: 170, dt: 1e-3 }, 8, 0.1, rng], /perturbation\.fMin/],
      [[{ name: 'fdma', fMin: 100, fMax: 100, dt: 1e-3 }, 8, 0.1, rng], /perturbation\.fMax: must exceed fMin/],
      [[{ name: 'fdma', fMin: 100, fMax: 600, dt: 1e-3 }, 8, 0.1, rng], /Nyquist/],
    ];
    for (const [args, pattern] of bad) {
      expect(() => makeCode(...args)).toThrow(InputError);
      expect(() => makeCode(...args)).toThrow(pattern);
    }
  });
});

describe('makeCode: every rule, its whole message (field, rule, value), and the edges it accepts', () => {
  const rng = (): Rng => new Rng(1);
  const fd = (fMin: number, fMax: number, dt: number) => ({ name: 'fdma' as const, fMin, fMax, dt });
  it('rejects each bad field with one exact line', () => {
    const cases: [Parameters<typeof makeCode>, string][] = [
      [[{ name: 'tdma' }, 0, 0.1, rng()], 'synapses: must be a positive integer; got 0'],
      [[{ name: 'tdma' }, 2.5, 0.1, rng()], 'synapses: must be a positive integer; got 2.5'],
      [[{ name: 'tdma' }, 4, 0, rng()], 'perturbation.sigma: must be a finite number > 0; got 0'],
      [[{ name: 'tdma' }, 4, Infinity, rng()], 'perturbation.sigma: must be a finite number > 0; got Infinity'],
      [[{ name: 'cdma', rho: 1.5 }, 4, 0.1, rng()], 'perturbation.rho: must lie in (0, 1]; got 1.5'],
      [[fd(100, 170, 0), 8, 0.1, rng()], 'chip.dt: must be a finite number of seconds > 0; got 0'],
      [[fd(100, 170, Infinity), 8, 0.1, rng()], 'chip.dt: must be a finite number of seconds > 0; got Infinity'],
      [[fd(-5, 170, 1e-3), 8, 0.1, rng()], 'perturbation.fMin: must be a finite frequency > 0 Hz; got -5'],
      [[fd(Infinity, 170, 1e-3), 8, 0.1, rng()], 'perturbation.fMin: must be a finite frequency > 0 Hz; got Infinity'],
      [[fd(100, 90, 1e-3), 8, 0.1, rng()], 'perturbation.fMax: must be finite and ≥ fMin (100 Hz); got 90'],
      [[fd(100, Infinity, 1e-3), 8, 0.1, rng()], 'perturbation.fMax: must be finite and ≥ fMin (100 Hz); got Infinity'],
      [[fd(100, 100, 1e-3), 8, 0.1, rng()], 'perturbation.fMax: must exceed fMin (100 Hz) to give 8 distinct frequencies; got 100'],
      [[fd(100, 500, 1e-3), 8, 0.1, rng()], 'perturbation.fMax: must lie below the Nyquist frequency 1/(2·chip.dt) = 500 Hz; got 500'],
    ];
    for (const [args, message] of cases) {
      let caught: unknown = null;
      try {
        makeCode(...args);
      } catch (e) {
        caught = e;
      }
      expect(caught, message).toBeInstanceOf(InputError);
      expect((caught as Error).message).toBe(message);
    }
  });

  it('accepts the edges of each rule: one synapse, ρ = 1, a single fdma frequency fMax = fMin, fMax just below Nyquist', () => {
    expect(makeCode({ name: 'tdma' }, 1, 0.1, rng()).size).toBe(1);
    expect(makeCode({ name: 'cdma', rho: 1 }, 4, 0.1, rng()).name).toBe('cdma');
    expect(makeCode(fd(100, 100, 1e-3), 1, 0.1, rng()).period).toBe(1);
    expect(makeCode(fd(100, 499.9, 1e-3), 8, 0.1, rng()).name).toBe('fdma');
    const walsh = makeCode({ name: 'walsh' }, 5, 0.1, rng());
    expect([walsh.name, walsh.size, walsh.sigma]).toEqual(['walsh', 5, 0.1]);
  });
});

/**
 * The codes' draws from the perturbation stream, step by step, against the rules of
 * src/synapse/codes.ts and fdma.ts written out here: which numbers a code takes from the stream
 * and in what order (same seed ⇒ same bytes, docs/formats.md, "Random streams"), and its mean
 * square per step.
 */
describe('codes: stream draws and mean squares, as documented', () => {
  /** Fisher–Yates from the top down, one rng.int(k + 1) per swap. */
  function referenceShuffle<T>(a: T[], rng: Rng): T[] {
    for (let k = a.length - 1; k > 0; k--) {
      const j = rng.int(k + 1);
      [a[k], a[j]] = [a[j], a[k]];
    }
    return a;
  }

  it('mean squares: σ²/n for tdma, σ² for cdma, walsh and fdma', () => {
    const s = 0.3;
    expect(new TdmaCode(6, s).meanSquare).toBe((s * s) / 6);
    expect(new CdmaCode(6, s, 0.25, new Rng(1)).meanSquare).toBe(s * s);
    expect(new WalshCode(6, s, new Rng(1)).meanSquare).toBe(s * s);
    expect(new FdmaCode(6, s, 100, 150, 1e-3, new Rng(1)).meanSquare).toBe(s * s);
  });

  it('walsh rows: a top-down Fisher–Yates shuffle of 1 … N−1 (N − 2 draws), the first n kept', () => {
    const rng = new Rng(31);
    const code = new WalshCode(5, 1, rng);
    const ref = new Rng(31);
    const pool = referenceShuffle([1, 2, 3, 4, 5, 6, 7], ref);
    expect([...code.rows]).toEqual(pool.slice(0, 5));
    expect(rng.nextU32()).toBe(ref.nextU32());
  });

  it('fdma: the band dealt by the same shuffle, then one phase 2π·uniform per synapse, and nothing more from the stream', () => {
    const rng = new Rng(32);
    const code = new FdmaCode(6, 1, 100, 150, 1e-3, rng);
    const ref = new Rng(32);
    const band = referenceShuffle([100, 110, 120, 130, 140, 150], ref);
    expect([...code.frequencies]).toEqual(band);
    expect([...code.phases]).toEqual(band.map(() => 2 * Math.PI * ref.uniform()));
    expect(rng.nextU32()).toBe(ref.nextU32());
    const one = new FdmaCode(1, 1, 100, 100, 1e-3, new Rng(3));
    expect([[...one.frequencies], one.period]).toEqual([[100], 1]);
  });

  it('cdma with ρ < 1: one word u per synapse in index order; active iff (u >>> 1) < ρ·2³¹ (strictly), sign − iff bit 0 is 0', () => {
    const rho = 0.3;
    const code = new CdmaCode(7, 0.5, rho, new Rng(44));
    const ref = new Rng(44);
    const a = 0.5 / Math.sqrt(rho);
    const out = new Float64Array(7);
    for (let t = 0; t < 20; t++) {
      code.fill(t, out);
      const expected = Array.from({ length: 7 }, () => {
        const u = ref.nextU32();
        return (u >>> 1) < rho * 2 ** 31 ? ((u & 1) === 0 ? -a : a) : 0;
      });
      expect([...out]).toEqual(expected);
    }
    // The boundary word: (u >>> 1) = ρ·2³¹ exactly is inactive. A stream that returns chosen words.
    const words = [2 ** 30 * 2, 2 ** 30 * 2 - 2, 2 ** 30 * 2 - 1];
    const fake = { nextU32: () => words.shift() as number } as unknown as Rng;
    expect([...new CdmaCode(3, 1, 0.5, fake).fill(0, new Float64Array(3))]).toEqual([0, -1 / Math.sqrt(0.5), 1 / Math.sqrt(0.5)]);
  });

  it('walsh refuses more than 2^29 synapses (order above 2^30) before allocating anything', () => {
    expect(() => new WalshCode(2 ** 30, 1, new Rng(1))).toThrow('perturbation.code: walsh needs fewer than 2^30 synapses; got 1073741824');
  });
});

describe('fdma: the common period and the band checks, case by case', () => {
  const period = (n: number, fMin: number, fMax: number, dt: number): number | null => new FdmaCode(n, 1, fMin, fMax, dt, new Rng(1)).period;

  it('T = 1/(Δf·dt) when that is an integer (to 1e-9), 2fMin/Δf is one and 2fMax·dt < 1; else none', () => {
    expect(period(8, 100, 170, 1e-3)).toBe(100);
    expect(period(1, 100, 100, 1e-3)).toBe(1);
    // 1/(Δf dt) = 90.9…: not an integer.
    expect(period(8, 100, 170, 1.1e-3)).toBeNull();
    // 2fMin/Δf = 20.5.
    expect(period(8, 102.5, 172.5, 1e-3)).toBeNull();
    // 2fMax·dt = 1 exactly: not below; 0.98 is.
    expect(period(8, 430, 500, 1e-3)).toBeNull();
    expect(period(8, 420, 490, 1e-3)).toBe(100);
    // 2fMin/Δf = 10000 + 5e-7: an integer to 1e-9 relative (not absolute).
    expect(period(8, 50000.0000025, 50070.0000025, 1e-6)).toBe(100000);
    // 2fMin/Δf = 10000 + 2e-4: not one.
    expect(period(8, 50000.001, 50070.001, 1e-6)).toBeNull();
  });

  it('fdmaPlanProblem: none for one synapse or an octave-free, alias-free band; else the first rule broken, in words', () => {
    expect(fdmaPlanProblem(1, 10, 80, 1e-3)).toBeNull();
    expect(fdmaPlanProblem(2, 10, 80, 1e-3)).toBe('fMax (80 Hz) is not below 2·fMin (20 Hz): sum or difference frequencies land in the band');
    expect(fdmaPlanProblem(2, 100, 200, 1e-3)).toMatch(/^fMax \(200 Hz\) is not below 2·fMin \(200 Hz\)/);
    expect(fdmaPlanProblem(2, 200, 380, 1e-3)).toBe('3·fMax (1140 Hz) is not below the step rate 1/dt (1000 Hz): aliased sum frequencies land in the band');
    expect(fdmaPlanProblem(2, 200, 1000 / 3, 1e-3)).toMatch(/^3·fMax/);
    expect(fdmaPlanProblem(2, 200, 333, 1e-3)).toBeNull();
  });

  it('secondOrderCollisions: every j ≤ k whose folded sum or difference is within tol·max(1, f_i) of a folded f_i', () => {
    // An uneven grid so that the tolerance matters: at tol = 0.02, 10 Hz bands collide within ±2%;
    // and a band near 0 Hz, where a product with itself (f_j − f_j = 0) would be within tol of f_i.
    const codes = [new FdmaCode(6, 1, 10.3, 61.3, 1e-2, new Rng(8)), new FdmaCode(4, 1, 0.05, 0.35, 0.1, new Rng(8))];
    for (const [code, tol] of codes.flatMap((c) => [1e-9, 0.02, 0.2].map((t) => [c, t] as const))) {
      const f = [...code.frequencies];
      const n = code.size;
      const rate = 1 / code.dt;
      const fold = (x: number): number => {
        const r = ((x % rate) + rate) % rate;
        return r <= rate / 2 ? r : rate - r;
      };
      const expected: { j: number; k: number; i: number; kind: 'sum' | 'difference' }[] = [];
      for (let j = 0; j < n; j++) {
        for (let k = j; k < n; k++) {
          for (let i = 0; i < n; i++) {
            const fi = fold(f[i]);
            if (Math.abs(fold(f[j] + f[k]) - fi) <= tol * Math.max(1, fi)) expected.push({ j, k, i, kind: 'sum' });
            if (j !== k && Math.abs(fold(Math.abs(f[j] - f[k])) - fi) <= tol * Math.max(1, fi)) expected.push({ j, k, i, kind: 'difference' });
          }
        }
      }
      expect(secondOrderCollisions(code, tol), `n ${n}, tol ${tol}`).toEqual(expected);
      if (code === codes[0] && tol === 0.02) expect(expected.length).toBeGreaterThan(0);
    }
  });
});
