import type { Oracle } from '../exact/oracle.js';
import { cosine, nrm2, relErr } from '../linalg/blas1.js';
import type { SynapsePopulation } from '../synapse/estimator.js';
import { seedRegressionLimit } from '../synapse/seed.js';

/** Exact values at the probe's (w, v): the oracle's E, ∇E, Hv, diag H and tr H. */
export interface ExactReference {
  loss: number;
  g: Float64Array;
  z: Float64Array;
  /** diag H from n Hv products, or null when n is above the dense limit. */
  hDiag: Float64Array | null;
  traceH: number;
  /** z − diag(H) ⊙ v: what ±σ perturbations can see of Hv. */
  zOffDiagonal: Float64Array | null;
}

/** Above this many weights diag H (n Hv products) is not computed for probes. */
export const DENSE_DIAGONAL_LIMIT = 20_000;

/** Computes the exact reference at (w, v). diag H costs n Hv products. */
export function exactReference(oracle: Oracle, w: Float64Array, v: Float64Array): ExactReference {
  const n = oracle.size;
  const g = new Float64Array(n);
  const z = new Float64Array(n);
  const loss = oracle.evaluate(w, v, g, z);
  let hDiag: Float64Array | null = null;
  let zOffDiagonal: Float64Array | null = null;
  let traceH = NaN;
  if (n <= DENSE_DIAGONAL_LIMIT) {
    hDiag = new Float64Array(n);
    const e = new Float64Array(n);
    const col = new Float64Array(n);
    traceH = 0;
    for (let k = 0; k < n; k++) {
      e[k] = 1;
      oracle.hv(w, e, col);
      e[k] = 0;
      hDiag[k] = col[k];
      traceH += col[k];
    }
    zOffDiagonal = z.map((zi, i) => zi - (hDiag as Float64Array)[i] * v[i]);
  }
  return { loss, g, z, hDiag, traceH, zOffDiagonal };
}

export interface ProbeColumns {
  /** Which optional columns this run reports. */
  live: boolean;
  hDiag: boolean;
  seedLimit: boolean;
  offDiagonal: boolean;
  stdErr: boolean;
  gradientStdErr: boolean;
}

/** A row of numbers; null is a metric the estimator does not provide (an empty cell). */
export type Row = (number | null)[];

/**
 * One probe row: estimates against exact values at the same w and v. Relative L2 errors
 * ‖x̂ − x‖/‖x‖ and cosines; optional columns per estimator and law. The z columns are empty
 * for an estimator that does not estimate Hv.
 */
export class Probe {
  readonly columns: ProbeColumns;
  private readonly gHat: Float64Array;
  private readonly zHat: Float64Array;
  private readonly hHat: Float64Array;
  private readonly se: Float64Array;
  private seedLimit: Float64Array | null = null;
  private readonly dead: Uint8Array | null;

  constructor(
    private readonly population: SynapsePopulation,
    private exact: ExactReference,
    private readonly v: Float64Array,
    options: { seedIntercept: boolean | null; diagonalVisible: boolean; dead?: Uint8Array },
  ) {
    const n = population.size;
    this.gHat = new Float64Array(n);
    this.zHat = new Float64Array(n);
    this.hHat = new Float64Array(n);
    this.se = new Float64Array(n);
    this.dead = options.dead ?? null;
    const hasHv = population.hv !== undefined;
    this.columns = {
      live: this.dead !== null && this.dead.some((x) => x === 1),
      hDiag: exact.hDiag !== null && population.hessianDiagonal !== undefined,
      seedLimit: hasHv && options.seedIntercept !== null && exact.hDiag !== null,
      offDiagonal: hasHv && !options.diagonalVisible && exact.zOffDiagonal !== null,
      stdErr: population.hvStdErr !== undefined,
      gradientStdErr: population.gradientStdErr !== undefined,
    };
    if (this.columns.seedLimit) {
      this.seedLimit = seedRegressionLimit(exact.z, v, exact.traceH, options.seedIntercept as boolean, new Float64Array(n));
    }
  }

  /** The seed regression's predicted limit (null unless estimator = seed). */
  get predictedSeedLimit(): Float64Array | null {
    return this.seedLimit;
  }

  get reference(): ExactReference {
    return this.exact;
  }

  header(): string[] {
    const h = ['trial', 'evaluations', 'g_rel_err', 'g_cos', 'z_rel_err', 'z_cos'];
    if (this.columns.live) h.push('g_rel_err_live', 'z_rel_err_live');
    if (this.columns.stdErr) h.push('z_se_rel');
    if (this.columns.hDiag) h.push('h_diag_rel_err');
    if (this.columns.seedLimit) h.push('z_limit_rel_err');
    if (this.columns.offDiagonal) h.push('z_offdiag_rel_err');
    if (this.columns.gradientStdErr) h.push('g_chi2_dof');
    if (this.columns.stdErr) h.push('z_chi2_dof');
    return h;
  }

  /** The row at this trial; values in header() order. */
  row(trial: number, evaluations: number): Row {
    const { population, exact, gHat, zHat } = this;
    population.gradient(gHat);
    const hv = population.hv?.(zHat) ?? null;
    const r: Row = [trial, evaluations, relErr(gHat, exact.g), cosine(gHat, exact.g)];
    r.push(hv === null ? null : relErr(hv, exact.z), hv === null ? null : cosine(hv, exact.z));
    if (this.columns.live) {
      // Errors over the live synapses only (dead ones hold 0 by construction).
      const live = (x: Float64Array): number[] => Array.from(x).filter((_, i) => !(this.dead as Uint8Array)[i]);
      r.push(relErr(live(gHat), live(exact.g)), hv === null ? null : relErr(live(hv), live(exact.z)));
    }
    if (this.columns.stdErr) {
      population.hvStdErr?.(this.se);
      r.push(nrm2(this.se.length, this.se) / nrm2(exact.z.length, exact.z));
    }
    if (this.columns.hDiag) {
      population.hessianDiagonal?.(this.hHat);
      r.push(relErr(this.hHat, exact.hDiag as Float64Array));
    }
    if (this.columns.seedLimit) r.push(relErr(zHat, this.seedLimit as Float64Array));
    if (this.columns.offDiagonal) r.push(relErr(zHat, exact.zOffDiagonal as Float64Array));
    if (this.columns.gradientStdErr) r.push(chiSquarePerDof(gHat, exact.g, population.gradientStdErr?.(this.se) ?? null));
    if (this.columns.stdErr) r.push(chiSquarePerDof(zHat, exact.z, population.hvStdErr?.(this.se) ?? null));
    return r;
  }
}

/**
 * χ²/dof = (1/m) Σ_i ((x̂_i − x_i)/se_i)² over the m synapses with a finite, positive standard
 * error (dead synapses hold se = 0 and are left out): about 1 when the estimate is unbiased and
 * its standard errors are honest, above 1 when they are too small, below when too large. Null
 * when no synapse has a standard error yet.
 */
export function chiSquarePerDof(est: Float64Array, exact: Float64Array, se: Float64Array | null): number | null {
  if (se === null) return null;
  let sum = 0;
  let m = 0;
  for (let i = 0; i < exact.length; i++) {
    if (!(se[i] > 0 && Number.isFinite(se[i]))) continue;
    sum += ((est[i] - exact[i]) / se[i]) ** 2;
    m++;
  }
  return m === 0 ? null : sum / m;
}
