export type { Oracle } from './oracle.js';
export { LayeredOracle, type LayeredKernels } from './layered.js';
export { GraphOracle } from './graph.js';
export { FiniteDifferenceHv, type FdScheme } from './finite-difference.js';
export { denseHessian, asymmetry } from './dense.js';
export { fdStudy, FD_STUDY_STEPS, type FdStudyRow } from './fd-study.js';
export { QuadraticOracle } from './quadratic.js';
export { TeacherStudentOracle, teacherStudentSampleLoss } from './teacher-student.js';
export * from './boltzmann/index.js';
