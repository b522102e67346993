/**
 * Simulator benchmarks (part of `npm run bench`): synapse-update throughput per estimator
 * (E evaluation and random draws excluded), perturbation draws per second, one-sided trials per
 * second on iris, and the cost of a trial against weights × patterns.
 */
import { createPopulation } from '../dist/synapse/index.js';
import { drawPerturbation, KURTOSIS } from '../dist/synapse/perturbation.js';
import { Rng } from '../dist/random/rng.js';
import { medianMs } from '../dist/perf/timing.js';
import { scenarioSchema } from '../dist/scenario/schema.js';
import { buildDirection, buildProblem } from '../dist/scenario/problems.js';
import { simulate } from '../dist/sim/simulate.js';

async function trialsPerSecond(raw, seconds) {
  const s = scenarioSchema.parse(raw);
  const problem = buildProblem(s, '.');
  const v = buildDirection(s, problem);
  const spec = {
    problem, v,
    perturbation: { law: s.perturbation.distribution, sigma: s.perturbation.sigma, antithetic: s.perturbation.antithetic },
    estimator: s.estimator, trials: s.trials, probeEvery: s.trials, seed: s.seed,
  };
  // The run's setup (the exact reference: n Hv products for the Hessian diagonal) is timed by a
  // one-trial run and left out: then a fixed wall-clock budget of trials through the real loop,
  // stopped by its signal.
  const t1 = performance.now();
  await simulate({ ...spec, trials: 1, probeEvery: 1 });
  const setup = performance.now() - t1;
  const t0 = performance.now();
  const stop = AbortSignal.timeout(Math.ceil(setup + seconds * 1000));
  const result = await simulate(spec, { signal: stop, chunkMs: 20 });
  const done = result.trialsRun;
  return { perSecond: done / ((performance.now() - t0 - setup) / 1000), size: problem.size, patterns: s.problem.kind === 'iris' ? 150 : null };
}

export async function run({ quick, print, fmt }) {
  print('## Synapse updates (E evaluation and draws excluded)');
  print();
  const rng = new Rng(9);
  print('One trial\'s update of the whole population, median of repeated trials; n = 10⁴ synapses');
  print('(state in cache) and n = 10⁶ (state streamed from memory).');
  print();
  print('| estimator | n | ns / synapse-update | synapse-updates / s |');
  print('|---|---|---|---|');
  for (const n of [10_000, 1_000_000]) {
  const v = rng.fillGaussian(new Float64Array(n));
  const dw = rng.fillGaussian(new Float64Array(n), 0.05);
  for (const spec of [{ name: 'wp' }, { name: 'moment' }, { name: 'seed', intercept: true }, { name: 'joint-lms', step: 0.5, decay: 1000 }]) {
    for (const antithetic of [false, true]) {
      const pop = createPopulation(spec, { size: n, law: 'gaussian', sigma: 0.05, kappa: 3, antithetic }, v);
      const sums = new Float64Array(pop.wireSums);
      let t = 0;
      const b = { trial: 0, dEPlus: 0.01, dEMinus: antithetic ? -0.009 : NaN, p: 0.3, sums };
      const reps = Math.max(5, Math.round((quick ? 2e6 : 1e7) / n));
      const ms = medianMs(() => { b.trial = ++t; b.dEPlus = 0.01 + 1e-3 * Math.sin(t); pop.update(b, dw); }, reps, 5);
      const label = `${spec.name}${spec.name === 'seed' ? ' (intercept)' : ''}${antithetic ? ', antithetic' : ''}`;
      print(`| ${label} | ${n.toExponential(0)} | ${fmt((ms * 1e6) / n)} | **${(n / (ms / 1000)).toExponential(2)}** |`);
    }
  }
  }
  print();
  const n = 100_000;
  const dw = new Float64Array(n);
  print('## Perturbation draws');
  print();
  print('| law | ns / draw | draws / s |');
  print('|---|---|---|');
  for (const law of ['gaussian', 'uniform', 'rademacher']) {
    const ms = medianMs(() => drawPerturbation(law, 0.05, rng, dw), quick ? 9 : 21, 3);
    print(`| ${law} (κ = ${fmt(KURTOSIS[law])}) | ${fmt((ms * 1e6) / n)} | ${(n / (ms / 1000)).toExponential(2)} |`);
  }
  print();
  print('## Trials per second through the full loop');
  print();
  print('One-sided trials (one E evaluation each, E(w) cached), moment estimator, broadcast on rxjs,');
  print('probes and the run\'s setup (exact reference) excluded. Cost per trial should scale with weights × patterns.');
  print();
  print('| problem | weights | patterns | trials / s | µs / trial | ns / (weight·pattern) |');
  print('|---|---|---|---|---|---|');
  const seconds = quick ? 1.5 : 4;
  const base = { name: 'bench', perturbation: { sigma: 0.01 }, estimator: { name: 'moment' }, trials: 1e9, probeEvery: 1e9, seed: 1 };
  for (const [label, raw] of [
    ['iris 4-10-3', { ...base, problem: { kind: 'iris' } }],
    ['iris 4-40-3', { ...base, problem: { kind: 'iris' }, network: { hidden: [40] } }],
    ['iris 4-40-40-3', { ...base, problem: { kind: 'iris' }, network: { hidden: [40, 40] } }],
  ]) {
    const r = await trialsPerSecond(raw, seconds);
    const us = 1e6 / r.perSecond;
    print(`| ${label} | ${r.size} | 150 | **${Math.round(r.perSecond)}** | ${fmt(us)} | ${fmt((us * 1000) / (r.size * 150))} |`);
  }
  print();
}
