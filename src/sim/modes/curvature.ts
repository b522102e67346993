import { HessianOperator } from '../../analysis/operator.js';
import { lanczos } from '../../analysis/lanczos.js';
import { Rng } from '../../random/rng.js';
import type { Chip } from '../chip.js';

/**
 * Curvature in the loop (docs/hardware.md, "Curvature in the loop"; docs/theory.md, "Curvature
 * in the loop"). Exactly one of the three is given; all of them need the `estimator` rule, whose
 * population estimates ĝ and ẑ = Hv on the same `every` trials at a fixed w.
 *
 * - `track`: every `every` trials (a multiple of the rule's window) the synapses refresh their
 *   power-iteration direction v ← ẑ/‖ẑ‖; λ̂ is the mean of the last `average` Rayleigh quotients
 *   v·ẑ and the step size follows it, η = safety/λ̂.
 * - `precondition`: each synapse divides its step by its own curvature, Δw_i = −η ĝ_i /
 *   max(|H̄_ii|, δ), H̄_ii its running average of the moment estimator's Ĥ_ii over `window` windows.
 * - `newton`: after each gradient window, `iterations` conjugate-gradient iterations on
 *   (H + λI) d = −ĝ, each product H d estimated by the synapses over `productTrials` trials with
 *   v = d/‖d‖; w ← w + η d.
 */
export interface CurvatureSpec {
  track?: { every: number; safety: number; average: number } | null;
  precondition?: { delta: number; window: number } | null;
  newton?: { iterations: number; productTrials: number; damping: number } | null;
}

/**
 * A scalar that the synapses form on the summing wire: Σ_i a_i b_i, each synapse contributing its
 * own product, digitised by the wire's converter like every other broadcast sum (sumClips counted).
 */
export function wireDot(chip: Chip, a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return chip.hardware.digitizeSum(s);
}

/** The exact largest-|λ| eigenpair of the oracle's Hessian at w (Lanczos with full reorthogonalisation). */
export function exactTopEigenpair(chip: Chip, w: Float64Array): { value: number; vector: Float64Array } {
  const n = chip.size;
  const r = lanczos(new HessianOperator(chip.spec.problem.oracle, w), Math.min(n, 120), Rng.derive(chip.spec.seed, 'lanczos'), true);
  let best = 0;
  for (let k = 1; k < r.steps; k++) if (Math.abs(r.values[k]) > Math.abs(r.values[best])) best = k;
  return { value: r.values[best], vector: (r.vectors as Float64Array).slice(best * n, (best + 1) * n) };
}

/**
 * λ_max tracked while learning: at a refresh the synapses read ẑ (estimated along their unit v
 * over the last window, at the w of that window), the wire gives v·ẑ and ‖ẑ‖², every synapse
 * sets v_i ← ẑ_i/‖ẑ‖, and λ̂ is the mean of the last `average` Rayleigh quotients.
 */
export class LambdaTracker {
  private readonly history: number[] = [];
  /** The latest Rayleigh quotient v·ẑ and the averaged λ̂ (NaN before the first). */
  rayleigh = NaN;
  lambda = NaN;
  /** The w at which the latest ẑ was estimated (the exact λ_max is taken there). */
  readonly wAtRefresh: Float64Array;
  private readonly z: Float64Array;

  constructor(private readonly chip: Chip, private readonly average: number) {
    this.wAtRefresh = Float64Array.from(chip.w);
    this.z = new Float64Array(chip.size);
  }

  /** Seeds λ̂ (e.g. with the pre-phase's estimate at w0). */
  seed(lambda: number): void {
    this.history.push(lambda);
    this.lambda = lambda;
  }

  /** One power-iteration step on the chip; returns the new direction (v itself if ẑ = 0). */
  refresh(): Float64Array {
    const { chip } = this;
    const population = chip.population;
    if (population.hv === undefined) throw new Error(`curvature tracking needs an estimator that estimates Hv; ${population.name} does not`);
    const v = chip.direction;
    const z = population.hv(this.z);
    this.wAtRefresh.set(chip.w);
    this.rayleigh = wireDot(chip, v, z);
    this.history.push(this.rayleigh);
    if (this.history.length > this.average) this.history.shift();
    this.lambda = this.history.reduce((a, b) => a + b, 0) / this.history.length;
    const norm = Math.sqrt(wireDot(chip, z, z));
    return norm > 0 ? z.map((x) => x / norm) : v;
  }
}

/**
 * Local diagonal preconditioning: synapse i keeps H̄_i, the running mean of its window estimates
 * Ĥ_ii for the first `window` windows and then an exponential average with time constant
 * `window` windows, and steps w_i ← w_i − η ĝ_i / max(|H̄_i|, δ). Nothing but slot i is read.
 */
export class DiagonalPreconditioner {
  readonly average: Float64Array;
  private readonly h: Float64Array;
  private windows = 0;
  /** Synapses whose step used δ at the last step. */
  clamped = 0;

  constructor(private readonly chip: Chip, private readonly delta: number, private readonly window: number) {
    this.average = new Float64Array(chip.size);
    this.h = new Float64Array(chip.size);
  }

  /** Folds this window's Ĥ_ii in and steps with ĝ. */
  step(g: Float64Array, eta: number): void {
    const population = this.chip.population;
    if (population.hessianDiagonal === undefined) throw new Error(`diagonal preconditioning needs an estimator that estimates diag H; ${population.name} does not`);
    const h = population.hessianDiagonal(this.h);
    const a = 1 / Math.min(++this.windows, this.window);
    const { w, hardware } = this.chip;
    const stuck = hardware.stuck;
    const avg = this.average;
    const delta = this.delta;
    let clamped = 0;
    for (let i = 0; i < w.length; i++) {
      avg[i] += a * (h[i] - avg[i]);
      const curvature = Math.abs(avg[i]);
      if (curvature < delta) clamped++;
      if (!stuck[i]) w[i] -= (eta * g[i]) / Math.max(curvature, delta);
    }
    this.clamped = clamped;
  }
}
