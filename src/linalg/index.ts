export { dot, axpy, scale, nrm2, relErr, cosine } from './blas1.js';
export { gemmNT, gemmTN, transpose } from './gemm.js';
export { randomOrthogonal, symmetricFromEigen } from './orthogonal.js';
export { LU } from './lu.js';
