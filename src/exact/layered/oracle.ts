import type { Dataset } from '../../nets/dataset.js';
import type { LayeredNet } from '../../nets/layered.js';
import { wasmKernelsUnavailable } from '../../wasm/kernels.js';
import { EvaluatingOracle } from '../oracle.js';
import { layeredForward, type LayeredForward } from './forward.js';
import { JsLayeredPass } from './js-pass.js';
import type { LayeredKernels, LayeredPass } from './pass.js';
import { WASM_PASS_MAX_BYTES, WasmLayeredPass, wasmPassLayout } from './wasm-pass.js';

/**
 * The exact oracle of a dense layered net: E, ∇E by backprop and Hv by R{backprop}, on one of
 * two implementations of the same equations (below, and layered-wasm.ts):
 *
 *  - 'wasm': feature-major matrices and WebAssembly SIMD (f64x2) kernels, vectorised along
 *    the patterns, so even iris-sized layers of 3–10 units run on long vectors. 3–5× faster
 *    than 'js' from 4-10-3 to 784-256-10 (docs/benchmarks.md).
 *  - 'js': pattern-major matrices and the register-blocked JavaScript gemm kernels; the
 *    fallback where the wasm module cannot load, and an independent second implementation.
 *
 * 'auto' (the default) takes 'wasm' when the module is available and the pass fits its memory
 * limit (WASM_PASS_MAX_BYTES, 2 GiB: 784-256-10 up to ~77 000 patterns). The two agree to
 * round-off and are checked against each other and against finite differences.
 */
export class LayeredOracle extends EvaluatingOracle {
  override readonly size: number;
  /** The implementation in use. */
  readonly kernels: 'js' | 'wasm';
  private readonly pass: LayeredPass;
  private data: Dataset;
  private forwardPass: LayeredForward | null = null;
  private forwardUnavailable = false;

  constructor(readonly net: LayeredNet, data: Dataset, options: { kernels?: LayeredKernels } = {}) {
    super();
    this.size = net.size;
    this.data = data;
    const requested = options.kernels ?? 'auto';
    if (requested === 'wasm') {
      const reason = wasmKernelsUnavailable();
      if (reason !== null) throw new Error(`LayeredOracle: kernels 'wasm' requested but ${reason}`);
    }
    let kernels = chooseLayeredKernels(requested, net, data.count);
    let pass: LayeredPass | null = null;
    if (kernels === 'wasm') {
      try {
        pass = new WasmLayeredPass(net, data);
      } catch (err) {
        // The wasm memory is sized to this net and pattern count (wasmPassLayout), but the
        // engine reserves address space beyond it; under a virtual-memory limit (ulimit -v)
        // that can fail. 'auto' then runs the JavaScript kernels (the same equations).
        if (!(err instanceof RangeError)) throw err;
        if (requested === 'wasm') throw new Error(`LayeredOracle: kernels 'wasm' requested but its memory could not be allocated (${err.message})`);
        noticeOnce(`the wasm kernels could not allocate their memory (${err.message}); using the JavaScript kernels`);
        kernels = 'js';
      }
    }
    this.kernels = kernels;
    this.pass = pass ?? new JsLayeredPass(net, data);
  }

  /** Replaces the patterns (same count and widths), e.g. a fresh teacher–student sample. */
  setData(data: Dataset): void {
    if (data.count !== this.data.count || data.nIn !== this.data.nIn || data.nOut !== this.data.nOut) {
      throw new Error('setData: the new data set must have the same pattern count and widths');
    }
    this.data = data;
    this.pass.setData(data);
    this.forwardPass?.setData(data);
  }

  /**
   * The forward-only evaluator of this net and data on the oracle's kernels (forward.ts), built
   * on first use: E(w + sΔw) for trials, batch, minibatch or single patterns.
   */
  forward(): LayeredForward {
    this.forwardPass ??= layeredForward(this.net, this.data, { kernels: this.kernels });
    return this.forwardPass;
  }

  /**
   * E(w): on the wasm kernels by the forward-only pass (no σ', no backward or R sweeps); by the
   * full pass where that is JavaScript, or where the forward pass's own wasm memory cannot be
   * allocated (a RangeError under a memory limit, as in the constructor).
   */
  override loss(w: Float64Array): number {
    if (this.kernels === 'wasm' && !this.forwardUnavailable) {
      if (this.forwardPass === null) {
        try {
          this.forward();
        } catch (err) {
          if (!(err instanceof RangeError)) throw err;
          this.forwardUnavailable = true;
          return this.pass.evaluate(w, null, null, null);
        }
      }
      return (this.forwardPass as LayeredForward).loss(w, null, 0);
    }
    return this.pass.evaluate(w, null, null, null);
  }

  override evaluate(w: Float64Array, v: Float64Array | null, g: Float64Array | null, hv: Float64Array | null): number {
    return this.pass.evaluate(w, v, g, hv);
  }
}

let noticed = false;

/** One line on stderr, once per process (or worker thread): the kernels fell back. */
function noticeOnce(text: string): void {
  if (noticed) return;
  noticed = true;
  process.stderr.write(`wpsim: notice: ${text}\n`);
}

/** The implementation `new LayeredOracle(net, data, { kernels: requested })` runs. */
export function chooseLayeredKernels(requested: LayeredKernels, net: LayeredNet, patterns: number): 'js' | 'wasm' {
  if (requested !== 'auto') return requested;
  return wasmKernelsUnavailable() === null && wasmPassLayout(net, patterns).bytes <= WASM_PASS_MAX_BYTES ? 'wasm' : 'js';
}
export type { LayeredKernels, LayeredPass } from './pass.js';
