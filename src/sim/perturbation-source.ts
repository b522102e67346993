import type { Rng } from '../random/rng.js';
import type { CodeSpec } from '../synapse/code-factory.js';
import { makeCode } from '../synapse/code-factory.js';
import type { PerturbationCode } from '../synapse/codes.js';
import { perturbationDraw, type PerturbationName } from '../synapse/perturbation.js';

/**
 * Where each trial's nominal Δw comes from: iid draws of a law (a fresh draw per perturbation
 * period), or a code multiplexed in time (tdma), code (cdma, walsh) or frequency (fdma)
 * (docs/theory.md, "Perturbation codes"). Every synapse generates its own value from its own
 * index, constants and the step: the source only fills the whole population at once.
 */
export interface PerturbationSource {
  /** E Δw_i² per step (σ² for the laws, cdma and walsh; σ²/n for tdma; σ² on average for fdma). */
  readonly meanSquare: number;
  /** Writes the nominal Δw of code step `step` (0-based) into out. */
  fill(step: number, out: Float64Array): void;
}

/**
 * A weight store that draws the chip's Δw itself, faster (its wasm sweeps,
 * src/exact/layered/forward-common.ts): `drawSigns(rng, scale)` fills `dw` with exactly the bytes
 * of rng.fillSigns(dw, scale), `drawGaussian(rng, scale)` those of rng.fillZigguratGaussian(dw, scale).
 */
export interface StoreDraws {
  readonly dw: Float64Array;
  drawSigns(rng: Rng, scale: number): void;
  drawGaussian?(rng: Rng, scale: number): void;
}

export function perturbationSource(
  spec: { law: PerturbationName; sigma: number; code?: CodeSpec | null }, size: number, rng: Rng, store: StoreDraws | null = null,
): PerturbationSource {
  const { law, sigma } = spec;
  const plain = spec.code === undefined || spec.code === null;
  // ±σ from the bits of random words: rademacher draws, and cdma at ρ = 1, which is the same
  // draw bit for bit (src/synapse/codes.ts).
  const signs = law === 'rademacher' && plain ? true : spec.code?.name === 'cdma' && spec.code.rho === 1;
  // The law's draw is looked up here, once: the closures hold functions, not the law's name.
  const draw = signs ? (s: number, r: Rng, out: Float64Array) => r.fillSigns(out, s) : plain ? perturbationDraw(law) : null;
  // Where the output is the store's Δw, the store draws it (the same bytes), for signs and Gaussian draws.
  const onStore = store === null ? undefined : signs ? store.drawSigns : law === 'gaussian' && plain ? store.drawGaussian : undefined;
  if (draw !== null && store !== null && onStore !== undefined) {
    const storeDraw = onStore.bind(store);
    return { meanSquare: sigma * sigma, fill: (_step, out) => (out === store.dw ? storeDraw(rng, sigma) : draw(sigma, rng, out)) };
  }
  if (draw !== null && plain) return { meanSquare: sigma * sigma, fill: (_step, out) => draw(sigma, rng, out) };
  const code: PerturbationCode = makeCode(spec.code as CodeSpec, size, sigma, rng);
  return { meanSquare: code.meanSquare, fill: (step, out) => code.fill(step, out) };
}
