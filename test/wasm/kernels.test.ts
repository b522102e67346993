import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { instantiateKernels, type WasmKernels } from '../../src/wasm/kernels.js';
import { activation } from '../../src/nets/activations.js';
import { loss } from '../../src/nets/losses.js';
import { Rng } from '../../src/random/rng.js';
import { relErr } from '../../src/linalg/blas1.js';

/** Kernels with a 1 MiB heap and a bump allocator over it (byte addresses, 16-aligned). */
function setup(): { k: WasmKernels; heap: Float64Array; put: (values: ArrayLike<number>) => number; alloc: (n: number) => number } {
  const k = instantiateKernels(1 << 20);
  const heap = new Float64Array(k.memory.buffer);
  let top = 0;
  const alloc = (n: number): number => {
    const at = top;
    top += Math.ceil(n / 2) * 16;
    return at;
  };
  const put = (values: ArrayLike<number>): number => {
    const at = alloc(values.length);
    heap.set(values, at / 8);
    return at;
  };
  return { k, heap, put, alloc };
}

const read = (heap: Float64Array, at: number, n: number): Float64Array => heap.slice(at / 8, at / 8 + n);

/**
 * |a − b| within `ulps` units in the last place of the larger (or both NaN). Subnormal results
 * carry fewer significant bits, so there the bound is `ulps` times the smallest subnormal.
 */
function closeUlps(a: number, b: number, ulps: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return Math.abs(a - b) <= ulps * Math.max(scale * Number.EPSILON, 5e-324);
}

/** Points where the formulas switch branch, saturate, go subnormal or break, and random ones. */
function activationPoints(): number[] {
  const special = [
    0, 5e-324, 1e-300, 1e-8, 0.3, 0.6249999999999999, 0.625, 1, 1.2499999999999998, 1.25, 3, 10, 19,
    25, 300, 354, 360, 372, 400, 745, 1e300, Number.POSITIVE_INFINITY,
  ];
  const rng = new Rng(77);
  const random = Array.from({ length: 4000 }, () => 10 ** (rng.uniform() * 6 - 4));
  const all = [...special, ...random].flatMap((x) => [x, -x]);
  all.push(Number.NaN, -0);
  if (all.length % 2 === 1) all.push(0.5);
  return all;
}

describe('wasm activation kernels', () => {
  const kernelOf = (k: WasmKernels, name: 'tanh' | 'logistic' | 'softplus') =>
    ({ tanh: k.tanh_derivatives, logistic: k.logistic_derivatives, softplus: k.softplus_derivatives })[name];
  for (const name of ['tanh', 'logistic', 'softplus'] as const) {
    it(`${name}: y, σ', σ'' within a few ulps of the scalar Math-based formulas everywhere`, () => {
      const { k, heap, put, alloc } = setup();
      const xs = activationPoints();
      const n = xs.length;
      const x = put(xs);
      const [y, s1, s2] = [alloc(n), alloc(n), alloc(n)];
      kernelOf(k, name)(n, x, y, s1, s2, 1);
      const act = activation(name);
      const [Y, S1, S2] = [y, s1, s2].map((at) => read(heap, at, n));
      for (let i = 0; i < n; i++) {
        expect(closeUlps(Y[i], act.f(xs[i]), 4), `${name}(${xs[i]}) = ${Y[i]} vs ${act.f(xs[i])}`).toBe(true);
        expect(closeUlps(S1[i], act.d1(xs[i]), 8), `${name}'(${xs[i]}) = ${S1[i]} vs ${act.d1(xs[i])}`).toBe(true);
        expect(closeUlps(S2[i], act.d2(xs[i]), 16), `${name}''(${xs[i]}) = ${S2[i]} vs ${act.d2(xs[i])}`).toBe(true);
      }
    });
  }

  it('leaves σ\'\' untouched when it is not asked for', () => {
    const { k, heap, put, alloc } = setup();
    const x = put([0.1, 2]);
    const [y, s1] = [alloc(2), alloc(2)];
    const s2 = put([7, 7]);
    k.tanh_derivatives(2, x, y, s1, s2, 0);
    k.logistic_derivatives(2, x, y, s1, s2, 0);
    k.softplus_derivatives(2, x, y, s1, s2, 0);
    expect(Array.from(read(heap, s2, 2))).toEqual([7, 7]);
  });
});

