import type { Command } from 'commander';
import { FiniteDifferenceHv } from '../approx/finite-difference.js';
import { LayeredOracle } from '../exact/layered/oracle.js';
import { describeNet, loadNetFile } from '../io/netfile.js';
import { oracleFor } from '../exact/factory.js';
import { loadVector, seededDirection } from '../io/vector.js';
import { nrm2 } from '../linalg/blas1.js';
import { InputError, NonFiniteError } from '../errors.js';
import { action, firstNonFinite, sci, withStatus } from './run-action.js';
import { nonNegativeInteger, oneOf, positiveInteger, positiveNumber, seed } from './options.js';
import { BoltzmannOracle } from '../exact/boltzmann/enumeration.js';
import { DEFAULT_GIBBS, gibbsGradientAndHv } from '../approx/gibbs.js';
import { ENUMERATION_LIMIT } from '../nets/boltzmann.js';

const METHODS = ['rop', 'relax', 'implicit', 'exact', 'gibbs', 'fd-central', 'fd-forward'] as const;
type Method = (typeof METHODS)[number];

/** Default steps: the round-off/truncation optimum of each scheme, ε^{1/3} and ε^{1/2}. */
const DEFAULT_STEP: Record<'fd-central' | 'fd-forward', number> = {
  'fd-central': Math.cbrt(Number.EPSILON),
  'fd-forward': Math.sqrt(Number.EPSILON),
};

interface HvOptions {
  v?: string;
  method: Method;
  step?: number;
  seed: number;
  json?: boolean;
  chains: number;
  samples: number;
  burnIn: number;
  thin: number;
}

