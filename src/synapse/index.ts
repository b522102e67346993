import type { SynapseConstants, SynapsePopulation } from './estimator.js';
import { JointLmsPopulation } from './joint-lms.js';
import { MomentPopulation } from './moment.js';
import { SeedPopulation } from './seed.js';
import { WpPopulation } from './wp.js';

export * from './perturbation.js';
export * from './broadcast.js';
export * from './estimator.js';
export { WpPopulation } from './wp.js';
export { MomentPopulation } from './moment.js';
export { SeedPopulation, seedRegressionLimit } from './seed.js';
export { JointLmsPopulation, type JointLmsOptions } from './joint-lms.js';

export type EstimatorSpec =
  | { name: 'wp' }
  | { name: 'moment' }
  | { name: 'seed'; intercept: boolean }
  | { name: 'joint-lms'; step: number; decay: number };

/** A synapse population running the named estimator, each synapse holding its v_i. */
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
  }
}
