export { HessianOperator, DenseOperator, type SymmetricOperator } from './operator.js';
export { tridiagonalEigen } from './tridiagonal.js';
export { lanczos, type LanczosResult } from './lanczos.js';
export { topEigenpairs, learningRateFromLambdaMax, type Eigenpair, type PowerOptions } from './power.js';
export { hutchinsonTrace, hutchPlusPlus, type TraceEstimate } from './trace.js';
export { spectralDensity, smoothDensity, type SpectralDensity } from './density.js';
export { newtonCgStep, armijoBacktrack, type NewtonStep } from './newton.js';
export { denseHessian, asymmetry } from './dense.js';
