import { InputError } from '../errors.js';
import { LU } from '../linalg/lu.js';
import type { Dataset } from '../nets/dataset.js';
import { BIAS_COLUMN, DEFAULT_RELAXATION, externalColumns, type GraphNet, type RelaxationOptions } from '../nets/graph.js';
import { EvaluatingOracle } from './oracle.js';
import { OutputLoss } from './output-loss.js';

export { DEFAULT_RELAXATION, type RelaxationOptions };

/** How the fixed-point linear systems are solved: by relaxation (the seed's) or by dense LU. */
export type RecurrentMethod = 'relax' | 'implicit';

/** A relaxation that did not reach its tolerance: a property of the net's weights, reported as bad input. */
export class RelaxationError extends InputError {
  constructor(readonly phase: string, readonly residual: number, readonly steps: number, pattern: number) {
    super(
      'relaxation',
      `the ${phase} relaxation must converge (stable fixed point) for pattern ${pattern}`,
      Number.isFinite(residual)
        ? `residual ${residual.toExponential(3)} after ${steps} steps`
        : `non-finite state (diverged) after ${steps} steps`,
    );
    this.name = 'RelaxationError';
  }
}

/**
 * Almeida–Pineda recurrent backprop and its R-operator (Pearlmutter 1994 §4) on a unit graph
 * with arbitrary (cyclic) connectivity; w_ij feeds unit i from unit j (connection k: i = to[k],
 * j = from[k]). Per pattern, with L = diag σ'(x), S = diag σ''(x) at the fixed point:
 *
 *   forward    dy/dt = −y + σ(x) + I,  x = W y                       → y*, x*
 *   adjoint    dz/dt = −z + L Wᵀ z + e_x                             → z = ∂E/∂x
 *   gradient   ∂E/∂w_ij = z_i y_j
 *   R-forward  dR{y}/dt = −R{y} + L (W R{y} + V y)                   → R{y}, R{x} = W R{y} + V y
 *   R-adjoint  dR{z}/dt = −R{z} + L (Wᵀ R{z} + Vᵀ z) + S R{x} ⊙ (Wᵀ z) + R{e_x}
 *   Hv         (Hv)_ij = y_j R{z_i} + R{y_j} z_i
 *
 * e_x = ∂E/∂x on output units and R{e_x} = (∂²E/∂x²) R{x} come from the loss (losses.ts), which
 * folds the seed's e(y) and e'(y) R{y} terms through σ. With method 'implicit' the three linear
 * fixed points are instead solved exactly at y* by LU:
 *   (I − L Wᵀ) z = e_x,   (I − L W) R{y} = L V y,   (I − L Wᵀ) R{z} = L Vᵀ z + S R{x} ⊙ Wᵀz + R{e_x},
 * the implicit-function route the tests compare against. A relaxation that does not converge
 * (unstable fixed point, oscillation, step limit) throws RelaxationError; no number is returned.
 */
export class RecurrentOracle extends EvaluatingOracle {
  override readonly size: number;
  private readonly N: number;
  private readonly ext: Int32Array;
  private readonly outputLoss: OutputLoss;
  // Per-unit work vectors.
  private readonly x: Float64Array;
  private readonly y: Float64Array;
  private readonly s1: Float64Array;
  private readonly s2: Float64Array;
  private readonly target: Float64Array;
  private readonly z: Float64Array;
  private readonly ex: Float64Array;
  private readonly ry: Float64Array;
  private readonly rx: Float64Array;
  private readonly rz: Float64Array;
  private readonly rex: Float64Array;
  private readonly drive: Float64Array;
  private readonly tmp: Float64Array;
  private readonly wtz: Float64Array;
  private readonly vy: Float64Array;
  /** Relaxation steps used by the last evaluate() (all patterns, all phases). */
  lastSteps = 0;

  constructor(
    readonly net: GraphNet,
    private data: Dataset,
    readonly relaxation: RelaxationOptions = DEFAULT_RELAXATION,
    readonly method: RecurrentMethod = 'relax',
  ) {
    super();
    this.size = net.size;
    const N = net.units;
    this.N = N;
    this.ext = externalColumns(net);
    this.outputLoss = new OutputLoss(net);
    const vec = (): Float64Array => new Float64Array(N);
    this.x = vec();
    this.y = vec();
    this.s1 = vec();
    this.s2 = vec();
    this.target = vec();
    this.z = vec();
    this.ex = vec();
    this.ry = vec();
    this.rx = vec();
    this.rz = vec();
    this.rex = vec();
    this.drive = vec();
    this.tmp = vec();
    this.wtz = vec();
    this.vy = vec();
  }

  setData(data: Dataset): void {
    this.data = data;
  }


