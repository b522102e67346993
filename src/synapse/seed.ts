import { evenPart, oddPart, type Broadcast } from './broadcast.js';
import { noWireTerms, type SynapseConstants, type SynapsePopulation } from './estimator.js';
import { addArrays, copyArrays, mergedMean, restoreArrays, type Mergeable, type SufficientStatistics } from './statistics.js';

const SLOTS = ['m1', 'm2', 'c11', 'c12', 'c22', 'ca1', 'ca2'] as const;

/**
 * The seed's per-synapse second-order regression. With the symmetric rank-2 model
 * Ĥ = (z vᵀ + v zᵀ − (v·z)/|v|² v vᵀ)/|v|² (Ĥv = z), synapse i sees
 *
 *   ΔE = Δw_i g_i + b_i z_i + noise,    b_i = (p/|v|²)(Δw_i − p v_i/(2|v|²)),
 *
 * and fits (g_i, z_i) by ordinary least squares on its own two features, with an intercept
 * (default) or without. Done alone by each synapse this regression is BIASED: b_i shares p with
 * every other synapse's feature and with the unmodelled ½Δw⊥ᵀHΔw⊥ (docs/theory.md, "Weight perturbation"). For Gaussian ξ
 * it converges to
 *   with intercept     ẑ_i = (z_i − ½ u_i (u·z)) / (1 − u_i²/2)
 *   without intercept  ẑ_i = (z_i − ½ u_i (u·z) + ¼ u_i |v| tr H) / (1 − u_i²/4),   u = v/|v|,
 * not to z = Hv. It is kept because it is the seed's, and the probes report its error against
 * that predicted limit.
 *
 * With intercept the sufficient statistics are Welford co-moments (means m1, m2 of the
 * features; C11, C12, C22 among them; Ca1, Ca2 with ΔE); without, raw second moments. On
 * antithetic trials the odd feature Δw_i is regressed on the odd part of ΔE and the even
 * feature b_i on the even part, separately (the two features are uncorrelated in expectation,
 * so the limits are unchanged).
 *
 * Merging two populations that ran disjoint trials: raw moments add; co-moments merge by Chan,
 * Golub and LeVeque's rule, C = C_a + C_b + δ_x δ_y n_a n_b/n with δ the difference of the two
 * parts' means, and the means as the count-weighted mean.
 */
export class SeedPopulation implements SynapsePopulation, Mergeable {
  readonly name = 'seed' as const;
  readonly wireSums = 0;
  readonly size: number;
  readonly state: {
    v: Float64Array;
    m1: Float64Array; m2: Float64Array;
    c11: Float64Array; c12: Float64Array; c22: Float64Array;
    ca1: Float64Array; ca2: Float64Array;
  };
  private meanOdd = 0;
  private meanEven = 0;
  private trials = 0;
  private readonly v2: number;

  constructor(readonly constants: SynapseConstants, v: Float64Array, readonly intercept: boolean) {
    const n = v.length;
    this.size = n;
    this.v2 = constants.vNorm2;
    const arr = (): Float64Array => new Float64Array(n);
    this.state = { v: Float64Array.from(v), m1: arr(), m2: arr(), c11: arr(), c12: arr(), c22: arr(), ca1: arr(), ca2: arr() };
  }

  readonly wireTerms = noWireTerms;

  statistics(): SufficientStatistics {
    return { estimator: this.name, scalars: { trials: this.trials, meanOdd: this.meanOdd, meanEven: this.meanEven }, arrays: copyArrays(this.state, SLOTS) };
  }

  restore(s: SufficientStatistics): void {
    restoreArrays(this.state, s, SLOTS);
    this.trials = s.scalars.trials;
    this.meanOdd = s.scalars.meanOdd;
    this.meanEven = s.scalars.meanEven;
  }

  absorb(s: SufficientStatistics): void {
    const na = this.trials;
    const nb = s.scalars.trials;
    const n = na + nb;
    if (!this.intercept) {
      addArrays(this.state, s, SLOTS);
      this.trials = n;
      return;
    }
    if (nb === 0) return;
    const { m1, m2, c11, c12, c22, ca1, ca2 } = this.state;
    const b = s.arrays;
    for (const k of SLOTS) if (b[k]?.length !== this.size) throw new Error(`statistics: array ${k} missing or of the wrong length`);
    const f = (na * nb) / n;
    const dOdd = s.scalars.meanOdd - this.meanOdd;
    const dEven = s.scalars.meanEven - this.meanEven;
    for (let i = 0; i < this.size; i++) {
      const d1 = b.m1[i] - m1[i];
      const d2 = b.m2[i] - m2[i];
      c11[i] += b.c11[i] + d1 * d1 * f;
      c22[i] += b.c22[i] + d2 * d2 * f;
      c12[i] += b.c12[i] + d1 * d2 * f;
      ca1[i] += b.ca1[i] + dOdd * d1 * f;
      ca2[i] += b.ca2[i] + dEven * d2 * f;
      m1[i] = mergedMean(m1[i], na, b.m1[i], nb);
      m2[i] = mergedMean(m2[i], na, b.m2[i], nb);
    }
    this.meanOdd = mergedMean(this.meanOdd, na, s.scalars.meanOdd, nb);
    this.meanEven = mergedMean(this.meanEven, na, s.scalars.meanEven, nb);
    this.trials = n;
  }

