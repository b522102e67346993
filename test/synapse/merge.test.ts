import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/random/rng.js';
import { createPopulation, synapseConstants, type EstimatorSpec } from '../../src/synapse/index.js';
import type { Broadcast } from '../../src/synapse/broadcast.js';
import type { SynapsePopulation } from '../../src/synapse/estimator.js';
import { isMergeable, type Mergeable } from '../../src/synapse/statistics.js';

/**
 * Merging populations that ran disjoint trials (sim/blocks/): for estimators whose state is a
 * set of sums or co-moments, A ⊕ B must equal one population that ran A's trials then B's, to
 * rounding. Trials are synthetic (Gaussian Δw, a noisy quadratic-like ΔE): the merge is algebra
 * on the statistics, whatever the trials are.
 */
const N = 7;

function trials(count: number, seed: number, antithetic: boolean, v: Float64Array): { b: Broadcast; dw: Float64Array }[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, (_, t) => {
    const dw = Float64Array.from({ length: N }, () => 0.1 * rng.gaussian());
    let p = 0;
    for (let i = 0; i < N; i++) p += dw[i] * v[i];
    const lin = dw.reduce((a, x, i) => a + (i + 1) * 0.3 * x, 0);
    const quad = 0.5 * dw.reduce((a, x) => a + x * x, 0);
    const noise = 0.01 * rng.gaussian();
    return { b: { trial: t + 1, dEPlus: lin + quad + noise + 0.2, dEMinus: antithetic ? -lin + quad + noise + 0.2 : NaN, p, sums: new Float64Array(0) }, dw };
  });
}

function run(spec: EstimatorSpec, antithetic: boolean, v: Float64Array, data: { b: Broadcast; dw: Float64Array }[]): SynapsePopulation & Mergeable {
  const p = createPopulation(spec, synapseConstants('gaussian', 0.1, antithetic, v), v);
  for (const { b, dw } of data) p.update(b, dw);
  if (!isMergeable(p)) throw new Error('not mergeable');
  return p as SynapsePopulation & Mergeable;
}

const readouts = ['gradient', 'hv', 'hessianDiagonal', 'gradientStdErr', 'hvStdErr'] as const;

describe('merging populations that ran disjoint trials', () => {
  const v = Float64Array.from({ length: N }, (_, i) => Math.cos(i + 1));
  for (const antithetic of [false, true]) {
    for (const spec of [{ name: 'wp' }, { name: 'seed', intercept: true }, { name: 'seed', intercept: false }] as EstimatorSpec[]) {
      it(`${JSON.stringify(spec)}${antithetic ? ', antithetic' : ''}: A ⊕ B = the population that ran both, to rounding`, () => {
        const data = trials(900, 11, antithetic, v);
        const whole = run(spec, antithetic, v, data);
        const a = run(spec, antithetic, v, data.slice(0, 350));
        const b = run(spec, antithetic, v, data.slice(350));
        a.absorb(b.statistics());
        for (const name of readouts) {
          const r1 = whole[name];
          const r2 = a[name];
          if (r1 === undefined || r2 === undefined) {
            expect(r2, name).toBe(r1);
            continue;
          }
          const x = r1(new Float64Array(N));
          const y = r2(new Float64Array(N));
          for (let i = 0; i < N; i++) expect(Math.abs(y[i] - x[i]), `${name}[${i}]`).toBeLessThanOrEqual(1e-11 * Math.max(1, Math.abs(x[i])));
        }
      });
    }
    it(`moment${antithetic ? ', antithetic' : ''}: the sums add (each block centres ΔE by its own running mean)`, () => {
      const data = trials(900, 12, antithetic, v);
      const a = run({ name: 'moment' }, antithetic, v, data.slice(0, 350));
      const b = run({ name: 'moment' }, antithetic, v, data.slice(350));
      const sa = a.statistics();
      const sb = b.statistics();
      a.absorb(sb);
      const merged = a.statistics();
      expect(merged.scalars.trials).toBe(900);
      for (const k of Object.keys(sa.arrays)) {
        for (let i = 0; i < N; i++) expect(merged.arrays[k][i]).toBe(sa.arrays[k][i] + sb.arrays[k][i]);
      }
      // ĝ = C_G/(σ² T) from the summed C_G.
      const g = a.gradient(new Float64Array(N));
      for (let i = 0; i < N; i++) expect(g[i]).toBeCloseTo(merged.arrays.cG[i] / (0.01 * 900), 12);
    });
  }

  it('restore then absorb into an empty population is an exact copy (a run of one block keeps its bytes)', () => {
    for (const spec of [{ name: 'wp' }, { name: 'moment' }, { name: 'seed', intercept: true }] as EstimatorSpec[]) {
      const data = trials(300, 13, true, v);
      const ran = run(spec, true, v, data);
      const empty = run(spec, true, v, []);
      empty.absorb(ran.statistics());
      const x = ran.statistics();
      const y = empty.statistics();
      expect(y.scalars).toEqual(x.scalars);
      for (const k of Object.keys(x.arrays)) expect(Array.from(y.arrays[k])).toEqual(Array.from(x.arrays[k]));
    }
  });

  it('joint-lms (an LMS recursion) does not merge', () => {
    const p = createPopulation({ name: 'joint-lms', step: 0.5, decay: 100 }, synapseConstants('gaussian', 0.1, false, v), v);
    expect(isMergeable(p)).toBe(false);
  });
});