/** Steps between two doubles of the same sign (0 when equal): the distance in units in the last place. */
function ulpSteps(a: number, b: number): number {
  const bits = new BigInt64Array(Float64Array.of(Math.abs(a), Math.abs(b)).buffer);
  return Math.abs(Number(bits[0] - bits[1]));
}

/**
 * x ≥ 0 and tanh x correctly rounded to double, from mpmath at 50 digits: special points (the
 * branch and reduction boundaries, saturation near 19.06), the 25 worst points of the old and the
 * current tanh_forward over a 400 000-point sweep, and 400 random points.
 */
const tanhReference = (JSON.parse(readFileSync(new URL('./tanh-reference.json', import.meta.url), 'utf8')) as { points: [number, number][] }).points;

describe('wasm tanh_forward', () => {
  it('is within 2 ulps of the correctly rounded tanh at the mpmath reference points, both signs', () => {
    // The kernel's error is at most 1.6 ulps of the exact tanh (docs/testing.md), correct
    // rounding adds at most ½: the distance is under 2.1 ulps, so at most 2 steps. (The previous
    // expm1 kernel's 2.6 ulps reached 3 steps at some of these points.)
    const { k, heap, put } = setup();
    const xs = tanhReference.flatMap(([x]) => [x, -x]);
    const at = put(xs);
    k.tanh_forward(xs.length, at, at);
    const ys = read(heap, at, xs.length);
    for (let i = 0; i < xs.length; i++) {
      const [x, want] = tanhReference[i >> 1];
      const wantSigned = i % 2 === 0 ? want : -want;
      expect(Math.sign(ys[i]), `sign of tanh(${xs[i]})`).toBe(Math.sign(wantSigned));
      expect(ulpSteps(ys[i], wantSigned), `tanh(${i % 2 === 0 ? x : -x}) = ${ys[i]} vs ${wantSigned}`).toBeLessThanOrEqual(2);
    }
  });

  it('keeps NaN, ±0 (with its sign), saturates to ±1 exactly and never leaves [−1, 1]', () => {
    const { k, heap, put } = setup();
    const special = [Number.NaN, 0, -0, Infinity, -Infinity, 19.1, -19.1, 40, 745, -1e300, 5e-324, -5e-324];
    const at = put(special);
    k.tanh_forward(special.length, at, at);
    const y = read(heap, at, special.length);
    expect(Number.isNaN(y[0])).toBe(true);
    expect(Object.is(y[1], 0)).toBe(true);
    expect(Object.is(y[2], -0)).toBe(true);
    expect(Array.from(y.subarray(3, 10))).toEqual([1, -1, 1, -1, 1, 1, -1]);
    expect(Array.from(y.subarray(10))).toEqual([5e-324, -5e-324]);
    // A dense sweep over [0, 25) (step 2.5e-4, within the 1 MiB heap): |y| ≤ 1, y non-decreasing.
    const n = 100_000;
    const sweep = put(Float64Array.from({ length: n }, (_, i) => (i * 25) / n));
    k.tanh_forward(n, sweep, sweep);
    const ys = read(heap, sweep, n);
    for (let i = 0; i < n; i++) {
      if (!(ys[i] <= 1 && (i === 0 || ys[i] >= ys[i - 1]))) expect.fail(`tanh(${(i * 25) / n}) = ${ys[i]} after ${ys[i - 1]}`);
    }
  });

  it('agrees with Math.tanh to 3 ε|y| on random points, with an odd number of pairs, in place or not', () => {
    // 1.6 ulps (the kernel) plus Math.tanh's own error, in the units of closeUlps (ε·|y|, up to 2
    // ulps for |y| < 1): 2.1 at most over a 400 000-point sweep.
    const { k, heap, put, alloc } = setup();
    const xs = activationPoints();
    const n = xs.length % 4 === 2 ? xs.length : xs.length - 2; // an odd number of pairs: the tail runs
    expect(n % 4).toBe(2);
    const x = put(xs.slice(0, n));
    const y = alloc(n);
    k.tanh_forward(n, x, y);
    const Y = read(heap, y, n);
    for (let i = 0; i < n; i++) {
      expect(closeUlps(Y[i], Math.tanh(xs[i]), 3), `tanh(${xs[i]}) = ${Y[i]} vs ${Math.tanh(xs[i])}`).toBe(true);
    }
    // In place gives the same bits, and the tail pair equals the same pair inside a block.
    k.tanh_forward(n, x, x);
    expect(Array.from(read(heap, x, n))).toEqual(Array.from(Y));
    const last = put(xs.slice(n - 2, n));
    k.tanh_forward(2, last, last);
    expect(Array.from(read(heap, last, 2))).toEqual(Array.from(Y.subarray(n - 2)));
  });
});

