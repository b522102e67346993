import { activation, type Activation, type ActivationName } from './activations.js';
import { loss, type Loss, type LossName } from './losses.js';
import type { LayeredNet } from './layered.js';

/**
 * The seed's general unit graph. Units i = 0 … N−1; connection k carries weight w_k from
 * unit `from[k]` = j into unit `to[k]` = i, i.e. w_k is the seed's w_ij (first index = the
 * receiving unit, docs/theory.md, "R{backprop}"). Per pattern, in topological order,
 *
 *   x_i = Σ_{k: to[k]=i} w_k y_{from[k]},    y_i = σ_i(x_i) + I_i,
 *
 * where I_i is the external input of unit i: the pattern's value for input units, 1 for the
 * bias unit (an always-on unit), 0 otherwise. Any acyclic connectivity is allowed (skip
 * connections, several outputs anywhere). The flat parameter vector is w_0 … w_{K−1} in
 * connection order.
 */
export interface GraphNet {
  readonly kind: 'graph';
  readonly units: number;
  readonly activationNames: readonly ActivationName[];
  readonly activations: readonly Activation[];
  /** Unit ids receiving the pattern's inputs, in input-column order. */
  readonly inputs: readonly number[];
  /** The always-on unit (I = 1), or −1. */
  readonly bias: number;
  /** Unit ids compared with the targets, in target-column order. */
  readonly outputs: readonly number[];
  readonly from: Int32Array;
  readonly to: Int32Array;
  readonly lossName: LossName;
  readonly loss: Loss;
  /**
   * True for a recurrent (cyclic) net that relaxes to a fixed point (exact/recurrent.ts); then
   * `order` is just 0 … N−1.
   */
  readonly recurrent: boolean;
  /** Units in a topological order (every connection goes from earlier to later). */
  readonly order: Int32Array;
  /** Incoming connections grouped by receiving unit (CSR): ids inIndex[inStart[i] … inStart[i+1]). */
  readonly inStart: Int32Array;
  readonly inIndex: Int32Array;
  readonly size: number;
}

export interface GraphSpec {
  units: number;
  activations: readonly ActivationName[];
  inputs: readonly number[];
  bias: number;
  outputs: readonly number[];
  connections: readonly { from: number; to: number }[];
  loss: LossName;
  /** Allow cycles: the net relaxes to a fixed point instead of one forward sweep. */
  recurrent?: boolean;
}

/** A cycle found while ordering the units: the units on it, in order. */
export class GraphCycleError extends Error {
  constructor(readonly cycle: number[]) {
    super(`cycle through units ${cycle.join(' → ')}`);
  }
}

/** Builds the graph net; ids must already be in range (netfile.ts). Throws GraphCycleError. */
export function graphNet(spec: GraphSpec): GraphNet {
  const n = spec.units;
  const k = spec.connections.length;
  const from = new Int32Array(k);
  const to = new Int32Array(k);
  spec.connections.forEach((c, idx) => {
    from[idx] = c.from;
    to[idx] = c.to;
  });
  const inStart = new Int32Array(n + 1);
  for (let c = 0; c < k; c++) inStart[to[c] + 1]++;
  for (let i = 0; i < n; i++) inStart[i + 1] += inStart[i];
  const fill = inStart.slice(0, n);
  const inIndex = new Int32Array(k);
  for (let c = 0; c < k; c++) inIndex[fill[to[c]]++] = c;
  const recurrent = spec.recurrent === true;
  const order = recurrent ? Int32Array.from({ length: n }, (_, i) => i) : topologicalOrder(n, from, to);
  return {
    kind: 'graph',
    units: n,
    activationNames: [...spec.activations],
    activations: spec.activations.map(activation),
    inputs: [...spec.inputs],
    bias: spec.bias,
    outputs: [...spec.outputs],
    from,
    to,
    lossName: spec.loss,
    loss: loss(spec.loss),
    recurrent,
    order,
    inStart,
    inIndex,
    size: k,
  };
}

