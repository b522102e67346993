/**
 * Finite differences with a derived error bound, the independent route every exact derivative
 * in wpsim is checked against.
 *
 * Central differences D(s) = (f(s) − f(−s)) / (2s) of a smooth f have the error expansion
 * D(s) = f'(0) + a s² + b s⁴ + …, so one Richardson step R(s) = (4 D(s/2) − D(s)) / 3 leaves
 * f'(0) − b s⁴/4 + O(s⁶). We form R₁ = R(h) (steps h, h/2) and R₂ = R(h/2) (steps h/2, h/4) and
 * return R₂. Its error has two parts:
 *
 *  - round-off: if every evaluation of f is off by at most δ, D(s) is off by at most δ/s, so
 *    R₁ by (4·2δ/h + δ/h)/3 = 3δ/h and R₂ by (4·4δ/h + 2δ/h)/3 = 6δ/h;
 *  - truncation: in the asymptotic range trunc(R₂) ≈ trunc(R₁)/16, so
 *    |trunc(R₂)| ≤ |trunc(R₁) − trunc(R₂)| / 15 ≤ (|R₁ − R₂| + 9δ/h) / 15,
 *    which we bound (giving up the factor 15, for the s⁶ terms) by |R₁ − R₂| + 9δ/h.
 *
 * Hence |R₂ − f'(0)| ≤ |R₁ − R₂| + 15 δ / h per component: an a-posteriori bound from the
 * differences themselves, no guessed constant. δ is the caller's round-off bound for f.
 */
export interface Extrapolated {
  /** R₂, the extrapolated derivative. */
  value: Float64Array;
  /** Per component |R₁ − R₂| + 15 δ / h. */
  bound: Float64Array;
}

export function richardsonDerivative(f: (t: number) => ArrayLike<number>, h: number, delta: ArrayLike<number> | number): Extrapolated {
  const central = (s: number): Float64Array => {
    const plus = Float64Array.from(f(s));
    const minus = f(-s);
    return plus.map((x, k) => (x - minus[k]) / (2 * s));
  };
  const d1 = central(h);
  const d2 = central(h / 2);
  const d4 = central(h / 4);
  const r1 = d2.map((x, k) => (4 * x - d1[k]) / 3);
  const r2 = d4.map((x, k) => (4 * x - d2[k]) / 3);
  const bound = r2.map((x, k) => Math.abs(r1[k] - x) + (15 * (typeof delta === 'number' ? delta : delta[k])) / h);
  return { value: r2, bound };
}

/**
 * ∇E by extrapolated central differences of E along each coordinate, with the bound above.
 * `delta` bounds the round-off of one evaluation of E.
 */
export function gradientFromLoss(loss: (w: Float64Array) => number, w: Float64Array, h: number, delta: number): Extrapolated {
  const n = w.length;
  const value = new Float64Array(n);
  const bound = new Float64Array(n);
  const shifted = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const r = richardsonDerivative((t) => {
      shifted.set(w);
      shifted[k] += t;
      return [loss(shifted)];
    }, h, delta);
    value[k] = r.value[0];
    bound[k] = r.bound[0];
  }
  return { value, bound };
}

/** Hv by extrapolated central differences of ∇E along v, with the bound above (δ per gradient entry). */
export function hvFromGradient(
  gradient: (w: Float64Array, g: Float64Array) => void, w: Float64Array, v: Float64Array, h: number, delta: number,
): Extrapolated {
  const n = w.length;
  const shifted = new Float64Array(n);
  return richardsonDerivative((t) => {
    for (let k = 0; k < n; k++) shifted[k] = w[k] + t * v[k];
    const g = new Float64Array(n);
    gradient(shifted, g);
    return g;
  }, h, delta);
}

/**
 * The forward round-off bound γ_m = m·ε/(1 − m·ε) of a chain of m floating-point operations,
 * relative to the magnitude of the quantities summed (Higham, "Accuracy and Stability of
 * Numerical Algorithms", §3.1).
 */
export function gamma(m: number): number {
  const u = Number.EPSILON / 2;
  return (m * u) / (1 - m * u);
}

/** Largest excess of |exact − fd| over its allowance (≤ 0 passes), and where. */
export function worstExcess(exact: ArrayLike<number>, fd: Extrapolated, extra: (k: number) => number): { excess: number; index: number; detail: string } {
  let worst = { excess: -Infinity, index: -1, detail: '' };
  for (let k = 0; k < exact.length; k++) {
    const err = Math.abs(exact[k] - fd.value[k]);
    const allowed = fd.bound[k] + extra(k);
    if (err - allowed > worst.excess) {
      worst = { excess: err - allowed, index: k, detail: `entry ${k}: exact ${exact[k]}, finite differences ${fd.value[k]}, |diff| ${err.toExponential(3)} > allowed ${allowed.toExponential(3)}` };
    }
  }
  return worst;
}

/** The plain central difference (E(w + h e_i) − E(w − h e_i))/(2h) for every i (no extrapolation). */
export function centralGradient(loss: (w: Float64Array) => number, w: Float64Array, h: number): Float64Array {
  return w.map((_, i) => {
    const up = Float64Array.from(w);
    const down = Float64Array.from(w);
    up[i] += h;
    down[i] -= h;
    return (loss(up) - loss(down)) / (2 * h);
  });
}
