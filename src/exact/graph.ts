import type { Dataset } from '../nets/dataset.js';
import { BIAS_COLUMN, externalColumns, type GraphNet } from '../nets/graph.js';
import { EvaluatingOracle } from './oracle.js';
import { OutputLoss } from './output-loss.js';

/**
 * Backprop and R{backprop} on the seed's general unit graph, one pattern at a time, exactly
 * docs/theory.md, "R{backprop}", with w_ij feeding unit i from unit j (connection k: i = to[k], j = from[k]):
 *
 *   forward     x_i = Σ_j w_ij y_j,                      y_i = σ_i(x_i) + I_i
 *   R-forward   R{x_i} = Σ_j (w_ij R{y_j} + v_ij y_j),   R{y_i} = σ'_i R{x_i}
 *   backward    ∂E/∂y_i = Σ_j w_ji ∂E/∂x_j,              ∂E/∂x_i = σ'_i ∂E/∂y_i + e_x,i
 *   R-backward  R{∂E/∂y_i} = Σ_j (w_ji R{∂E/∂x_j} + v_ji ∂E/∂x_j),
 *               R{∂E/∂x_i} = σ'_i R{∂E/∂y_i} + σ''_i R{x_i} ∂E/∂y_i + R{e_x,i}
 *   gradient    ∂E/∂w_ij = y_j ∂E/∂x_i,                  (Hv)_ij = y_j R{∂E/∂x_i} + R{y_j} ∂E/∂x_i
 *
 * The loss terms e_x = ∂E/∂x and R{e_x} of output units come from losses.ts (they fold the
 * seed's e(y) and e'(y)R{y} through σ). The backward sums run by scattering: visiting units in
 * reverse topological order, unit i pushes w_ij ∂E/∂x_i into ∂E/∂y_j of each source j, which
 * is complete before j is visited.
 */
export class GraphOracle extends EvaluatingOracle {
  override readonly size: number;
  private readonly x: Float64Array;
  private readonly y: Float64Array;
  private readonly rx: Float64Array;
  private readonly ry: Float64Array;
  private readonly dy: Float64Array;
  private readonly dx: Float64Array;
  private readonly rdy: Float64Array;
  private readonly rdx: Float64Array;
  private readonly outputLoss: OutputLoss;
  /** Per unit: the input column feeding I_i, BIAS_COLUMN for the always-on unit, −1 for none. */
  private readonly externalColumn: Int32Array;

  constructor(readonly net: GraphNet, private data: Dataset) {
    super();
    this.size = net.size;
    const N = net.units;
    this.x = new Float64Array(N);
    this.y = new Float64Array(N);
    this.rx = new Float64Array(N);
    this.ry = new Float64Array(N);
    this.dy = new Float64Array(N);
    this.dx = new Float64Array(N);
    this.rdy = new Float64Array(N);
    this.rdx = new Float64Array(N);
    this.outputLoss = new OutputLoss(net);
    this.externalColumn = externalColumns(net);
  }

  setData(data: Dataset): void {
    this.data = data;
  }


  override evaluate(w: Float64Array, v: Float64Array | null, g: Float64Array | null, hv: Float64Array | null): number {
    const net = this.net;
    const { x, y, rx, ry, dy, dx, rdy, rdx, externalColumn } = this;
    const { from, to, inStart, inIndex, order, activations } = net;
    const wantR = v !== null && hv !== null;
    // Stryker disable next-line ConditionalExpression: equivalent: the skipped work only fills scratch arrays that no requested output reads (g and Hv are written under their own guards).
    const wantBack = g !== null || wantR;
    const N = net.units;
    const K = net.size;
    const nIn = this.data.nIn;
    const inputs = this.data.inputs;
    if (g !== null) g.fill(0);
    if (hv !== null) hv.fill(0);
    let E = 0;

    for (let p = 0; p < this.data.count; p++) {
      // Forward and R-forward in topological order.
      for (let a = 0; a < N; a++) {
        const i = order[a];
        let xi = 0;
        let rxi = 0;
        for (let e = inStart[i]; e < inStart[i + 1]; e++) {
          const c = inIndex[e];
          const j = from[c];
          xi += w[c] * y[j];
          if (wantR) rxi += w[c] * ry[j] + v[c] * y[j];
        }
        const act = activations[i];
        const col = externalColumn[i];
        // I_i: the pattern's input for input units, 1 for the bias unit, else 0.
        const external = col >= 0 ? inputs[p * nIn + col] : col === BIAS_COLUMN ? 1 : 0;
        x[i] = xi;
        y[i] = act.f(xi) + external;
        // Stryker disable next-line ConditionalExpression: equivalent: the skipped work only fills scratch arrays that no requested output reads (g and Hv are written under their own guards).
        if (wantR) {
          rx[i] = rxi;
          ry[i] = act.d1(xi) * rxi;
        }
      }

      // Loss on the output units' pre-activations: e_x into dx, R{e_x} into rdx.
      dx.fill(0);
      // Stryker disable next-line ConditionalExpression: equivalent: the skipped work only fills scratch arrays that no requested output reads (g and Hv are written under their own guards).
      if (wantR) rdx.fill(0);
      E += this.outputLoss.evaluate(p, this.data.targets, x, dx, wantR ? rx : null, wantR ? rdx : null);
      // Stryker disable next-line ConditionalExpression: equivalent: the skipped work only fills scratch arrays that no requested output reads (g and Hv are written under their own guards).
      if (!wantBack) continue;

      // Backward and R-backward in reverse topological order, scattering into sources.
      dy.fill(0);
      // Stryker disable next-line ConditionalExpression: equivalent: the skipped work only fills scratch arrays that no requested output reads (g and Hv are written under their own guards).
      if (wantR) rdy.fill(0);
      // Stryker disable next-line EqualityOperator: a > 0 is equivalent: order[0], first in a topological order, has no incoming connection, so its backward step feeds no gradient entry and no source.
      for (let a = N - 1; a >= 0; a--) {
        const i = order[a];
        const act = activations[i];
        const xi = x[i];
        const s1 = act.d1(xi);
        const dxi = dx[i] + s1 * dy[i];
        dx[i] = dxi;
        let rdxi = 0;
        // Stryker disable next-line ConditionalExpression: equivalent: the skipped work only fills scratch arrays that no requested output reads (g and Hv are written under their own guards).
        if (wantR) {
          rdxi = rdx[i] + s1 * rdy[i] + act.d2(xi) * rx[i] * dy[i];
          rdx[i] = rdxi;
        }
        for (let e = inStart[i]; e < inStart[i + 1]; e++) {
          const c = inIndex[e];
          const j = from[c];
          dy[j] += w[c] * dxi;
          if (wantR) rdy[j] += w[c] * rdxi + v[c] * dxi;
        }
      }
      // Parameter blocks: ∂E/∂w_ij = y_j ∂E/∂x_i, (Hv)_ij = y_j R{∂E/∂x_i} + R{y_j} ∂E/∂x_i.
      // Stryker disable next-line EqualityOperator: c <= K is equivalent: g and Hv have length K (the Oracle contract), so the extra pass's writes are dropped.
      for (let c = 0; c < K; c++) {
        const i = to[c];
        const j = from[c];
        if (g !== null) g[c] += y[j] * dx[i];
        if (wantR) hv[c] += y[j] * rdx[i] + ry[j] * dx[i];
      }
    }
    return E;
  }
}
