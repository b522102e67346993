import { squaredNorm, type SynapseConstants, type SynapsePopulation } from './estimator.js';
import { JointLmsPopulation } from './joint-lms.js';
import { MomentPopulation } from './moment.js';
import { KURTOSIS, type PerturbationName } from './perturbation.js';
import { SeedPopulation } from './seed.js';
import { WpPopulation } from './wp.js';

export * from './perturbation.js';
export * from './broadcast.js';
export * from './estimator.js';
export * from './learning-rule.js';
export { WpPopulation } from './wp.js';
export { MomentPopulation } from './moment.js';
export { SeedPopulation, seedRegressionLimit } from './seed.js';
export { JointLmsPopulation, type JointLmsOptions } from './joint-lms.js';

export type EstimatorSpec =
  | { name: 'wp' }
  | { name: 'moment' }
  | { name: 'seed'; intercept: boolean }
  | { name: 'joint-lms'; step: number; decay: number }
  | { name: 'node' };

/** The constants every synapse of a chip is built with, for a law, σ and the chip's direction v. */
export function synapseConstants(law: PerturbationName, sigma: number, antithetic: boolean, v: Float64Array): SynapseConstants {
  return { size: v.length, law, sigma, kappa: KURTOSIS[law], antithetic, vNorm2: squaredNorm(v) };
}

/**
 * A synapse population running the named estimator, holding the synapses whose v_i are given
 * (the whole chip, or a subset built with the chip's constants).
 */
export function createPopulation(spec: EstimatorSpec, constants: SynapseConstants, v: Float64Array): SynapsePopulation {
  switch (spec.name) {
    case 'wp':
      return new WpPopulation(constants, v);
    case 'moment':
      return new MomentPopulation(constants, v);
    case 'seed':
      return new SeedPopulation(constants, v, spec.intercept);
    case 'joint-lms':
      return new JointLmsPopulation(constants, v, { step: spec.step, decay: spec.decay });
    case 'node':
      // Node perturbation: each synapse correlates the broadcast with its own signal
      // e_i = ξ_post(i) y_pre(i) (the environment's), exactly as a wp synapse does with Δw_i.
      return new WpPopulation(constants, v, 'node');
  }
}
export { isMergeable, type Mergeable, type SufficientStatistics } from './statistics.js';