/**
 * x ∈ [−745.2, −37] and e^x correctly rounded to double, from mpmath at 50 digits: the subnormal
 * boundary and special points, the 25 worst points of the old and the current $exp_nonpos over a
 * 250 000-point sweep, and 300 random points.
 */
const expReference = (JSON.parse(readFileSync(new URL('./exp-reference.json', import.meta.url), 'utf8')) as { points: [number, number][] }).points;

describe('wasm exp (through logistic_forward)', () => {
  it('is within 1 ulp of the correctly rounded e^x for x ≤ −37, subnormal results included', () => {
    // logistic_forward's y = e/(1 + e) with e = e^x ($exp_nonpos2, the operations of $exp_nonpos
    // on two pairs) is e itself for x ≤ −37 (1 + e rounds to 1), so this reads the exp. Its error is at most 1 ulp of the exact e^x (0.84 for
    // x > −100; docs/testing.md), and correct rounding adds ½: at most 1 step. (The previous
    // Taylor kernel's 2.05 ulps reached 2 steps at some of these points.)
    const { k, heap, put } = setup();
    const xs = expReference.map(([x]) => x);
    if (xs.length % 2 === 1) xs.push(-50);
    const at = put(xs);
    k.logistic_forward(xs.length, at, at);
    const ys = read(heap, at, xs.length);
    expReference.forEach(([x, want], i) => {
      expect(ulpSteps(ys[i], want), `e^${x} = ${ys[i]} vs ${want}`).toBeLessThanOrEqual(1);
    });
  });
});

describe('wasm logistic_forward', () => {
  it("equals logistic_derivatives' y bit for bit, with an odd and an even number of pairs, in place", () => {
    const { k, heap, put, alloc } = setup();
    const xs = activationPoints();
    for (const n of [xs.length - (xs.length % 4), xs.length - (xs.length % 4) - 2]) {
      const x = put(xs.slice(0, n));
      const [y, s1] = [alloc(n), alloc(n)];
      k.logistic_derivatives(n, x, y, s1, s1, 0);
      k.logistic_forward(n, x, x);
      expect(Array.from(read(heap, x, n))).toEqual(Array.from(read(heap, y, n)));
    }
  });
});

