import type { Oracle } from '../exact/oracle.js';

/** A symmetric linear operator known only through products x ↦ A x. */
export interface SymmetricOperator {
  readonly size: number;
  /** Writes A x into out. */
  apply(x: Float64Array, out: Float64Array): void;
}

/**
 * The Hessian of an oracle's loss at a fixed w as a matrix-free operator, counting the Hv
 * products (R{backprop} passes) it has used.
 */
export class HessianOperator implements SymmetricOperator {
  readonly size: number;
  products = 0;

  constructor(private readonly oracle: Oracle, private readonly w: Float64Array) {
    this.size = oracle.size;
  }

  apply(x: Float64Array, out: Float64Array): void {
    this.products++;
    this.oracle.hv(this.w, x, out);
  }
}

/** A dense symmetric matrix (row-major n × n) as an operator, for tests and small problems. */
export class DenseOperator implements SymmetricOperator {
  products = 0;
  constructor(readonly matrix: Float64Array, readonly size: number) {}

  apply(x: Float64Array, out: Float64Array): void {
    this.products++;
    const n = this.size;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += this.matrix[i * n + j] * x[j];
      out[i] = s;
    }
  }
}
