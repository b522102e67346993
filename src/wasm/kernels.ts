import { readFileSync } from 'node:fs';

/**
 * The WebAssembly SIMD kernels of src/wasm/kernels.wat. Pointers are byte addresses into the
 * instance's memory, strides and counts are in doubles; see the .wat file for each kernel's
 * formula and its shape rules (the pass pads the pattern dimension to a multiple of 8).
 */
export interface WasmKernels {
  readonly memory: WebAssembly.Memory;
  /** C = (acc ? C : 0) + bias 1ᵀ + A B; A m×k, B k×n, n % 8 = 0; bias < 0: none. */
  gemm_nn(m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number,
    c: number, ldc: number, acc: number, bias: number): void;
  /** C = (acc ? C : 0) + A Bᵀ; A m×k, B n×k, k % 4 = 0. */
  gemm_nt(m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number,
    c: number, ldc: number, acc: number): void;
  /** out[i] = Σ_j A[i, j]; n % 2 = 0. */
  row_sums(m: number, n: number, a: number, lda: number, out: number): void;
  /** out = a ⊙ b; count % 2 = 0. */
  mul(count: number, a: number, b: number, out: number): void;
  /** D = σ' ⊙ dY, R{D} = σ' ⊙ R{dY} + σ'' ⊙ R{X} ⊙ dY; count % 2 = 0. */
  back_combine(count: number, s1: number, s2: number, rx: number, dy: number, rdy: number, d: number, rd: number): void;
  /** y, σ', σ'' (when wantS2 ≠ 0) of tanh; count % 2 = 0. */
  tanh_derivatives(count: number, x: number, y: number, s1: number, s2: number, wantS2: number): void;
  /** y, σ', σ'' (when wantS2 ≠ 0) of the logistic; count % 2 = 0. */
  logistic_derivatives(count: number, x: number, y: number, s1: number, s2: number, wantS2: number): void;
  /** y, σ', σ'' (when wantS2 ≠ 0) of softplus; count % 2 = 0. */
  softplus_derivatives(count: number, x: number, y: number, s1: number, s2: number, wantS2: number): void;
  /** Σ E of softmax cross-entropy over n × cols blocks (stride ld), e_x into dx, R{e_x} into rdx when rx ≥ 0. */
  softmax_cross_entropy(cols: number, n: number, ld: number, x: number, t: number, dx: number, rx: number, rdx: number): number;
  /** y = tanh x alone (in place allowed), e^{−2|x|} as a rational in r; count % 2 = 0. */
  tanh_forward(count: number, x: number, y: number): void;
  /** y = logistic x alone (in place allowed); count % 2 = 0. */
  logistic_forward(count: number, x: number, y: number): void;
  /** a = W x and d = ΔW x in one sweep (W, ΔW: m × k, row stride ldw); any k. */
  matvec_pair(m: number, k: number, w: number, dw: number, ldw: number, x: number, a: number, d: number): void;
  /** a = W x (W: m × k, row stride ldw); any k. */
  matvec(m: number, k: number, w: number, ldw: number, x: number, a: number): void;
  /** W += (alpha u) xᵀ row by row (W: m × k, row stride ldw); any k. */
  rank1(m: number, k: number, alpha: number, u: number, x: number, w: number, ldw: number): void;
  /** out = Wᵀ u (W: m × k, row stride ldw), summed over rows in order; any k. */
  matvec_t(m: number, k: number, w: number, ldw: number, u: number, out: number): void;
  /** y += alpha x over count doubles rounded up to even. */
  axpy(count: number, alpha: number, x: number, y: number): void;
  /** out[i] = ±s from bit i mod 32 of words[⌊i/32⌋] (1 → +), via the 4-pair table; count rounded up to even. */
  expand_signs(count: number, words: number, table: number, out: number): void;
  /** One trial of the moment estimator's sums (moment.ts) over count slots rounded up to even. */
  moment_update(count: number, dOdd: number, dEven: number, p: number, ratio: number, s2: number, meanY: number,
    dw: number, v: number, cG: number, qG: number, cZ: number, qZ: number, cH: number): void;
  /** Ziggurat draws out[from…] on the fast path from the int32 state at `state`; returns the first index that misses (its word at state + 16) or count. */
  ziggurat_fast(count: number, from: number, out: number, state: number, K: number, W: number, scale: number): number;
  /** One trial of first-order WP's sums (wp.ts) over count slots rounded up to even. */
  wp_update(count: number, a: number, dw: number, sumDwDE: number, sumDw2: number, sumD2: number, sumDS: number, sumDw4: number): void;
}

/**
 * The assembled module lives in dist/wasm/ (scripts/build-wasm.mjs, part of `npm run build`).
 * This file runs both as src/wasm/kernels.ts (tests) and dist/wasm/kernels.js (the CLI); both
 * sit two levels below the package root, so one relative path serves both.
 */
const MODULE_URL = new URL('../../dist/wasm/kernels.wasm', import.meta.url);

let compiled: WebAssembly.Module | undefined;
let unavailable: string | undefined;

function kernelModule(): WebAssembly.Module | null {
  if (compiled === undefined && unavailable === undefined) {
    try {
      compiled = new WebAssembly.Module(readFileSync(MODULE_URL));
    } catch (err) {
      unavailable = `${MODULE_URL.pathname}: ${(err as Error).message}`;
    }
  }
  return compiled ?? null;
}

/** Why the wasm kernels cannot be used here (missing build, no SIMD), or null if they can. */
export function wasmKernelsUnavailable(): string | null {
  kernelModule();
  return unavailable ?? null;
}

/** A fresh instance with its own memory of at least `bytes` bytes; the memory never grows. */
export function instantiateKernels(bytes: number): WasmKernels {
  const module = kernelModule();
  if (module === null) throw new Error(`wasm kernels unavailable: ${unavailable}`);
  const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / 65_536)) });
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return { memory, ...(instance.exports as Omit<WasmKernels, 'memory'>) };
}
