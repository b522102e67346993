import { describe, expect, it } from 'vitest';
import { scenarioSchema } from '../../src/scenario/schema.js';
import { buildProblem } from '../../src/scenario/problems.js';
import { Rng } from '../../src/random/rng.js';
import { ROOT } from '../helpers/cli.js';

const base = {
  name: 'chip', problem: { kind: 'iris' }, perturbation: { sigma: 0.01 }, estimator: { name: 'wp' }, trials: 10, probeEvery: 10, seed: 1,
};

/** The first issue's path and message, or null when the scenario is valid. */
function rejection(raw: Record<string, unknown>): string | null {
  const r = scenarioSchema.safeParse(raw);
  return r.success ? null : `${r.error.issues[0].path.join('.')}: ${r.error.issues[0].message}`;
}

describe('chip-learning fields: combinations that make no sense are rejected with the reason', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['fdma without a clock', { ...base, perturbation: { sigma: 0.01, code: { name: 'fdma', fMin: 100, fMax: 150 } } }, /^perturbation.code: "fdma" needs a continuous-time chip/],
    ['fdma above Nyquist', { ...base, chip: { dt: 0.01 }, perturbation: { sigma: 0.01, code: { name: 'fdma', fMin: 10, fMax: 60 } } }, /^perturbation.code.fMax: .*Nyquist.*50 Hz/],
    ['a code with a curvature estimator', { ...base, estimator: { name: 'moment' }, perturbation: { sigma: 0.01, code: { name: 'walsh' } } }, /^perturbation.code: needs estimator "wp"/],
    ['a code and a law', { ...base, perturbation: { sigma: 0.01, distribution: 'uniform', code: { name: 'walsh' } } }, /^perturbation.distribution: is set by the code/],
    ['cdma with ρ > 1', { ...base, perturbation: { sigma: 0.01, code: { name: 'cdma', rho: 2 } } }, /^perturbation.code.rho: must be at most 1/],
    ['analog reads with antithetic pairs', { ...base, chip: { cost: 'analog' }, perturbation: { sigma: 0.01, antithetic: true } }, /^chip.cost: "analog"/],
    ['a sample clock on fixed data', { ...base, chip: { tauX: 5 } }, /^chip.tauX: presents samples/],
    ['node perturbation in estimate mode', { ...base, problem: { kind: 'teacher-student' }, estimator: { name: 'node' } }, /^mode: must be "train" for estimator "node"/],
    ['node perturbation on a fixed data set', { ...base, estimator: { name: 'node' }, mode: 'train', train: { learningRate: 0.1 } }, /^problem.kind: must be a fresh-sample net/],
    ['node perturbation on MNIST minibatches', { ...base, problem: { kind: 'mnist', batch: 10 }, estimator: { name: 'node' }, mode: 'train', train: { learningRate: 0.1 } }, /^problem.kind: must be a fresh-sample net/],
    ['a target accuracy on a regression', { ...base, problem: { kind: 'quadratic', size: 3, spectrum: { min: 1, max: 2 } }, mode: 'train', train: { learningRate: 0.1, targetAccuracy: 0.9 } }, /^train.targetAccuracy: needs a classification problem/],
    ['an MNIST resolution that does not exist', { ...base, problem: { kind: 'mnist', resolution: 10 } }, /^problem.resolution: must be 7, 14 or 28/],
    ['an optimizer with the estimator rule', { ...base, mode: 'train', train: { learningRate: 0.1, rule: 'estimator', optimizer: { name: 'adam' } } }, /^train.rule: must be "wp"/],
  ];
  for (const [name, raw, pattern] of cases) it(name, () => expect(rejection(raw)).toMatch(pattern));

  it('the valid combinations parse', () => {
    expect(rejection({ ...base, chip: { dt: 1e-3, cost: 'analog' }, perturbation: { sigma: 0.01, code: { name: 'fdma', fMin: 170, fMax: 330 } } })).toBeNull();
    expect(rejection({ ...base, problem: { kind: 'mnist' }, estimator: { name: 'node' }, mode: 'train', train: { learningRate: 0.1, targetAccuracy: 0.8 } })).toBeNull();
  });
});

describe('the MNIST stream', () => {
  it('presents every training image once per epoch, in a seeded order that changes between epochs', () => {
    const s = scenarioSchema.parse({ ...base, problem: { kind: 'mnist', trainCount: 50, testCount: 20 } });
    const problem = buildProblem(s, ROOT);
    const rng = new Rng(5);
    const w = problem.w0;
    const epoch = (): number[] => Array.from({ length: 50 }, () => {
      problem.nextSample(rng);
      return problem.loss(w);
    });
    const first = epoch();
    const second = epoch();
    // The same 50 per-image losses, each once, in another order.
    expect([...second].sort((a, b) => a - b)).toEqual([...first].sort((a, b) => a - b));
    expect(second).not.toEqual(first);
    expect(new Set(first).size).toBe(50);
    // The per-image losses sum to the oracle's E over the training split.
    expect(first.reduce((a, b) => a + b, 0)).toBeCloseTo(problem.oracle.loss(w), 9);
    // Accuracy of the untrained net is a fraction of the 20 test images, near chance.
    const acc = problem.classifier?.test?.accuracy(w) as number;
    expect(Number.isInteger(acc * 20)).toBe(true);
    expect(acc).toBeLessThan(0.5);
  });
});
