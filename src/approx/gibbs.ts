import { unitValues, type BoltzmannMachine } from '../nets/boltzmann.js';
import { Rng } from '../random/rng.js';

export interface GibbsOptions {
  /** Independent chains (each seeded from its own stream). */
  chains: number;
  /** Sweeps discarded at the start of each chain. */
  burnIn: number;
  /** Samples kept per chain. */
  samples: number;
  /** Sweeps between kept samples. */
  thin: number;
  seed: number;
}

export const DEFAULT_GIBBS: GibbsOptions = { chains: 8, burnIn: 200, samples: 2000, thin: 2, seed: 1 };

export interface SampledStatistics {
  /** p_k = ⟨s_i s_j⟩ and R{p_k}, with standard errors across chains. */
  p: Float64Array;
  pStdErr: Float64Array;
  r: Float64Array;
  rStdErr: Float64Array;
}

/**
 * Gibbs sampling of the free (unclamped) Boltzmann distribution and of R{p_ij}: per chain,
 * sequential single-site updates with P(s_i = on | rest) from the local field
 * h_i = Σ_j w_ij s_j (ε = energy sign, T temperature):
 *   binary   P(s_i = 1) = logistic(−ε h_i / T)
 *   bipolar  P(s_i = +1) = logistic(−2 ε h_i / T).
 * Each chain estimates p_k = mean s_i s_j and the covariance R{p_k} = −(ε/T) Cov(s_i s_j, D),
 * D = Σ_k s_i s_j v_k; estimates are the means over chains and their standard errors the
 * across-chain standard deviations / √chains (independent chains, so autocorrelation within a
 * chain is accounted for). With `clamp`, the visible units are fixed to that pattern (the
 * clamped phase for one pattern).
 */
export function gibbsStatistics(
  m: BoltzmannMachine, w: Float64Array, v: Float64Array, options: GibbsOptions, clamp: Float64Array | null = null,
): SampledStatistics {
  const N = m.units;
  const K = m.size;
  const [off, on] = unitValues(m);
  const { first, second, energySign: eps, temperature: T } = m;
  // Adjacency (CSR) for local fields.
  const degree = new Int32Array(N + 1);
  for (let k = 0; k < K; k++) {
    degree[first[k] + 1]++;
    degree[second[k] + 1]++;
  }
  for (let i = 0; i < N; i++) degree[i + 1] += degree[i];
  const fill = degree.slice(0, N);
  const nbr = new Int32Array(2 * K);
  const nbrW = new Int32Array(2 * K);
  for (let k = 0; k < K; k++) {
    nbr[fill[first[k]]] = second[k];
    nbrW[fill[first[k]]++] = k;
    nbr[fill[second[k]]] = first[k];
    nbrW[fill[second[k]]++] = k;
  }
  const fieldScale = m.states === 'binary' ? -eps / T : (-2 * eps) / T;
  const chainP: Float64Array[] = [];
  const chainR: Float64Array[] = [];
  const s = new Float64Array(N);
  const free = clamp === null ? 0 : m.visible;
  for (let c = 0; c < options.chains; c++) {
    const rng = Rng.derive(options.seed + c, 'gibbs');
    for (let i = 0; i < N; i++) s[i] = i < free ? (clamp as Float64Array)[i] : rng.uniform() < 0.5 ? off : on;
    const sweep = (): void => {
      for (let i = free; i < N; i++) {
        let h = 0;
        for (let e = degree[i]; e < degree[i + 1]; e++) h += w[nbrW[e]] * s[nbr[e]];
        const pOn = 1 / (1 + Math.exp(-fieldScale * h));
        s[i] = rng.uniform() < pOn ? on : off;
      }
    };
    for (let b = 0; b < options.burnIn; b++) sweep();
    const sumSS = new Float64Array(K);
    const sumSSD = new Float64Array(K);
    let sumD = 0;
    const ss = new Float64Array(K);
    for (let t = 0; t < options.samples; t++) {
      for (let k = 0; k < options.thin; k++) sweep();
      let D = 0;
      for (let k = 0; k < K; k++) {
        ss[k] = s[first[k]] * s[second[k]];
        D += ss[k] * v[k];
      }
      sumD += D;
      for (let k = 0; k < K; k++) {
        sumSS[k] += ss[k];
        sumSSD[k] += ss[k] * D;
      }
    }
    const n = options.samples;
    const meanD = sumD / n;
    const p = sumSS.map((x) => x / n);
    const r = sumSSD.map((x, k) => (-eps / T) * (x / n - p[k] * meanD));
    chainP.push(p);
    chainR.push(r);
  }
  const [p, pStdErr] = meanAndStdErr(chainP, K);
  const [r, rStdErr] = meanAndStdErr(chainR, K);
  return { p, pStdErr, r, rStdErr };
}