  update(b: Broadcast, dw: Float64Array): void {
    const T = ++this.trials;
    const inv = 1 / T;
    const odd = oddPart(b);
    const even = evenPart(b);
    const p = b.p;
    const pv = p / this.v2;
    const half = p / (2 * this.v2);
    const { v, m1, m2, c11, c12, c22, ca1, ca2 } = this.state;
    if (this.intercept) {
      const dOdd = odd - this.meanOdd;
      const dEven = even - this.meanEven;
      this.meanOdd += dOdd * inv;
      this.meanEven += dEven * inv;
      // Stryker disable next-line EqualityOperator: i <= size is equivalent: the extra pass reads past the held slots (undefined) and its writes to the length-n arrays are dropped.
      for (let i = 0; i < this.size; i++) {
        const x1 = dw[i];
        const x2 = pv * (x1 - half * v[i]);
        const d1 = x1 - m1[i];
        const d2 = x2 - m2[i];
        const n1 = m1[i] + d1 * inv;
        const n2 = m2[i] + d2 * inv;
        m1[i] = n1;
        m2[i] = n2;
        c11[i] += d1 * (x1 - n1);
        c22[i] += d2 * (x2 - n2);
        c12[i] += d1 * (x2 - n2);
        ca1[i] += dOdd * (x1 - n1);
        ca2[i] += dEven * (x2 - n2);
      }
    } else {
      // Stryker disable next-line EqualityOperator: i <= size is equivalent: the extra pass reads past the held slots (undefined) and its writes to the length-n arrays are dropped.
      for (let i = 0; i < this.size; i++) {
        const x1 = dw[i];
        const x2 = pv * (x1 - half * v[i]);
        c11[i] += x1 * x1;
        c22[i] += x2 * x2;
        c12[i] += x1 * x2;
        ca1[i] += odd * x1;
        ca2[i] += even * x2;
      }
    }
  }

  /** Solves each synapse's 2×2 normal equations (jointly one-sided, separately antithetic). */
  private solve(which: 'g' | 'z', out: Float64Array): Float64Array {
    const { c11, c12, c22, ca1, ca2 } = this.state;
    const separate = this.constants.antithetic;
    for (let i = 0; i < this.size; i++) {
      if (separate) {
        out[i] = which === 'g' ? safeDiv(ca1[i], c11[i]) : safeDiv(ca2[i], c22[i]);
        continue;
      }
      const det = c11[i] * c22[i] - c12[i] * c12[i];
      out[i] = which === 'g'
        ? safeDiv(c22[i] * ca1[i] - c12[i] * ca2[i], det)
        : safeDiv(c11[i] * ca2[i] - c12[i] * ca1[i], det);
    }
    return out;
  }

  readonly gradient = (out: Float64Array): Float64Array => this.solve('g', out);

  // Stryker disable next-line StringLiteral: equivalent: solve() tests which === 'g' only, so any other string reads ẑ.
  readonly hv = (out: Float64Array): Float64Array => this.solve('z', out);
}

function safeDiv(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

/**
 * The limit of the seed's per-synapse regression for Gaussian ξ (docs/theory.md, "`seed`: the
 * seed's per-synapse regression, biased"), given the exact
 * z = Hv, v and tr H. Used by the probes (which know the exact values) and the tests.
 */
export function seedRegressionLimit(
  z: Float64Array, v: Float64Array, traceH: number, intercept: boolean, out: Float64Array,
): Float64Array {
  const n = v.length;
  let v2 = 0;
  for (let i = 0; i < n; i++) v2 += v[i] * v[i];
  const vn = Math.sqrt(v2);
  let uz = 0;
  for (let i = 0; i < n; i++) uz += (v[i] / vn) * z[i];
  for (let i = 0; i < n; i++) {
    const u = v[i] / vn;
    out[i] = intercept
      ? (z[i] - 0.5 * u * uz) / (1 - (u * u) / 2)
      : (z[i] - 0.5 * u * uz + 0.25 * u * vn * traceH) / (1 - (u * u) / 4);
  }
  return out;
}
