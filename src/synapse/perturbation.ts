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

/** Writes Δw = σ ξ (n draws from the perturbation stream) into out; returns out. */
export function drawPerturbation(
  law: PerturbationName, sigma: number, rng: Rng, out: Float64Array,
): Float64Array {
  const n = out.length;
  switch (law) {
    case 'gaussian':
      for (let i = 0; i < n; i++) out[i] = sigma * rng.gaussian();
      break;
    case 'uniform':
      for (let i = 0; i < n; i++) out[i] = sigma * SQRT3 * (2 * rng.uniform() - 1);
      break;
    case 'rademacher':
      for (let i = 0; i < n; i++) out[i] = (rng.nextU32() & 1) === 0 ? -sigma : sigma;
      break;
  }
  return out;
}
