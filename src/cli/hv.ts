import type { Command } from 'commander';
import { FiniteDifferenceHv } from '../exact/finite-difference.js';
import { loadNetFile, oracleFor } from '../io/netfile.js';
import { loadVector, seededDirection } from '../io/vector.js';
import { nrm2 } from '../linalg/blas1.js';
import { InputError } from '../errors.js';
import { action, sci } from './run-action.js';
import { oneOf, positiveNumber, seed } from './options.js';

const METHODS = ['rop', 'relax', 'implicit', 'fd-central', 'fd-forward'] as const;
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
}

export function registerHv(program: Command): void {
  program
    .command('hv')
    .description('exact Hessian-vector product Hv (R{backprop}) of a net file, with E and ∇E')
    .argument('<net>', 'net file (layered or unit-graph JSON, docs/formats.md)')
    .option('--v <file>', 'direction v as a JSON array (default: seeded N(0, I))')
    .option('--method <m>', 'rop (exact R-operator; for recurrent nets = relax) | relax | implicit (recurrent nets) | fd-central | fd-forward', oneOf(METHODS), 'rop')
    .option('--step <r>', 'finite-difference step (default ε^{1/3} central, ε^{1/2} forward)', positiveNumber)
    .option('--seed <s>', 'seed for the default direction v', seed, 1)
    .option('--json', 'print one JSON object {"loss", "gradient", "hv"}')
    .action(action((netPath: string, opts: HvOptions) => {
      const { net, data, weights, relaxation } = loadNetFile(netPath);
      const recurrent = net.kind === 'graph' && net.recurrent;
      if ((opts.method === 'relax' || opts.method === 'implicit') && !recurrent) {
        throw new InputError('--method', 'relax and implicit apply to recurrent nets only ("recurrent": true); use rop', opts.method);
      }
      const oracle = oracleFor(net, data, relaxation, opts.method === 'implicit' ? 'implicit' : 'relax');
      const n = oracle.size;
      const v = opts.v !== undefined ? loadVector(opts.v, n) : seededDirection(n, opts.seed);
      const gradient = new Float64Array(n);
      const hv = new Float64Array(n);
      let loss: number;
      if (opts.method === 'rop' || opts.method === 'relax' || opts.method === 'implicit') {
        loss = oracle.evaluate(weights, v, gradient, hv);
      } else {
        loss = oracle.gradient(weights, gradient);
        const step = opts.step ?? DEFAULT_STEP[opts.method];
        new FiniteDifferenceHv(oracle).hv(weights, v, step, opts.method === 'fd-central' ? 'central' : 'forward', hv);
      }
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ loss, gradient: Array.from(gradient), hv: Array.from(hv) })}\n`);
        return;
      }
      const lines: string[] = [];
      const shape = net.kind === 'layered' ? `layered ${net.layers.join('-')}` : `${recurrent ? 'recurrent ' : ''}unit graph, ${net.units} units`;
      lines.push(`net      ${netPath} (${shape}, ${n} weights, ${data.count} patterns, loss ${net.lossName})`);
      const exactName = recurrent ? `R{recurrent backprop}, ${opts.method === 'implicit' ? 'implicit-function solves' : 'relaxation'}` : 'R{backprop}';
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
