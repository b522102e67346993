import type { Rng } from '../random/rng.js';

/**
 * What a weight-perturbation chip adds between the ideal model and the synapses (docs/hardware.md):
 *
 * - `noise`: additive Gaussian noise, standard deviation `noise`, on every measurement of E.
 * - `adc`: a `bits`-bit converter with full scale [−range, range] digitising ΔE (and, unless
 *   `sumAdc` gives the sums their own converter, every broadcast sum: p and the estimator's wire
 *   sums): round to the nearest of 2^bits levels, step 2·range/2^bits; values beyond full scale
 *   clip to it, and clips are counted.
 * - `weights`: weight storage of `bits` bits over [−range, range] (w is held quantised).
 * - `mismatch`: each synapse's perturbation generator has a gain error g_i ~ N(0, gain²) and an
 *   offset o_i ~ N(0, offset²), fixed per chip: the chip applies (1 + g_i)Δw_i + o_i while the
 *   synapse believes it applied Δw_i.
 * - `faults`: a seeded fraction of dead synapses (no perturbation, no updates: estimates stay 0)
 *   and of stuck ones (their weight never changes when training).
 */
export interface HardwareSpec {
  noise: number;
  adc: { bits: number; range: number } | null;
  /** The converter of the broadcast sums (p and the wire sums); defaults to `adc`. */
  sumAdc?: { bits: number; range: number } | null;
  weights: { bits: number; range: number } | null;
  mismatch: { gain: number; offset: number };
  faults: { dead: number; stuck: number };
  /**
   * Device variation as multiplexed gradient descent models it: every neuron's activation
   * L σ(k(x − x₀)) + y₀ with x₀, y₀ ~ N(0, s²) and k, L ~ N(1, s²) fixed per chip (s =
   * `activation`; layered nets, applied by the problem's chip-side forward pass), and noise
   * N(0, update²) on every weight update of every synapse.
   */
  variation?: { activation: number; update: number };
}

export const IDEAL_HARDWARE: HardwareSpec = {
  noise: 0,
  adc: null,
  weights: null,
  mismatch: { gain: 0, offset: 0 },
  faults: { dead: 0, stuck: 0 },
};

/** Counters reported in summary.json. */
export interface HardwareCounters {
  measurements: number;
  deltaEClips: number;
  sumClips: number;
  dead: number;
  stuck: number;
  weightClips: number;
}

/**
 * Mid-tread uniform quantiser: q(x) = step·round(x/step) with step = 2·range/2^bits, clipped to
 * [−range, range]. Its error on unclipped inputs is uniform on ±step/2 (variance step²/12).
 */
export class Quantizer {
  readonly step: number;
  constructor(readonly bits: number, readonly range: number) {
    this.step = (2 * range) / 2 ** bits;
  }

  /** Whether the last apply() clipped (|x| beyond full scale). */
  clipped = false;

  /** q(x), clipped to full scale (see `clipped`). Allocates nothing: it runs on every trial. */
  apply(x: number): number {
    this.clipped = x > this.range || x < -this.range;
    if (x > this.range) return this.range;
    if (x < -this.range) return -this.range;
    return this.step * Math.round(x / this.step);
  }
}

/** The chip: fixed per-synapse properties drawn once from the hardware stream, and the counters. */
export class Hardware {
  /** The stream of the measurement and update noise. */
  private readonly rng: Rng;
  readonly gain: Float64Array;
  readonly offset: Float64Array;
  readonly dead: Uint8Array;
  readonly stuck: Uint8Array;
  readonly adc: Quantizer | null;
  readonly sumAdc: Quantizer | null;
  readonly weightStore: Quantizer | null;
  readonly counters: HardwareCounters;
  /** True when the model changes nothing (every knob at its ideal value). */
  readonly ideal: boolean;

