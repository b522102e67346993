export { FiniteDifferenceHv, type FdScheme } from './finite-difference.js';
export { fdStudy, FD_STUDY_STEPS, type FdStudyRow } from './fd-study.js';
export { gibbsStatistics, gibbsGradientAndHv, DEFAULT_GIBBS, type GibbsOptions, type SampledStatistics } from './gibbs.js';
