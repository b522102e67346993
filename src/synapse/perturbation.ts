import type { Rng } from '../random/rng.js';

/**
 * Perturbation laws for Δw_i = σ ξ_i: ξ iid, symmetric, E ξ² = 1, with fourth moment
 * κ = E ξ⁴ (docs/theory.md, "Weight perturbation"):
 *   gaussian    N(0, 1)                κ = 3
 *   uniform     U[−√3, √3]             κ = 9/5
 *   rademacher  ±1 with probability ½   κ = 1   (Δw_i² = σ² always: H_ii is invisible)
 */
export const PERTURBATION_NAMES = ['gaussian', 'uniform', 'rademacher'] as const;
export type PerturbationName = (typeof PERTURBATION_NAMES)[number];

export const KURTOSIS: Record<PerturbationName, number> = {
  gaussian: 3,
  uniform: 9 / 5,
  rademacher: 1,
};

const SQRT3 = Math.sqrt(3);

/** Writes Δw = σ ξ (n draws from the stream) into out and returns it: one law's bulk draw. */
export type PerturbationDraw = (sigma: number, rng: Rng, out: Float64Array) => Float64Array;

/**
 * The bulk draws of Rng (docs/formats.md, "Random streams"): gaussian by the ziggurat (one word
 * per draw, a few more for ~1 % of draws), uniform from one word per draw, rademacher 32 synapses
 * per word (bit j of word m gives synapse 32m + j its sign: 1 → +σ, 0 → −σ).
 */
const DRAWS: Readonly<Record<PerturbationName, PerturbationDraw>> = {
  gaussian: (sigma, rng, out) => rng.fillZigguratGaussian(out, sigma),
  uniform: (sigma, rng, out) => rng.fillSymmetricUniform(out, sigma * SQRT3),
  rademacher: (sigma, rng, out) => rng.fillSigns(out, sigma),
};

/**
 * The draw of a law, looked up once. A trial loop holds the function, never the law's name: a
 * name compared on every trial inside optimised code is what once froze Δw under Node 20 (V8 11.3)
 * (docs/testing.md, "Run-to-run bytes under concurrent compilation").
 */
export function perturbationDraw(law: PerturbationName): PerturbationDraw {
  const draw = Object.hasOwn(DRAWS, law) ? DRAWS[law] : undefined;
  if (draw === undefined) throw new Error(`unknown perturbation law ${JSON.stringify(law)}`);
  return draw;
}

/** Writes Δw = σ ξ (n draws from the perturbation stream) into out; returns out. */
export function drawPerturbation(
  law: PerturbationName, sigma: number, rng: Rng, out: Float64Array,
): Float64Array {
  return perturbationDraw(law)(sigma, rng, out);
}