  /**
   * `rng` draws the chip's fixed properties, then its noise; `noiseRng`, when given, draws the
   * noise instead (a block of an estimate run: the same chip, its own noise stream).
   */
  constructor(readonly spec: HardwareSpec, n: number, rng: Rng, noiseRng: Rng = rng) {
    this.rng = noiseRng;
    this.gain = new Float64Array(n);
    this.offset = new Float64Array(n);
    this.dead = new Uint8Array(n);
    this.stuck = new Uint8Array(n);
    // Draw chip properties only when asked for, so an ideal chip consumes no random numbers.
    if (spec.mismatch.gain > 0) for (let i = 0; i < n; i++) this.gain[i] = spec.mismatch.gain * rng.gaussian();
    if (spec.mismatch.offset > 0) for (let i = 0; i < n; i++) this.offset[i] = spec.mismatch.offset * rng.gaussian();
    if (spec.faults.dead > 0) markFraction(this.dead, spec.faults.dead, rng, null);
    if (spec.faults.stuck > 0) markFraction(this.stuck, spec.faults.stuck, rng, this.dead);
    this.adc = spec.adc === null ? null : new Quantizer(spec.adc.bits, spec.adc.range);
    const sumSpec = spec.sumAdc === undefined ? spec.adc : spec.sumAdc;
    this.sumAdc = sumSpec === null ? null : new Quantizer(sumSpec.bits, sumSpec.range);
    this.weightStore = spec.weights === null ? null : new Quantizer(spec.weights.bits, spec.weights.range);
    this.counters = {
      measurements: 0,
      deltaEClips: 0,
      sumClips: 0,
      dead: this.dead.reduce((a, b) => a + b, 0),
      stuck: this.stuck.reduce((a, b) => a + b, 0),
      weightClips: 0,
    };
    this.ideal =
      spec.noise === 0 && spec.adc === null && (spec.sumAdc ?? null) === null && spec.weights === null && spec.mismatch.gain === 0 &&
      spec.mismatch.offset === 0 && spec.faults.dead === 0 && spec.faults.stuck === 0 &&
      (spec.variation?.activation ?? 0) === 0 && (spec.variation?.update ?? 0) === 0;
  }

  /** A measurement of E: the true value plus the chip's noise. */
  measure(e: number): number {
    this.counters.measurements++;
    return this.spec.noise > 0 ? e + this.spec.noise * this.rng.gaussian() : e;
  }

  /** ΔE through the ADC (identity without one). */
  digitizeDeltaE(x: number): number {
    if (this.adc === null) return x;
    const q = this.adc.apply(x);
    if (this.adc.clipped) this.counters.deltaEClips++;
    return q;
  }

  /** A broadcast sum through the ADC. */
  digitizeSum(x: number): number {
    if (this.sumAdc === null) return x;
    const q = this.sumAdc.apply(x);
    if (this.sumAdc.clipped) this.counters.sumClips++;
    return q;
  }

  /** Stores w in the chip's weight format, in place (stuck synapses included: they hold a stored value too). */
  storeWeights(w: Float64Array): void {
    if (this.weightStore === null) return;
    for (let i = 0; i < w.length; i++) {
      w[i] = this.weightStore.apply(w[i]);
      if (this.weightStore.clipped) this.counters.weightClips++;
    }
  }

  /** Update noise: every synapse's weight moves by N(0, update²) more at each weight update (not stuck ones). */
  perturbUpdate(w: Float64Array): void {
    const s = this.spec.variation?.update ?? 0;
    if (s === 0) return;
    for (let i = 0; i < w.length; i++) if (!this.stuck[i]) w[i] += s * this.rng.gaussian();
  }

  /** The perturbation the chip actually applies for nominal Δw: (1 + g_i)Δw_i + o_i, 0 if dead. */
  applied(dw: Float64Array, out: Float64Array): Float64Array {
    for (let i = 0; i < dw.length; i++) out[i] = this.dead[i] ? 0 : (1 + this.gain[i]) * dw[i] + this.offset[i];
    return out;
  }
}

/** Marks round(fraction·n) distinct slots (skipping those set in `exclude`), chosen by a seeded shuffle. */
function markFraction(mask: Uint8Array, fraction: number, rng: Rng, exclude: Uint8Array | null): void {
  const candidates: number[] = [];
  for (let i = 0; i < mask.length; i++) if (exclude === null || !exclude[i]) candidates.push(i);
  const count = Math.min(candidates.length, Math.round(fraction * mask.length));
  for (let k = 0; k < count; k++) {
    const j = k + rng.int(candidates.length - k);
    [candidates[k], candidates[j]] = [candidates[j], candidates[k]];
    mask[candidates[k]] = 1;
  }
}
