export { BoltzmannOracle } from './enumeration.js';
export { gibbsStatistics, gibbsGradientAndHv, DEFAULT_GIBBS, type GibbsOptions, type SampledStatistics } from './gibbs.js';
