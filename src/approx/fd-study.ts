import { relErr } from '../linalg/blas1.js';
import { FiniteDifferenceHv } from './finite-difference.js';
import type { Oracle } from '../exact/oracle.js';

export interface FdStudyRow {
  r: number;
  forwardRelErr: number;
  centralRelErr: number;
}

/** The steps of the study: r = 1e-1, 1e-2, …, 1e-12. */
export const FD_STUDY_STEPS: readonly number[] = Array.from({ length: 12 }, (_, k) => Number(`1e-${k + 1}`));

/**
 * The U curve of docs/theory.md, "Finite differences": relative L2 error ‖Hv_fd(r) − Hv‖/‖Hv‖ of forward and central
 * differences against the exact R{backprop} Hv, for each step r. Truncation error falls with r
 * (O(r), O(r²)) while round-off grows like ε‖∇E‖/r, so forward is best near √ε ≈ 1e-8 and
 * central near ε^{1/3} ≈ 1e-5.
 */
export function fdStudy(
  oracle: Oracle, w: Float64Array, v: Float64Array, exactHv: Float64Array, steps: readonly number[] = FD_STUDY_STEPS,
): FdStudyRow[] {
  const fd = new FiniteDifferenceHv(oracle);
  const out = new Float64Array(oracle.size);
  return steps.map((r) => ({
    r,
    forwardRelErr: relErr(fd.hv(w, v, r, 'forward', out), exactHv),
    centralRelErr: relErr(fd.hv(w, v, r, 'central', out), exactHv),
  }));
}
