import { describe, expect, it } from 'vitest';
import { scenarioSchema } from '../../src/scenario/schema.js';

const base = {
  name: 'c', problem: { kind: 'quadratic', size: 4, spectrum: { min: 0.5, max: 2 } },
  perturbation: { distribution: 'gaussian', sigma: 0.02, antithetic: true }, estimator: { name: 'moment' }, mode: 'train',
  trials: 100, probeEvery: 10, seed: 1,
};

function issues(overrides: Record<string, unknown>): string[] {
  const r = scenarioSchema.safeParse({ ...base, ...overrides });
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('train.curvature validation', () => {
  it('accepts each of the three alone with the estimator rule', () => {
    expect(issues({ train: { rule: 'estimator', every: 100, curvature: { track: { every: 200 } } } })).toEqual([]);
    expect(issues({ train: { learningRate: 0.5, rule: 'estimator', every: 100, curvature: { precondition: { delta: 0.01 } } } })).toEqual([]);
    expect(issues({ train: { learningRate: 1, rule: 'estimator', every: 100, curvature: { newton: { productTrials: 100 } } } })).toEqual([]);
  });

  it('rejects impossible combinations with a message naming the field and why', () => {
    expect(issues({ train: { rule: 'estimator', every: 100, curvature: {} } })[0]).toMatch(/^train\.curvature: must give exactly one/);
    expect(issues({ train: { learningRate: 1, rule: 'estimator', every: 100, curvature: { precondition: { delta: 0.1 }, newton: { productTrials: 10 } } } })[0]).toMatch(/given: precondition, newton/);
    expect(issues({ train: { rule: 'wp', curvature: { track: { every: 1000 } } } })).toContain('train.rule: must be "estimator" for train.curvature.track: the synapses estimate ĝ and Hv over a window at fixed w');
    expect(issues({ estimator: { name: 'wp' }, train: { rule: 'estimator', every: 100, curvature: { track: { every: 100 } } } }).join('\n')).toMatch(/estimator\.name: must be "moment" or "joint-lms" for train\.curvature\.track/);
    expect(issues({ estimator: { name: 'joint-lms' }, train: { learningRate: 1, rule: 'estimator', every: 100, curvature: { precondition: { delta: 0.1 } } } }).join('\n')).toMatch(/must be "moment" for train\.curvature\.precondition \(it must estimate diag H\)/);
    expect(issues({ perturbation: { distribution: 'rademacher', sigma: 0.02 }, train: { learningRate: 1, rule: 'estimator', every: 100, curvature: { precondition: { delta: 0.1 } } } }).join('\n')).toMatch(/perturbation\.distribution: must not be "rademacher"/);
    expect(issues({ train: { learningRate: 0.1, rule: 'estimator', every: 100, curvature: { track: { every: 100 } } } }).join('\n')).toMatch(/train\.learningRate: must be "auto" for train\.curvature\.track/);
    expect(issues({ train: { rule: 'estimator', every: 100, curvature: { newton: { productTrials: 100 } } } }).join('\n')).toMatch(/train\.learningRate: must be a number for train\.curvature\.newton/);
    expect(issues({ train: { rule: 'estimator', every: 100, curvature: { track: { every: 150 } } } }).join('\n')).toMatch(/train\.curvature\.track\.every: must be a multiple of train\.every \(100\)/);
    expect(issues({ train: { learningRate: 1, rule: 'estimator', every: 100, curvature: { newton: { productTrials: 1 } } } }).join('\n')).toMatch(/productTrials: must be at least 2/);
  });
});
