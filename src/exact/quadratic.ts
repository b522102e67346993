import { EvaluatingOracle } from './oracle.js';

/**
 * A quadratic bowl E(w) = ½ (w − w*)ᵀ H (w − w*) with a given symmetric H (n × n row-major):
 * ∇E = H (w − w*), Hv = H v exactly, and all third derivatives vanish, so weight-perturbation
 * estimators on it carry no O(σ²) model bias: what remains is their statistics alone.
 */
export class QuadraticOracle extends EvaluatingOracle {
  override readonly size: number;
  private readonly diff: Float64Array;
  private readonly Hd: Float64Array;

  constructor(readonly H: Float64Array, readonly wStar: Float64Array) {
    super();
    this.size = wStar.length;
    this.diff = new Float64Array(this.size);
    this.Hd = new Float64Array(this.size);
  }

  private matvec(x: Float64Array, out: Float64Array): Float64Array {
    const n = this.size;
    const H = this.H;
    // Stryker disable next-line EqualityOperator: i <= n is equivalent (i >= n is killed): out has length n, so the extra row's write is dropped.
    for (let i = 0; i < n; i++) {
      let s = 0;
      const row = i * n;
      for (let j = 0; j < n; j++) s += H[row + j] * x[j];
      out[i] = s;
    }
    return out;
  }


  override evaluate(w: Float64Array, v: Float64Array | null, g: Float64Array | null, hv: Float64Array | null): number {
    const n = this.size;
    const d = this.diff;
    // Stryker disable next-line EqualityOperator: k <= n is equivalent (k >= n is killed): d has length n, so the extra write is dropped.
    for (let k = 0; k < n; k++) d[k] = w[k] - this.wStar[k];
    this.matvec(d, this.Hd);
    let e = 0;
    for (let k = 0; k < n; k++) e += d[k] * this.Hd[k];
    if (g !== null) g.set(this.Hd);
    if (v !== null && hv !== null) this.matvec(v, hv);
    return 0.5 * e;
  }
}