describe('wasm softmax cross-entropy kernel', () => {
  it('matches losses.ts (E, e_x, R{e_x}) for wide logit ranges and up to 40 classes', () => {
    const rng = new Rng(5);
    const js = loss('softmax-cross-entropy');
    for (const [classes, patterns, scale] of [[2, 2, 1], [3, 10, 5], [10, 6, 50], [40, 4, 1000]] as const) {
      const { k, heap, put, alloc } = setup();
      // Pattern-major data for losses.ts; feature-major (classes × patterns) for the kernel.
      const X = Float64Array.from({ length: patterns * classes }, () => scale * rng.gaussian());
      const RX = Float64Array.from({ length: patterns * classes }, () => rng.gaussian());
      const T = new Float64Array(patterns * classes);
      for (let p = 0; p < patterns; p++) {
        for (let c = 0; c < classes; c++) T[p * classes + c] = rng.uniform();
      }
      const featureMajor = (M: Float64Array): Float64Array =>
        Float64Array.from({ length: patterns * classes }, (_, i) => M[(i % patterns) * classes + Math.floor(i / patterns)]);
      const [x, rx, t] = [X, RX, T].map((M) => put(featureMajor(M)));
      const [dx, rdx] = [alloc(patterns * classes), alloc(patterns * classes)];
      const E = k.softmax_cross_entropy(patterns, classes, patterns, x, t, dx, rx, rdx);
      const [DX, RDX] = [new Float64Array(patterns * classes), new Float64Array(patterns * classes)];
      const Ejs = js.evaluate(patterns, classes, activation('linear'), X, T, 0, DX, RX, RDX);
      expect(Math.abs(E - Ejs)).toBeLessThanOrEqual(1e-14 * Math.abs(Ejs));
      expect(relErr(read(heap, dx, patterns * classes), featureMajor(DX))).toBeLessThan(1e-14);
      expect(relErr(read(heap, rdx, patterns * classes), featureMajor(RDX))).toBeLessThan(1e-14);
    }
  });

  it('takes ln z within 1 ulp of the correctly rounded ln n: equal logits over n classes give E = ln n', () => {
    // m = 0, e_k = 1, z = n: E = ln n for a one-hot target, probing the kernel's logarithm at
    // z = 2 … 200 (both halves of its mantissa range, eight binades) against ln n correctly
    // rounded (mpmath, test/wasm/log-reference.json). The kernel's error is at most 0.76 ulp
    // (docs/testing.md) and the reference's ½: at most 1 step.
    const reference = (JSON.parse(readFileSync(new URL('./log-reference.json', import.meta.url), 'utf8')) as { points: [number, number][] }).points;
    for (const [n, want] of reference) {
      const { k, put, alloc } = setup();
      const x = put(new Float64Array(2 * n));
      const t = put(Float64Array.from({ length: 2 * n }, (_, i) => (i === 0 || i === 1 ? 1 : 0)));
      const E = k.softmax_cross_entropy(2, n, 2, x, t, alloc(2 * n), -1, 0);
      expect(ulpSteps(E / 2, want), `n = ${n}: ${E / 2} vs ${want}`).toBeLessThanOrEqual(1);
    }
  });

  it('gives E = 0, e_x = 0, R{e_x} = 0 on a column with zero targets (the padding)', () => {
    const { k, heap, put, alloc } = setup();
    const x = put([3, -700, 1, 5]); // 2 classes × 2 patterns; pattern 1 has t = 0
    const t = put([1, 0, 0, 0]);
    const rx = put([1, 2, 3, 4]);
    const [dx, rdx] = [alloc(4), alloc(4)];
    const E = k.softmax_cross_entropy(2, 2, 2, x, t, dx, rx, rdx);
    expect(E).toBeCloseTo(Math.log1p(Math.exp(-2)), 15);
    const [DX, RDX] = [read(heap, dx, 4), read(heap, rdx, 4)];
    for (const value of [DX[1], DX[3], RDX[1], RDX[3]]) expect(value === 0).toBe(true); // ±0
  });
});

