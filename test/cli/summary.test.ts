import { describe, expect, it } from 'vitest';
import { summaryLines } from '../../src/cli/run.js';
import { scenarioSchema } from '../../src/scenario/schema.js';

/** The summary of a finished run with nothing else to say (no results, no hardware events). */
const summary = {
  problem: 'a problem', synapses: 3, kernels: null, results: {}, status: 'complete', reason: null, trialsRun: 10, evaluations: 20,
  wallSeconds: 0.1, final: null, warnings: [],
  hardware: { deltaEClips: 0, sumClips: 0, dead: 0, stuck: 0, weightClips: 0 },
} as unknown as Parameters<typeof summaryLines>[1];

const estimatorLine = (perturbation: object): string | undefined => {
  const scenario = scenarioSchema.parse({
    name: 's', problem: { kind: 'teacher-student', inputs: 3, outputs: 1 }, perturbation, estimator: { name: 'wp' }, mode: 'train', train: { learningRate: 0.01 }, trials: 10, probeEvery: 5, seed: 1,
  });
  return summaryLines(scenario, summary).find((l) => l.startsWith('estimator'));
};

describe('the run summary names the perturbation law the run used', () => {
  it('a distribution by its name, a code by its own (the code sets the law)', () => {
    expect(estimatorLine({ sigma: 0.01, distribution: 'uniform' })).toBe('estimator  wp, uniform σ = 0.01; mode train');
    expect(estimatorLine({ sigma: 0.01, antithetic: true, code: { name: 'cdma', rho: 1 } })).toBe('estimator  wp, cdma code (ρ = 1) σ = 0.01, antithetic; mode train');
    expect(estimatorLine({ sigma: 0.02, code: { name: 'walsh' } })).toBe('estimator  wp, walsh code σ = 0.02; mode train');
  });
});
