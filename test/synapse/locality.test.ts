import { describe, expect, it } from 'vitest';
import { createPopulation, type EstimatorSpec } from '../../src/synapse/index.js';
import { KURTOSIS, type PerturbationName } from '../../src/synapse/perturbation.js';
import type { Broadcast } from '../../src/synapse/broadcast.js';
import { Rng } from '../../src/random/rng.js';

/**
 * Locality: synapse i's update reads only its own slots, its own Δw_i and v_i, its constants
 * and the broadcast. Two populations run the same broadcasts; in one, synapse j's every state
 * slot and its Δw_j are scrambled before a trial. Every other synapse must end bit-identical.
 */
const specs: EstimatorSpec[] = [
  { name: 'wp' },
  { name: 'moment' },
  { name: 'seed', intercept: true },
  { name: 'seed', intercept: false },
  { name: 'joint-lms', step: 0.5, decay: 10 },
];

describe('synapse updates are local', () => {
  for (const spec of specs) {
    for (const law of ['gaussian', 'rademacher'] as PerturbationName[]) {
      for (const antithetic of [false, true]) {
        it(`${JSON.stringify(spec)} ${law}${antithetic ? ' antithetic' : ''}: scrambling synapse j leaves synapse i unchanged`, () => {
          const n = 9;
          const rng = new Rng(3);
          const v = rng.fillGaussian(new Float64Array(n));
          const constants = { size: n, law, sigma: 0.1, kappa: KURTOSIS[law], antithetic };
          const a = createPopulation(spec, constants, v);
          const b = createPopulation(spec, constants, v);
          const sums = new Float64Array(a.wireSums);
          const dw = new Float64Array(n);
          const broadcastFor = (t: number): Broadcast => ({
            trial: t,
            dEPlus: rng.gaussian(),
            dEMinus: antithetic ? rng.gaussian() : NaN,
            p: rng.gaussian(),
            sums: sums.map(() => rng.gaussian()),
          });
          for (let t = 1; t <= 20; t++) {
            rng.fillGaussian(dw, 0.1);
            const bc = broadcastFor(t);
            a.update(bc, dw);
            b.update(bc, dw);
          }
          const j = 4;
          for (const arr of Object.values(b.state)) arr[j] = 1e3 * rng.gaussian();
          for (let t = 21; t <= 40; t++) {
            rng.fillGaussian(dw, 0.1);
            const bc = broadcastFor(t);
            a.update(bc, dw);
            const dwB = Float64Array.from(dw);
            dwB[j] = 7 * rng.gaussian();
            b.update(bc, dwB);
          }
          let changedAtJ = false;
          for (const [name, arrA] of Object.entries(a.state)) {
            const arrB = b.state[name];
            for (let i = 0; i < n; i++) {
              if (i === j) {
                changedAtJ ||= arrA[i] !== arrB[i];
                continue;
              }
              expect(Object.is(arrA[i], arrB[i]), `${name}[${i}]`).toBe(true);
            }
          }
          expect(changedAtJ).toBe(true);
          // Read-outs too: slot i's estimate is unchanged.
          const gA = a.gradient(new Float64Array(n));
          const gB = b.gradient(new Float64Array(n));
          const zA = a.hv(new Float64Array(n));
          const zB = b.hv(new Float64Array(n));
          for (let i = 0; i < n; i++) {
            if (i === j) continue;
            expect(gB[i]).toBe(gA[i]);
            expect(zB[i]).toBe(zA[i]);
          }
        });
      }
    }
  }
});