  override evaluate(w: Float64Array, v: Float64Array | null, g: Float64Array | null, hv: Float64Array | null): number {
    const { net, N, x, y, s1, s2, z, ex, ry, rx, rz, rex, drive, wtz, vy } = this;
    const { from, to } = net;
    const K = net.size;
    const wantR = v !== null && hv !== null;
    const wantBack = g !== null || wantR;
    if (g !== null) g.fill(0);
    if (hv !== null) hv.fill(0);
    this.lastSteps = 0;
    let E = 0;
    for (let p = 0; p < this.data.count; p++) {
      this.relaxForward(w, p);
      ex.fill(0);
      if (wantR) rex.fill(0);
      E += this.outputLoss.evaluate(p, this.data.targets, x, ex, null, null);
      if (!wantBack) continue;

      // Adjoint: z = L Wᵀ z + e_x.
      this.solveLinear(w, 'transpose', ex, z, p, 'adjoint');
      if (g !== null) for (let c = 0; c < K; c++) g[c] += z[to[c]] * y[from[c]];
      if (!wantR) continue;

      // R{y} = L (W R{y} + V y): drive = L V y.
      matvec(net, v, y, 'forward', vy);
      for (let i = 0; i < N; i++) drive[i] = s1[i] * vy[i];
      this.solveLinear(w, 'forward', drive, ry, p, 'R-forward');
      // R{x} = W R{y} + V y, and R{e_x} from the loss.
      matvec(net, w, ry, 'forward', rx);
      for (let i = 0; i < N; i++) rx[i] += vy[i];
      // (the loss value is already counted; this call only produces R{e_x})
      this.outputLoss.evaluate(p, this.data.targets, x, this.tmp, rx, rex);
      // R{z} = L (Wᵀ R{z} + Vᵀ z) + S R{x} ⊙ Wᵀz + R{e_x}: drive = L Vᵀ z + S R{x} ⊙ Wᵀ z + R{e_x}.
      matvec(net, w, z, 'transpose', wtz);
      matvec(net, v, z, 'transpose', this.tmp);
      for (let i = 0; i < N; i++) drive[i] = s1[i] * this.tmp[i] + s2[i] * rx[i] * wtz[i] + rex[i];
      this.solveLinear(w, 'transpose', drive, rz, p, 'R-adjoint');
      for (let c = 0; c < K; c++) {
        const i = to[c];
        const j = from[c];
        hv[c] += y[j] * rz[i] + ry[j] * z[i];
      }
    }
    return E;
  }

  /** Relaxes y to the fixed point y = σ(W y) + I for pattern p; leaves x, y, σ', σ'' there. */
  private relaxForward(w: Float64Array, p: number): void {
    const { net, N, x, y, s1, s2, target, ext } = this;
    const { step, tolerance, maxSteps } = this.relaxation;
    const inputs = this.data.inputs;
    const nIn = this.data.nIn;
    const external = (i: number): number => {
      const col = ext[i];
      return col >= 0 ? inputs[p * nIn + col] : col === BIAS_COLUMN ? 1 : 0;
    };
    for (let i = 0; i < N; i++) y[i] = external(i);
    let residual = Infinity;
    let steps = 0;
    for (; steps <= maxSteps; steps++) {
      matvec(net, w, y, 'forward', x);
      residual = 0;
      for (let i = 0; i < N; i++) {
        target[i] = net.activations[i].f(x[i]) + external(i);
        residual = Math.max(residual, Math.abs(target[i] - y[i]));
      }
      if (!(residual > tolerance)) break; // converged (or NaN, caught below)
      if (steps === maxSteps) break;
      for (let i = 0; i < N; i++) y[i] += step * (target[i] - y[i]);
    }
    this.lastSteps += steps;
    if (!(residual <= tolerance)) throw new RelaxationError('forward', residual, steps, p);
    // At the fixed point: y = target exactly up to the tolerance; take x from the final y.
    for (let i = 0; i < N; i++) {
      const a = net.activations[i];
      s1[i] = a.d1(x[i]);
      s2[i] = a.d2(x[i]);
    }
  }

  /**
   * Solves q = L A q + b for q (A = W or Wᵀ), by relaxing dq/dt = −q + L A q + b or, with method
   * 'implicit', by LU on (I − L A) q = b.
   */
  private solveLinear(
    w: Float64Array, orientation: 'forward' | 'transpose', b: Float64Array, q: Float64Array, p: number, phase: string,
  ): void {
    const { N, s1, net, tmp } = this;
    if (this.method === 'implicit') {
      const M = new Float64Array(N * N);
      for (let i = 0; i < N; i++) M[i * N + i] = 1;
      for (let c = 0; c < net.size; c++) {
        const i = net.to[c];
        const j = net.from[c];
        // (L W)_ij = σ'_i w_ij;  (L Wᵀ)_ji = σ'_j w_ij
        if (orientation === 'forward') M[i * N + j] -= s1[i] * w[c];
        else M[j * N + i] -= s1[j] * w[c];
      }
      const lu = new LU(M, N);
      q.set(b);
      lu.solve(q);
      if (!q.every(Number.isFinite) || lu.pivotRatio < 1e-14) {
        throw new InputError(
          'relaxation',
          `the ${phase} fixed-point system (I − L W) must be nonsingular for pattern ${p}`,
          `smallest pivot ratio ${lu.pivotRatio.toExponential(3)}`,
        );
      }
      return;
    }
    const { step, tolerance, maxSteps } = this.relaxation;
    q.set(b);
    let residual = Infinity;
    let steps = 0;
    for (; steps <= maxSteps; steps++) {
      matvec(net, w, q, orientation, tmp);
      residual = 0;
      for (let i = 0; i < N; i++) {
        const dq = s1[i] * tmp[i] + b[i] - q[i];
        tmp[i] = dq;
        residual = Math.max(residual, Math.abs(dq));
      }
      if (!(residual > tolerance) || steps === maxSteps) break;
      for (let i = 0; i < N; i++) q[i] += step * tmp[i];
    }
    this.lastSteps += steps;
    if (!(residual <= tolerance)) throw new RelaxationError(phase, residual, steps, p);
  }
}

/** out = W x ('forward': out_i = Σ_j w_ij x_j) or Wᵀ x ('transpose': out_j = Σ_i w_ij x_i). */
function matvec(net: GraphNet, w: Float64Array, xIn: Float64Array, orientation: 'forward' | 'transpose', out: Float64Array): void {
  out.fill(0);
  const { from, to } = net;
  if (orientation === 'forward') for (let c = 0; c < net.size; c++) out[to[c]] += w[c] * xIn[from[c]];
  else for (let c = 0; c < net.size; c++) out[from[c]] += w[c] * xIn[to[c]];
}
