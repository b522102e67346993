import type { GraphNet } from '../nets/graph.js';

/**
 * The loss of a unit-graph net on its output units' pre-activations, for one pattern. The
 * output units may have different activations under `sse` (the other losses fix one
 * activation for all outputs, netfile.ts checks it), so separable losses are evaluated unit by
 * unit with each unit's own σ. Gathers x (and R{x}) from the unit arrays and scatters ∂E/∂x (and
 * R{∂E/∂x}) back. Allocated once per oracle.
 */
export class OutputLoss {
  private readonly ox: Float64Array;
  private readonly orx: Float64Array;
  private readonly odx: Float64Array;
  private readonly ordx: Float64Array;
  private readonly uniform: boolean;

  constructor(private readonly net: GraphNet) {
    const nOut = net.outputs.length;
    this.ox = new Float64Array(nOut);
    this.orx = new Float64Array(nOut);
    this.odx = new Float64Array(nOut);
    this.ordx = new Float64Array(nOut);
    const first = net.activations[net.outputs[0]];
    this.uniform = net.outputs.every((u) => net.activations[u] === first);
  }

  /**
   * E for pattern p; writes e_x into dx[unit] and, when rx is given, R{e_x} into rdx[unit] for
   * every output unit (other entries untouched).
   */
  evaluate(
    p: number, targets: Float64Array, x: Float64Array, dx: Float64Array,
    rx: Float64Array | null, rdx: Float64Array | null,
  ): number {
    const { net, ox, orx, odx, ordx } = this;
    const outputs = net.outputs;
    const nOut = outputs.length;
    // Stryker disable next-line EqualityOperator: o <= nOut is equivalent: ox and orx have length nOut, so the extra pass's writes are dropped.
    for (let o = 0; o < nOut; o++) {
      ox[o] = x[outputs[o]];
      if (rx !== null) orx[o] = rx[outputs[o]];
    }
    // Stryker disable next-line LogicalOperator: equivalent: both callers (graph.ts, recurrent.ts) pass rx and rdx together or neither.
    const wantR = rx !== null && rdx !== null;
    let E = 0;
    if (this.uniform) {
      E = net.loss.evaluate(1, nOut, net.activations[outputs[0]], ox, targets, p * nOut, odx, wantR ? orx : null, wantR ? ordx : null);
    } else {
      for (let o = 0; o < nOut; o++) {
        E += net.loss.evaluate(
          1, 1, net.activations[outputs[o]], ox.subarray(o, o + 1), targets, p * nOut + o,
          odx.subarray(o, o + 1), wantR ? orx.subarray(o, o + 1) : null, wantR ? ordx.subarray(o, o + 1) : null,
        );
      }
    }
    // Stryker disable next-line EqualityOperator: o <= nOut is equivalent: outputs[nOut] is undefined, so the extra pass sets a non-index property of dx, never an element.
    for (let o = 0; o < nOut; o++) {
      dx[outputs[o]] = odx[o];
      if (wantR) (rdx as Float64Array)[outputs[o]] = ordx[o];
    }
    return E;
  }
}
