export { BoltzmannOracle } from './enumeration.js';