describe('wasm product kernels', () => {
  const rng = new Rng(9);
  const gaussian = (n: number): Float64Array => Float64Array.from({ length: n }, () => rng.gaussian());

  it('gemm_nn computes (acc ? C : 0) + bias 1ᵀ + A B for odd and even row counts', () => {
    for (const [m, n, kk] of [[1, 8, 1], [3, 8, 10], [10, 16, 4], [7, 24, 3]] as const) {
      for (const acc of [0, 1]) {
        for (const withBias of [false, true]) {
          const { k, heap, put } = setup();
          const [A, B, C0, bias] = [gaussian(m * kk), gaussian(kk * n), gaussian(m * n), gaussian(m)];
          const c = put(C0);
          k.gemm_nn(m, n, kk, put(A), kk, put(B), n, c, n, acc, withBias ? put(bias) : -1);
          const want = new Float64Array(m * n);
          for (let i = 0; i < m; i++) {
            for (let j = 0; j < n; j++) {
              let s = (acc ? C0[i * n + j] : 0) + (withBias ? bias[i] : 0);
              for (let p = 0; p < kk; p++) s += A[i * kk + p] * B[p * n + j];
              want[i * n + j] = s;
            }
          }
          expect(relErr(read(heap, c, m * n), want)).toBeLessThan(1e-14);
        }
      }
    }
  });

  it('gemm_nt computes (acc ? C : 0) + A Bᵀ and row_sums the row sums', () => {
    for (const [m, n, kk] of [[1, 1, 4], [3, 5, 8], [10, 4, 152]] as const) {
      for (const acc of [0, 1]) {
        const { k, heap, put, alloc } = setup();
        const [A, B, C0] = [gaussian(m * kk), gaussian(n * kk), gaussian(m * n)];
        const a = put(A);
        const c = put(C0);
        k.gemm_nt(m, n, kk, a, kk, put(B), kk, c, n, acc);
        const want = new Float64Array(m * n);
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < n; j++) {
            let s = acc ? C0[i * n + j] : 0;
            for (let p = 0; p < kk; p++) s += A[i * kk + p] * B[j * kk + p];
            want[i * n + j] = s;
          }
        }
        expect(relErr(read(heap, c, m * n), want)).toBeLessThan(1e-14);
        const sums = alloc(m);
        k.row_sums(m, kk, a, kk, sums);
        const wantSums = Array.from({ length: m }, (_, i) => A.slice(i * kk, (i + 1) * kk).reduce((x, y) => x + y, 0));
        expect(relErr(read(heap, sums, m), Float64Array.from(wantSums))).toBeLessThan(1e-14);
      }
    }
  });

  it('mul and back_combine compute a ⊙ b and (σ′dY, σ′R{dY} + σ″R{X}dY)', () => {
    const { k, heap, put, alloc } = setup();
    const n = 6;
    const [s1, s2, rx, dy, rdy] = [gaussian(n), gaussian(n), gaussian(n), gaussian(n), gaussian(n)];
    const at = [s1, s2, rx, dy, rdy].map(put);
    const [out, d, rd] = [alloc(n), alloc(n), alloc(n)];
    k.mul(n, at[0], at[3], out);
    k.back_combine(n, at[0], at[1], at[2], at[3], at[4], d, rd);
    for (let i = 0; i < n; i++) {
      expect(heap[out / 8 + i]).toBe(s1[i] * dy[i]);
      expect(heap[d / 8 + i]).toBe(s1[i] * dy[i]);
      expect(heap[rd / 8 + i]).toBe(s1[i] * rdy[i] + s2[i] * rx[i] * dy[i]);
    }
  });
});

describe('the single-pattern products (matvec_pair, matvec)', () => {
  /**
   * Σ_j W[i, j] x[j] in the kernels' order: two f64x2 accumulators over blocks of four columns
   * (columns 4b, 4b+1 into the first, 4b+2, 4b+3 into the second), the accumulators added, their
   * lanes added, then the k mod 4 last columns one by one.
   */
  function kernelOrderDot(W: Float64Array, row: number, k: number, x: Float64Array): number {
    const acc = [0, 0, 0, 0];
    const blocks = Math.floor(k / 4);
    for (let b = 0; b < blocks; b++) for (let l = 0; l < 4; l++) acc[l] += W[row * k + 4 * b + l] * x[4 * b + l];
    let s = (acc[0] + acc[2]) + (acc[1] + acc[3]);
    for (let j = 4 * blocks; j < k; j++) s += W[row * k + j] * x[j];
    return s;
  }

  it('give W x and ΔW x in a fixed summation order, bit for bit, whatever the row count (rows in pairs or alone) and column tail', () => {
    const { k, heap, put, alloc } = setup();
    const rng = new Rng(4242);
    for (let m = 1; m <= 7; m++) {
      for (let cols = 1; cols <= 13; cols++) {
        const W = Float64Array.from({ length: m * cols }, () => rng.gaussian());
        const dW = Float64Array.from({ length: m * cols }, () => rng.gaussian());
        const x = Float64Array.from({ length: cols }, () => rng.gaussian());
        const [w, dw, xa, a, d, single] = [put(W), put(dW), put(x), alloc(m), alloc(m), alloc(m)];
        k.matvec_pair(m, cols, w, dw, cols, xa, a, d);
        k.matvec(m, cols, w, cols, xa, single);
        for (let i = 0; i < m; i++) {
          const ref = kernelOrderDot(W, i, cols, x);
          expect(Object.is(read(heap, a, m)[i], ref), `a[${i}], m=${m}, k=${cols}`).toBe(true);
          expect(Object.is(read(heap, d, m)[i], kernelOrderDot(dW, i, cols, x)), `d[${i}], m=${m}, k=${cols}`).toBe(true);
          expect(Object.is(read(heap, single, m)[i], ref), `matvec[${i}], m=${m}, k=${cols}`).toBe(true);
        }
      }
    }
  });
});