function meanAndStdErr(rows: Float64Array[], K: number): [Float64Array, Float64Array] {
  const C = rows.length;
  const mean = new Float64Array(K);
  const se = new Float64Array(K);
  for (const r of rows) for (let k = 0; k < K; k++) mean[k] += r[k] / C;
  for (let k = 0; k < K; k++) {
    let s = 0;
    for (const r of rows) s += (r[k] - mean[k]) ** 2;
    se[k] = C > 1 ? Math.sqrt(s / (C - 1) / C) : Infinity;
  }
  return [mean, se];
}

/**
 * ∇G and Hv of G = KL(P⁺‖P⁻) from sampled statistics: the free phase once, the clamped phase per
 * visible pattern weighted by q(v); standard errors combine in quadrature.
 */
export function gibbsGradientAndHv(
  m: BoltzmannMachine, w: Float64Array, v: Float64Array, options: GibbsOptions,
): { gradient: Float64Array; hv: Float64Array; gradientStdErr: Float64Array; hvStdErr: Float64Array } {
  const K = m.size;
  const freeStats = gibbsStatistics(m, w, v, options);
  const pPlus = new Float64Array(K);
  const rPlus = new Float64Array(K);
  const pPlusVar = new Float64Array(K);
  const rPlusVar = new Float64Array(K);
  for (let p = 0; p < m.patternCount; p++) {
    const q = m.patternProbabilities[p];
    if (q === 0) continue;
    const clamp = m.patterns.subarray(p * m.visible, (p + 1) * m.visible);
    const st = m.hidden === 0
      ? exactClampedWithoutHidden(m, clamp, K)
      : gibbsStatistics(m, w, v, { ...options, seed: options.seed + 1000 * (p + 1) }, Float64Array.from(clamp));
    for (let k = 0; k < K; k++) {
      pPlus[k] += q * st.p[k];
      rPlus[k] += q * st.r[k];
      pPlusVar[k] += (q * st.pStdErr[k]) ** 2;
      rPlusVar[k] += (q * st.rStdErr[k]) ** 2;
    }
  }
  const c = m.energySign / m.temperature;
  const gradient = pPlus.map((x, k) => c * (x - freeStats.p[k]));
  const hv = rPlus.map((x, k) => c * (x - freeStats.r[k]));
  const gradientStdErr = pPlusVar.map((x, k) => Math.abs(c) * Math.sqrt(x + freeStats.pStdErr[k] ** 2));
  const hvStdErr = rPlusVar.map((x, k) => Math.abs(c) * Math.sqrt(x + freeStats.rStdErr[k] ** 2));
  return { gradient, hv, gradientStdErr, hvStdErr };
}

/** With no hidden units the clamped state is fully determined: exact, zero variance. */
function exactClampedWithoutHidden(m: BoltzmannMachine, clamp: Float64Array, K: number): SampledStatistics {
  const p = new Float64Array(K);
  for (let k = 0; k < K; k++) p[k] = clamp[m.first[k]] * clamp[m.second[k]];
  return { p, pStdErr: new Float64Array(K), r: new Float64Array(K), rStdErr: new Float64Array(K) };
}