/** Kahn's algorithm; on a cycle, walks back along unordered units to report one. */
function topologicalOrder(n: number, from: Int32Array, to: Int32Array): Int32Array {
  const indegree = new Int32Array(n);
  const outStart = new Int32Array(n + 1);
  for (let c = 0; c < from.length; c++) {
    indegree[to[c]]++;
    outStart[from[c] + 1]++;
  }
  for (let i = 0; i < n; i++) outStart[i + 1] += outStart[i];
  const fill = outStart.slice(0, n);
  const outTo = new Int32Array(from.length);
  for (let c = 0; c < from.length; c++) outTo[fill[from[c]]++] = to[c];
  const order = new Int32Array(n);
  let head = 0;
  let tail = 0;
  for (let i = 0; i < n; i++) if (indegree[i] === 0) order[tail++] = i;
  while (head < tail) {
    const u = order[head++];
    for (let e = outStart[u]; e < outStart[u + 1]; e++) {
      if (--indegree[outTo[e]] === 0) order[tail++] = outTo[e];
    }
  }
  if (tail < n) {
    // Every remaining unit has an unordered predecessor: follow predecessors until one repeats.
    const pred = new Int32Array(n).fill(-1);
    for (let c = 0; c < from.length; c++) if (indegree[to[c]] > 0 && indegree[from[c]] > 0) pred[to[c]] = from[c];
    let u = 0;
    while (indegree[u] === 0) u++;
    const seen = new Map<number, number>();
    const path: number[] = [];
    while (!seen.has(u)) {
      seen.set(u, path.length);
      path.push(u);
      u = pred[u];
    }
    // path walks predecessors, so the cycle in the direction of the connections is its reverse.
    const cycle = path.slice(seen.get(u)).reverse();
    cycle.push(cycle[0]);
    throw new GraphCycleError(cycle);
  }
  return order;
}

/**
 * The layered net as a unit graph with the same flat parameter vector: units are the n0
 * inputs, one bias unit, then each layer's units; connections are listed in the layered
 * layout's order (W_l row-major, then b_l as connections from the bias unit), so w, ∇E and
 * Hv coincide index by index.
 */
export function layeredToGraph(net: LayeredNet): GraphNet {
  const layers = net.layers;
  const first: number[] = [];
  let next = 0;
  first.push(next);
  next += layers[0];
  const bias = next++;
  for (let l = 1; l < layers.length; l++) {
    first.push(next);
    next += layers[l];
  }
  const activations: ActivationName[] = new Array(next).fill('linear');
  const connections: { from: number; to: number }[] = [];
  for (let l = 1; l < layers.length; l++) {
    for (let o = 0; o < layers[l]; o++) activations[first[l] + o] = net.activationNames[l - 1];
    for (let o = 0; o < layers[l]; o++) {
      for (let i = 0; i < layers[l - 1]; i++) connections.push({ from: first[l - 1] + i, to: first[l] + o });
    }
    for (let o = 0; o < layers[l]; o++) connections.push({ from: bias, to: first[l] + o });
  }
  const range = (start: number, count: number): number[] => Array.from({ length: count }, (_, i) => start + i);
  return graphNet({
    units: next,
    activations,
    inputs: range(0, layers[0]),
    bias,
    outputs: range(first[layers.length - 1], layers[layers.length - 1]),
    connections,
    loss: net.lossName,
  });
}

/** externalColumns() value marking the always-on bias unit. */
export const BIAS_COLUMN = -2;

/**
 * Per unit, where its external input I_i comes from: the pattern's input column (≥ 0),
 * BIAS_COLUMN for the always-on unit (I = 1), or −1 for none (I = 0).
 */
export function externalColumns(net: GraphNet): Int32Array {
  const cols = new Int32Array(net.units).fill(-1);
  net.inputs.forEach((unit, col) => (cols[unit] = col));
  if (net.bias >= 0) cols[net.bias] = BIAS_COLUMN;
  return cols;
}

/** How a recurrent net relaxes to its fixed point (part of the net file's description). */
export interface RelaxationOptions {
  /** Euler step dt of the relaxation dynamics (0 < dt ≤ 1; dt = 1 is plain fixed-point iteration). */
  step: number;
  /** Converged when max_i |dq_i/dt| ≤ tolerance. */
  tolerance: number;
  /** Give up (with an error naming the residual reached) after this many steps. */
  maxSteps: number;
}

export const DEFAULT_RELAXATION: RelaxationOptions = { step: 0.5, tolerance: 1e-12, maxSteps: 100_000 };
