import type { LayeredNet } from '../../nets/layered.js';

// The memory layout of the wasm forward evaluator (forward-wasm.ts): one block per quantity.

/** Largest wasm memory: the kernels read byte addresses as i32 (as the full pass, wasm-pass.ts). */
export const FORWARD_MAX_BYTES = 2 ** 31 - 2 ** 16;

/** n rounded up to even: single-pattern vectors hold whole f64x2 pairs. */
export function even(n: number): number {
  return n + (n & 1);
}

/** Byte addresses of the forward evaluator's blocks (16-byte aligned). */
export interface ForwardLayout {
  Pp: number;
  /** w, Δw (the weight store), W' = w + sΔw. */
  w: number; dw: number; wPert: number;
  /** Z_l: n_l × P̃ (Z_0 the inputs Y_0; X_l then Y_l in place). */
  Z: number[];
  /** Targets and the loss's scratch e_x (n_L × P̃); σ' scratch for softplus (widest hidden × P̃). */
  T: number; D: number; S1: number;
  /** Per layer, the single-pattern vectors of the + and − trial (n_l rounded up to even); a, d. */
  plus: number[]; minus: number[]; a: number; d: number;
  /** Per layer, the unperturbed net's vector of the same pattern (trialSampleLosses). */
  base: number[];
  /** drawSigns' words (⌈n/32⌉ uint32) and its table of the four sign pairs. */
  words: number; signTable: number;
  /** drawGaussian's ziggurat tables K and W (128 doubles each) and the stream's state (5 int32). */
  zigK: number; zigW: number; zigState: number;
  bytes: number;
}

/** The blocks for batches of up to `patterns` patterns (P̃ = patterns rounded up to 8) and single patterns. */
export function forwardLayout(net: LayeredNet, patterns: number): ForwardLayout {
  const Pp = Math.ceil(patterns / 8) * 8;
  let top = 0;
  const alloc = (doubles: number): number => {
    const at = top;
    top += Math.ceil(doubles / 2) * 16;
    return at;
  };
  const widest = Math.max(...net.layers);
  const L = net.layers.length - 1;
  const widestHidden = Math.max(0, ...net.layers.slice(1, -1));
  return {
    Pp,
    w: alloc(net.size), dw: alloc(net.size), wPert: alloc(net.size),
    Z: net.layers.map((n) => alloc(n * Pp)),
    T: alloc(net.layers[L] * Pp), D: alloc(net.layers[L] * Pp), S1: alloc(widestHidden * Pp),
    plus: net.layers.map((n) => alloc(even(n))), minus: net.layers.map((n) => alloc(even(n))),
    a: alloc(widest), d: alloc(widest),
    base: net.layers.map((n) => alloc(even(n))),
    words: alloc(Math.ceil(net.size / 64)), signTable: alloc(8),
    zigK: alloc(128), zigW: alloc(128), zigState: alloc(3),
    bytes: top,
  };
}
