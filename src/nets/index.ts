export * from './activations.js';
export * from './losses.js';
export * from './dataset.js';
export * from './layered.js';
export * from './graph.js';
export * from './random.js';
export * from './boltzmann.js';
