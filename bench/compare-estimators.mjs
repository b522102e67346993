/**
 * z error at equal numbers of E evaluations: the local estimators (moment, joint-lms) against the
 * 2SPSA Hessian estimate (Spall 2000), on a 12-weight quadratic and on the iris 4-10-3 net.
 * Mean over seeds of the relative L2 error of the Hv estimate.
 */
import { scenarioSchema } from '../dist/scenario/schema.js';
import { buildSimulationSpec } from '../dist/scenario/problems.js';
import { simulate } from '../dist/sim/simulate.js';
import { SCENARIO_DIR } from '../dist/scenario/load.js';

async function finalErrors(raw) {
  const res = await simulate(buildSimulationSpec(scenarioSchema.parse(raw), SCENARIO_DIR), { chunkMs: 1e9 });
  const at = (h) => res.lastRow[res.header.indexOf(h)];
  return { evaluations: at('evaluations'), z: at('z_rel_err'), spsa: res.header.includes('spsa_z_rel_err') ? at('spsa_z_rel_err') : null };
}

export async function run({ quick, print, fmt }) {
  print('## z error at equal E evaluations: moment, joint-lms, 2SPSA');
  print();
  print('Relative L2 error of the Hv estimate, mean over seeds; antithetic Gaussian perturbations');
  print('(σ = 0.05 on the quadratic, 0.01 on iris) for the local estimators, Bernoulli ±c (c = c̃ = σ)');
  print('for 2SPSA, which spends 4 evaluations per iteration and keeps a full n × n matrix.');
  print();
  print('| problem | E evaluations | moment | joint-lms | 2SPSA |');
  print('|---|---|---|---|---|');
  const seeds = quick ? [1, 2] : [1, 2, 3, 4];
  const problems = [
    ['quadratic n = 12', { problem: { kind: 'quadratic', size: 12, spectrum: { min: 0.3, max: 2 } }, init: { gain: 0.5 } }, 0.05],
    ['iris 4-10-3 (n = 83)', { problem: { kind: 'iris' } }, 0.01],
  ];
  for (const [label, over, sigma] of problems) {
    for (const trials of quick ? [10_000] : [10_000, 40_000]) {
      const acc = { moment: 0, joint: 0, spsa: 0, evaluations: 0 };
      for (const seed of seeds) {
        const base = { name: 'cmp', ...over, perturbation: { distribution: 'gaussian', sigma, antithetic: true }, trials, probeEvery: trials, seed };
        const m = await finalErrors({ ...base, estimator: { name: 'moment' }, baseline: { spsa: { c: sigma, cTilde: sigma } } });
        const j = await finalErrors({ ...base, estimator: { name: 'joint-lms' } });
        acc.moment += m.z / seeds.length;
        acc.spsa += m.spsa / seeds.length;
        acc.joint += j.z / seeds.length;
        acc.evaluations = m.evaluations;
      }
      print(`| ${label} | ${acc.evaluations} | ${fmt(acc.moment)} | ${fmt(acc.joint)} | ${fmt(acc.spsa)} |`);
    }
  }
  print();
}
