import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { HessianOperator } from '../analysis/operator.js';
import { topEigenpairs, learningRateFromLambdaMax } from '../analysis/power.js';
import { hutchinsonTrace, hutchPlusPlus } from '../analysis/trace.js';
import { spectralDensity } from '../analysis/density.js';
import { armijoBacktrack, newtonCgStep } from '../analysis/newton.js';
import { loadNetFile } from '../io/netfile.js';
import { oracleFor } from '../exact/factory.js';
import { nrm2 } from '../linalg/blas1.js';
import { Rng } from '../random/rng.js';
import { action, firstNonFinite, withStatus } from './run-action.js';
import { InputError, NonFiniteError } from '../errors.js';
import { checkWeightCount } from '../io/limits.js';
import { checkOutputFile } from '../output/run-dir.js';
import { positiveInteger, positiveNumber, seed } from './options.js';

interface HessianOptions {
  top?: number;
  trace?: boolean;
  density?: boolean;
  newton?: boolean;
  json?: boolean;
  csv?: string;
  seed: number;
  tol: number;
  maxIter: number;
  probes: number;
  steps: number;
  damping: number;
}

export function registerHessian(program: Command): void {
  program
    .command('hessian')
    .description('matrix-free Hessian analytics on R{backprop} Hv: top eigenpairs, trace, spectral density, a Newton–CG step')
    .argument('<net>', 'net file (layered or unit-graph JSON)')
    .option('--top <k>', 'top-k eigenpairs (largest |λ|) by deflated power iteration (default 1)', positiveInteger)
    .option('--trace', 'trace by Hutchinson and Hutch++')
    .option('--density', 'spectral density by stochastic Lanczos quadrature')
    .option('--newton', 'one damped Newton–CG step, with the loss change it gives')
    .option('--json', 'print one JSON object; "status" is "ok" or "non-finite" (with "nonFinite": where, exit 3)')
    .option('--csv <file>', 'write eigenvalues and density nodes as CSV (kind, index, value, weight, residual)')
    .option('--seed <s>', 'seed of the random start vectors and probes', seed, 1)
    .option('--tol <t>', 'power iteration: relative change and residual tolerance', positiveNumber, 1e-8)
    .option('--max-iter <n>', 'power iteration cap per eigenpair', positiveInteger, 5000)
    .option('--probes <p>', 'trace and density probes', positiveInteger, 30)
    .option('--steps <m>', 'Lanczos steps per density probe', positiveInteger, 30)
    .option('--damping <λ>', 'Newton–CG Tikhonov damping', positiveNumber, 1e-3)
    .action(action((netPath: string, opts: HessianOptions) => {
      if (opts.csv !== undefined) checkOutputFile(opts.csv, '--csv');
      const { net, data, weights, relaxation } = loadNetFile(netPath);
      // Stored vectors of n doubles (eigenvectors, Hutch++ sketch, Lanczos basis) within the budget.
      const n = weights.length;
      if (opts.top !== undefined && opts.top > n) throw new InputError('--top', `must be at most the number of weights (${n})`, opts.top);
      if (opts.trace) checkWeightCount('--probes', opts.probes * n, opts.probes);
      if (opts.density) checkWeightCount('--steps', opts.steps * n, opts.steps);
      const oracle = oracleFor(net, data, relaxation);
      // Curvature of a loss that is not finite at w means nothing: say so first.
      const e = oracle.loss(weights);
      if (!Number.isFinite(e)) throw new NonFiniteError('E at the given weights', e, 'an overflow in the net');
      const rng = Rng.derive(opts.seed, 'hessian-analytics');
      const result: Record<string, unknown> = { weights: n };
      const csvRows: (string | number)[][] = [];
      const lines: string[] = [`net ${netPath}: ${n} weights, ${data.count} patterns`];

      const wantTop = opts.top !== undefined || !(opts.trace || opts.density || opts.newton);
      if (wantTop) {
        const op = new HessianOperator(oracle, weights);
        const pairs = topEigenpairs(op, opts.top ?? 1, rng, { tol: opts.tol, maxIter: opts.maxIter });
        const lambdaMax = Math.max(...pairs.map((p) => p.value));
        result.top = pairs.map((p) => ({ value: p.value, residual: p.residual, iterations: p.iterations, converged: p.converged }));
        result.topProducts = op.products;
        result.learningRate = lambdaMax > 0 ? learningRateFromLambdaMax(lambdaMax) : null;
        lines.push('', `top eigenvalues (deflated power iteration, ${op.products} Hv products)`);
        pairs.forEach((p, k) => {
          lines.push(`  λ${k + 1} = ${p.value.toExponential(10)}   residual ${p.residual.toExponential(2)}   ${p.iterations} iterations${p.converged ? '' : '  NOT CONVERGED'}`);
          csvRows.push(['eigenvalue', k + 1, p.value, '', p.residual]);
        });
        lines.push(lambdaMax > 0 ? `  learning rate η = 1/λ_max = ${(1 / lambdaMax).toExponential(4)}` : '  λ_max ≤ 0: no learning-rate rule');
      }
      if (opts.trace) {
        const h = hutchinsonTrace(new HessianOperator(oracle, weights), opts.probes, rng);
        const hpp = hutchPlusPlus(new HessianOperator(oracle, weights), 3 * opts.probes, rng);
        result.trace = { hutchinson: h, hutchPlusPlus: hpp };
        lines.push('', 'trace of H');
        lines.push(`  Hutchinson  ${h.estimate.toExponential(6)} ± ${h.stdErr.toExponential(2)}  (${h.products} Hv products)`);
        lines.push(`  Hutch++     ${hpp.estimate.toExponential(6)} ± ${hpp.stdErr.toExponential(2)}  (${hpp.products} Hv products)`);
      }
      if (opts.density) {
        const d = spectralDensity(new HessianOperator(oracle, weights), opts.probes, opts.steps, rng);
        let m1 = 0;
        let m2 = 0;
        d.nodes.forEach((t, k) => {
          m1 += d.weights[k] * t;
          m2 += d.weights[k] * t * t;
          csvRows.push(['density', k + 1, t, d.weights[k], '']);
        });
        result.density = { nodes: Array.from(d.nodes), weights: Array.from(d.weights), products: d.products, mean: m1, secondMoment: m2 };
        lines.push('', `spectral density (SLQ, ${opts.probes} probes × ${opts.steps} steps, ${d.products} Hv products)`);
        lines.push(`  support [${Math.min(...d.nodes).toExponential(3)}, ${Math.max(...d.nodes).toExponential(3)}], mean λ ${m1.toExponential(4)} (= tr H / n), mean λ² ${m2.toExponential(4)}`);
      }
      if (opts.newton) {
        const g = new Float64Array(n);
        const e0 = oracle.gradient(weights, g);
        const step = newtonCgStep(new HessianOperator(oracle, weights), g, opts.damping);
        const eFull = oracle.loss(weights.map((x, i) => x + step.step[i]));
        const search = armijoBacktrack((w) => oracle.loss(w), weights, e0, g, step.step);
        result.newton = {
          status: step.status, iterations: step.iterations, relativeResidual: step.relativeResidual, curvature: step.curvature,
          stepNorm: nrm2(n, step.step), lossBefore: e0, lossFullStep: eFull, lineSearchAlpha: search.alpha, lossAfter: search.loss,
        };
        lines.push('', `Newton–CG step (damping ${opts.damping})`);
        lines.push(`  ${step.status}${step.curvature !== null ? ` (curvature ${step.curvature.toExponential(2)})` : ''} after ${step.iterations} Hv products, residual ${step.relativeResidual.toExponential(2)}, |p| ${nrm2(n, step.step).toExponential(3)}`);
        lines.push(`  E(w) ${e0.toExponential(8)}, E(w + p) ${eFull.toExponential(8)}, Armijo step α = ${search.alpha}: E ${search.loss.toExponential(8)}`);
      }
      // Results in the order they were computed: the first non-finite one is where it broke.
      const bad = firstNonFinite(result);
      if (bad !== null) {
        if (opts.json) process.stdout.write(`${JSON.stringify(withStatus(result, bad))}\n`);
        throw new NonFiniteError(bad.where, bad.value, 'Hv products of this net are not finite at its weights');
      }
      if (opts.csv !== undefined) writeFileSync(opts.csv, stringify(csvRows, { header: true, columns: ['kind', 'index', 'value', 'weight', 'residual'] }));
      process.stdout.write(opts.json ? `${JSON.stringify(withStatus(result, null))}\n` : `${lines.join('\n')}\n`);
    }));
}
