import { describe, expect, it } from 'vitest';
import { createPopulation, synapseConstants, type EstimatorSpec } from '../../src/synapse/index.js';
import { READOUTS, type SynapsePopulation } from '../../src/synapse/estimator.js';
import type { PerturbationName } from '../../src/synapse/perturbation.js';
import type { Broadcast } from '../../src/synapse/broadcast.js';
import { Rng } from '../../src/random/rng.js';

/**
 * Locality: synapse i's update reads only its own slots, its own Δw_i and v_i, the chip's
 * constants and the broadcast. Two proofs per estimator, law and pairing:
 *  - split: the chip's n synapses run as ONE population and as n one-synapse populations (built
 *    with the same chip constants), fed the same broadcasts. A one-synapse population cannot read
 *    another synapse, so equal bits mean the n-synapse update never does either. The summing
 *    wire (the environment's) adds the local terms of all n single populations.
 *  - scramble: scrambling every state slot and Δw_j of one synapse j, for every j in turn,
 *    leaves every other synapse bit-identical.
 */
const specs: EstimatorSpec[] = [
  { name: 'wp' },
  { name: 'moment' },
  { name: 'seed', intercept: true },
  { name: 'seed', intercept: false },
  { name: 'joint-lms', step: 0.5, decay: 10 },
];

const n = 7;
const TRIALS = 40;

interface Trial {
  dw: Float64Array;
  dEPlus: number;
  dEMinus: number;
}

/** Random trials: the broadcast's ΔE values and Δw are arbitrary numbers (locality holds for any). */
function trials(antithetic: boolean, rng: Rng): Trial[] {
  return Array.from({ length: TRIALS }, () => ({
    dw: rng.fillGaussian(new Float64Array(n), 0.1),
    dEPlus: rng.gaussian(),
    dEMinus: antithetic ? rng.gaussian() : NaN,
  }));
}

/** The wire's part of a broadcast (p and the sums), per trial. */
type Wire = { p: number; sums: Float64Array }[];

/**
 * Runs trials through a set of populations that together hold the chip's synapses in order, as
 * the environment would, and returns the wire values it broadcast. With `scramble`, synapse j's
 * state and Δw_j are scrambled half-way and the broadcasts are replayed from `replay`: the other
 * synapses see exactly the broadcasts they saw before.
 */
function run(pops: SynapsePopulation[], v: Float64Array, ts: Trial[], scramble?: { j: number; rng: Rng; replay: Wire }): Wire {
  const wire: Wire = [];
  const sums = new Float64Array(pops[0].wireSums);
  const b: Broadcast = { trial: 0, dEPlus: 0, dEMinus: 0, p: 0, sums };
  for (const [t, trial] of ts.entries()) {
    const dw = Float64Array.from(trial.dw);
    if (scramble !== undefined && t === TRIALS / 2) {
      for (const pop of pops) for (const arr of Object.values(pop.state)) arr[scramble.j] = 1e3 * scramble.rng.gaussian();
    }
    if (scramble !== undefined && t >= TRIALS / 2) dw[scramble.j] = 7 * scramble.rng.gaussian();
    // The summing wire: Σ_i of each local term, over all populations in synapse order.
    sums.fill(0);
    let offset = 0;
    for (const pop of pops) {
      const terms = Array.from({ length: sums.length }, () => new Float64Array(pop.size));
      pop.wireTerms(dw.subarray(offset, offset + pop.size), terms);
      terms.forEach((term, k) => term.forEach((x) => (sums[k] += x)));
      offset += pop.size;
    }
    b.trial = t + 1;
    b.dEPlus = trial.dEPlus;
    b.dEMinus = trial.dEMinus;
    b.p = dw.reduce((s, x, i) => s + x * v[i], 0);
    if (scramble !== undefined) {
      b.p = scramble.replay[t].p;
      sums.set(scramble.replay[t].sums);
    }
    wire.push({ p: b.p, sums: Float64Array.from(sums) });
    offset = 0;
    for (const pop of pops) {
      pop.update(b, dw.subarray(offset, offset + pop.size));
      offset += pop.size;
    }
  }
  return wire;
}

/** Every readout of the held synapses, concatenated over populations. */
function readouts(pops: SynapsePopulation[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const r of READOUTS) {
    if (pops[0][r] === undefined) continue;
    out[r] = pops.flatMap((p) => Array.from((p[r] as (o: Float64Array) => Float64Array)(new Float64Array(p.size))));
  }
  return out;
}

describe('synapse updates are local', () => {
  for (const spec of specs) {
    for (const law of ['gaussian', 'rademacher'] as PerturbationName[]) {
      for (const antithetic of [false, true]) {
        const label = `${JSON.stringify(spec)} ${law}${antithetic ? ' antithetic' : ''}`;
        const rng = new Rng(3);
        const v = rng.fillGaussian(new Float64Array(n));
        const constants = synapseConstants(law, 0.1, antithetic, v);
        const ts = trials(antithetic, rng);

        it(`${label}: n one-synapse populations give the bits of one n-synapse population`, () => {
          const whole = createPopulation(spec, constants, v);
          const singles = Array.from({ length: n }, (_, i) => createPopulation(spec, constants, v.subarray(i, i + 1)));
          run([whole], v, ts);
          run(singles, v, ts);
          for (const [name, arr] of Object.entries(whole.state)) {
            const split = singles.map((p) => p.state[name][0]);
            expect(split.every((x, i) => Object.is(x, arr[i])), `state ${name}`).toBe(true);
          }
          const a = readouts([whole]);
          const b = readouts(singles);
          expect(Object.keys(b)).toEqual(Object.keys(a));
          for (const r of Object.keys(a)) expect(b[r].every((x, i) => Object.is(x, a[r][i])), `readout ${r}`).toBe(true);
        });

        it(`${label}: scrambling any synapse j leaves every other synapse unchanged`, () => {
          const reference = createPopulation(spec, constants, v);
          const replay = run([reference], v, ts);
          const expected = readouts([reference]);
          for (let j = 0; j < n; j++) {
            const scrambled = createPopulation(spec, constants, v);
            run([scrambled], v, ts, { j, rng: new Rng(100 + j), replay });
            const got = readouts([scrambled]);
            let changedAtJ = false;
            for (const r of Object.keys(expected)) {
              for (let i = 0; i < n; i++) {
                if (i === j) {
                  changedAtJ ||= got[r][i] !== expected[r][i];
                  continue;
                }
                expect(Object.is(got[r][i], expected[r][i]), `${r}[${i}] with j = ${j}`).toBe(true);
              }
            }
            expect(changedAtJ, `synapse ${j} itself changed`).toBe(true);
          }
        });
      }
    }
  }
});