export function registerHv(program: Command): void {
  program
    .command('hv')
    .description('exact Hessian-vector product Hv (R{backprop}) of a net file, with E and ∇E')
    .argument('<net>', 'net file (layered or unit-graph JSON, docs/formats.md)')
    .option('--v <file>', 'direction v as a JSON array (default: seeded N(0, I))')
    .option('--method <m>', 'rop (the exact R-operator: R{backprop}, relax for recurrent nets, exact for Boltzmann machines) | relax | implicit (recurrent nets) | exact | gibbs (Boltzmann machines) | fd-central | fd-forward', oneOf(METHODS), 'rop')
    .option('--step <r>', 'finite-difference step (default ε^{1/3} central, ε^{1/2} forward)', positiveNumber)
    .option('--seed <s>', 'seed for the default direction v', seed, 1)
    .option('--json', 'print one JSON object {"status", "loss", "gradient", "hv"} (gibbs adds "gradientStdErr", "hvStdErr"); status "ok" or "non-finite" (with "nonFinite": where, exit 3)')
    .option('--chains <c>', 'gibbs: independent chains', positiveInteger, DEFAULT_GIBBS.chains)
    .option('--samples <k>', 'gibbs: samples kept per chain', positiveInteger, DEFAULT_GIBBS.samples)
    .option('--burn-in <b>', 'gibbs: sweeps discarded per chain', nonNegativeInteger, DEFAULT_GIBBS.burnIn)
    .option('--thin <t>', 'gibbs: sweeps between kept samples', positiveInteger, DEFAULT_GIBBS.thin)
    .action(action((netPath: string, opts: HvOptions) => {
      const { net, data, weights, relaxation } = loadNetFile(netPath);
      const recurrent = net.kind === 'graph' && net.recurrent;
      if ((opts.method === 'relax' || opts.method === 'implicit') && !recurrent) {
        throw new InputError('--method', 'relax and implicit apply to recurrent nets only ("recurrent": true); use rop', opts.method);
      }
      if ((opts.method === 'exact' || opts.method === 'gibbs') && net.kind !== 'boltzmann') {
        throw new InputError('--method', 'exact and gibbs apply to Boltzmann machines only; use rop', opts.method);
      }
      const n = weights.length;
      const v = opts.v !== undefined ? loadVector(opts.v, n) : seededDirection(n, opts.seed);
      if (opts.method === 'gibbs' && net.kind === 'boltzmann') {
        const options = { chains: opts.chains, samples: opts.samples, burnIn: opts.burnIn, thin: opts.thin, seed: opts.seed };
        const sampled = gibbsGradientAndHv(net, weights, v, options);
        // G itself needs the partition function: exact for enumerable machines, else unknown.
        const loss = net.units <= ENUMERATION_LIMIT ? new BoltzmannOracle(net).loss(weights) : null;
        const out = { loss, gradient: Array.from(sampled.gradient), hv: Array.from(sampled.hv), gradientStdErr: Array.from(sampled.gradientStdErr), hvStdErr: Array.from(sampled.hvStdErr) };
        const bad = firstNonFinite(out);
        if (opts.json) process.stdout.write(`${JSON.stringify(withStatus(out, bad))}\n`);
        if (bad !== null) throw new NonFiniteError(bad.where, bad.value, 'Gibbs sampling from finite weights');
        if (opts.json) return;
        const lines = [
          `net      ${netPath} (${describeNet(net)}, ${n} weights)`,
          `method   gibbs: ${opts.chains} chains × ${opts.samples} samples (burn-in ${opts.burnIn}, thin ${opts.thin}), seed ${opts.seed}`,
          `G        ${loss === null ? 'not available (too many units to enumerate Z)' : loss.toExponential(12)}`,
          '',
          `${'index'.padStart(6)} ${'w'.padStart(14)} ${'dG/dw'.padStart(14)} ${'± se'.padStart(10)} ${'Hv'.padStart(14)} ${'± se'.padStart(10)}`,
          ...Array.from({ length: n }, (_, k) =>
            `${String(k).padStart(6)} ${sci(weights[k])} ${sci(sampled.gradient[k])} ${sampled.gradientStdErr[k].toExponential(2).padStart(10)} ${sci(sampled.hv[k])} ${sampled.hvStdErr[k].toExponential(2).padStart(10)}`),
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
        return;
      }
      const oracle = oracleFor(net, data, relaxation, opts.method === 'implicit' ? 'implicit' : 'relax');
      const gradient = new Float64Array(n);
      const hv = new Float64Array(n);
      let loss: number;
      if (opts.method === 'rop' || opts.method === 'relax' || opts.method === 'implicit' || opts.method === 'exact') {
        loss = oracle.evaluate(weights, v, gradient, hv);
      } else {
        loss = oracle.gradient(weights, gradient);
        const step = opts.step ?? DEFAULT_STEP[opts.method as 'fd-central' | 'fd-forward'];
        new FiniteDifferenceHv(oracle).hv(weights, v, step, opts.method === 'fd-central' ? 'central' : 'forward', hv);
      }
      const out = { loss, gradient: Array.from(gradient), hv: Array.from(hv) };
      // E, then ∇E, then Hv: the order they are computed in, so the first is where it broke.
      const bad = firstNonFinite(out);
      if (opts.json) process.stdout.write(`${JSON.stringify(withStatus(out, bad))}\n`);
      if (bad !== null) throw new NonFiniteError(bad.where, bad.value, 'from finite weights and direction: an overflow in the net');
      if (opts.json) return;
      const lines: string[] = [];
      lines.push(`net      ${netPath} (${describeNet(net)}, ${n} weights, ${data.count} patterns)`);
      const exactName = net.kind === 'boltzmann'
        ? 'R{p_ij} by enumeration'
        : recurrent ? `R{recurrent backprop}, ${opts.method === 'implicit' ? 'implicit-function solves' : 'relaxation'}`
          : oracle instanceof LayeredOracle ? `R{backprop}, ${oracle.kernels} kernels` : 'R{backprop}';
      const isFd = opts.method === 'fd-central' || opts.method === 'fd-forward';
      lines.push(`method   ${opts.method}${isFd ? `, step ${opts.step ?? DEFAULT_STEP[opts.method as 'fd-central' | 'fd-forward']}` : ` (exact ${exactName})`}`);
      lines.push(`v        ${opts.v ?? `seeded N(0, I), seed ${opts.seed}`}`);
      lines.push(`E        ${loss.toExponential(12)}`);
      lines.push(`|grad E| ${nrm2(n, gradient).toExponential(6)}    |Hv| ${nrm2(n, hv).toExponential(6)}`);
      lines.push('');
      lines.push(`${'index'.padStart(6)} ${'w'.padStart(14)} ${'v'.padStart(14)} ${'dE/dw'.padStart(14)} ${'Hv'.padStart(14)}`);
      for (let k = 0; k < n; k++) {
        lines.push(`${String(k).padStart(6)} ${sci(weights[k])} ${sci(v[k])} ${sci(gradient[k])} ${sci(hv[k])}`);
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    }));
}
