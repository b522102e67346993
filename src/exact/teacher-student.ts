import { EvaluatingOracle } from './oracle.js';

/**
 * Linear teacher–student regression: student y = W x, teacher y* = W* x (M × N, row-major),
 * inputs x ~ N(0, α² I_N). On one sample E_x(W) = ½ ‖(W − W*) x‖²; its expectation over x,
 * the generalization error, is
 *
 *   E_g(W) = ½ α² ‖W − W*‖²_F,   ∇E_g = α² (W − W*),   H = α² I,   Hv = α² v,
 *
 * which is the exact oracle for estimates built from fresh samples.
 */
export class TeacherStudentOracle extends EvaluatingOracle {
  override readonly size: number;

  constructor(readonly teacher: Float64Array, readonly alpha: number) {
    super();
    this.size = teacher.length;
  }


  override evaluate(w: Float64Array, v: Float64Array | null, g: Float64Array | null, hv: Float64Array | null): number {
    const a2 = this.alpha * this.alpha;
    let e = 0;
    for (let k = 0; k < this.size; k++) {
      const d = w[k] - this.teacher[k];
      e += d * d;
      if (g !== null) g[k] = a2 * d;
      if (v !== null && hv !== null) hv[k] = a2 * v[k];
    }
    return 0.5 * a2 * e;
  }
}

/** ½ ‖(W − W*) x‖² for one input x (length N); W, W* are M × N row-major. */
export function teacherStudentSampleLoss(
  w: Float64Array, teacher: Float64Array, x: Float64Array, outputs: number, inputs: number,
): number {
  let e = 0;
  for (let m = 0; m < outputs; m++) {
    let r = 0;
    const row = m * inputs;
    for (let n = 0; n < inputs; n++) r += (w[row + n] - teacher[row + n]) * x[n];
    e += r * r;
  }
  return 0.5 * e;
}
