import { instantiateKernels, wasmKernelsUnavailable, type WasmKernels } from '../wasm/kernels.js';

/**
 * A population's per-synapse arrays, laid out in the memory of one WebAssembly kernels instance
 * of its own (each array 16-byte aligned and padded to an even length) so that one trial's
 * update of every synapse is one f64x2 sweep (src/wasm/kernels.wat, "Synapse populations"); the
 * arrays are views of that memory, read and written from JavaScript like any Float64Array. A
 * `dw` slot receives each trial's Δw (copied in: the environment's Δw lives elsewhere).
 *
 * Where the kernels cannot be used (no WebAssembly SIMD, or a memory that cannot be allocated)
 * the arrays are plain Float64Arrays and `kernels` is null: the population then runs its
 * JavaScript loop, which gives the same bits (test/synapse/wasm-state.test.ts).
 */
export interface SynapseArrays<K extends string> {
  readonly arrays: Record<K | 'dw', Float64Array>;
  /** Byte address of each array in the kernels' memory (meaningless when kernels is null). */
  readonly at: Record<K | 'dw', number>;
  readonly kernels: WasmKernels | null;
}

/**
 * Under this many synapses a population keeps plain arrays. A run in blocks builds a population,
 * and so a kernels instance, per block, so the one call site of the update sees a new function
 * every block and V8 calls it through its generic JS-to-wasm wrapper: ~0.4–1 µs per call in the
 * trial loop (measured 2026-11-28; ~0.1 µs from a call site that sees one instance). Against the
 * JavaScript loop's ~5.6 ns per synapse the sweep's ~2 ns pays for that from about a thousand
 * synapses: the real loop measured 0.72× at 40 synapses, 1.0× at 1 000, 1.12× at 5 000.
 */
export const WASM_MIN_SYNAPSES = 1024;

export function synapseArrays<K extends string>(names: readonly K[], n: number): SynapseArrays<K> {
  const all = ['dw' as const, ...names];
  const plain = (): SynapseArrays<K> => ({
    arrays: Object.fromEntries(all.map((k) => [k, new Float64Array(n)])) as Record<K | 'dw', Float64Array>,
    at: Object.fromEntries(all.map((k) => [k, -1])) as Record<K | 'dw', number>,
    kernels: null,
  });
  if (n < WASM_MIN_SYNAPSES || wasmKernelsUnavailable() !== null) return plain();
  const stride = Math.ceil(n / 2) * 16;
  let kernels: WasmKernels;
  try {
    kernels = instantiateKernels(stride * all.length);
  } catch (err) {
    if (err instanceof RangeError) return plain();
    throw err;
  }
  const at = Object.fromEntries(all.map((k, j) => [k, j * stride])) as Record<K | 'dw', number>;
  const arrays = Object.fromEntries(all.map((k, j) => [k, new Float64Array(kernels.memory.buffer, j * stride, n)])) as Record<K | 'dw', Float64Array>;
  return { arrays, at, kernels };
}
