export type { Oracle } from './oracle.js';
export { LayeredOracle, type LayeredKernels } from './layered/oracle.js';
export { GraphOracle } from './graph.js';
export { QuadraticOracle } from './quadratic.js';
export { TeacherStudentOracle, teacherStudentSampleLoss } from './teacher-student.js';
export * from './boltzmann/index.js';
export { oracleFor } from './factory.js';
