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
 * Where the source may draw faster: `drawSigns(rng, scale)` fills `dw` with exactly the bytes of
 * rng.fillSigns(dw, scale), `drawGaussian(rng, scale)` those of rng.fillZigguratGaussian(dw,
 * scale) (a weight store's wasm sweeps, src/exact/layered/forward-common.ts).
 */
export interface SignSweep {
  readonly dw: Float64Array;
  drawSigns(rng: Rng, scale: number): void;
  drawGaussian?(rng: Rng, scale: number): void;
}

export function perturbationSource(
  spec: { law: PerturbationName; sigma: number; code?: CodeSpec | null }, size: number, rng: Rng, sweep: SignSweep | null = null,
): PerturbationSource {
  const { law, sigma } = spec;
  // ±σ from the bits of random words: rademacher draws, and cdma at ρ = 1, which is the same
  // draw bit for bit (src/synapse/codes.ts); on the sweep when the output is its Δw.
  const signs = law === 'rademacher' && (spec.code === undefined || spec.code === null) ? true : spec.code?.name === 'cdma' && spec.code.rho === 1;
  if (signs && sweep !== null) {
    return {
      meanSquare: sigma * sigma,
      fill: (_step, out) => {
        if (out === sweep.dw) sweep.drawSigns(rng, sigma);
        else rng.fillSigns(out, sigma);
      },
    };
  }
  if (law === 'gaussian' && (spec.code === undefined || spec.code === null) && sweep?.drawGaussian !== undefined) {
    const gaussian = sweep.drawGaussian.bind(sweep);
    const draw = perturbationDraw(law);
    return {
      meanSquare: sigma * sigma,
      fill: (_step, out) => {
        if (out === sweep.dw) gaussian(rng, sigma);
        else draw(sigma, rng, out);
      },
    };
  }
  if (spec.code === undefined || spec.code === null) {
    // The law's draw is looked up here, once: the closure holds a function, not the law's name.
    const draw = perturbationDraw(law);
    return { meanSquare: sigma * sigma, fill: (_step, out) => draw(sigma, rng, out) };
  }
  const code: PerturbationCode = makeCode(spec.code, size, sigma, rng);
  return { meanSquare: code.meanSquare, fill: (step, out) => code.fill(step, out) };
}
