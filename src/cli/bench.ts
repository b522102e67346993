import type { Command } from 'commander';
import { benchHv } from '../perf/hv-bench.js';
import { action, firstNonFinite, withStatus } from './run-action.js';
import { NonFiniteError } from '../errors.js';
import { checkCellCount, checkWeightCount } from '../io/limits.js';
import { layeredSize } from '../nets/layered.js';
import { layerList, oneOf, positiveInteger, seed } from './options.js';
import type { LayeredKernels } from '../exact/layered/oracle.js';

const KERNELS = ['auto', 'wasm', 'js'] as const;

interface BenchOptions {
  layers: number[];
  batch: number;
  repeats: number;
  seed: number;
  kernels: LayeredKernels;
  json?: boolean;
}

export function registerBench(program: Command): void {
  const bench = program.command('bench').description('micro-benchmarks of the exact oracle');
  bench
    .command('hv')
    .description('median times of loss+gradient and of Hv on a seeded random layered net')
    .option('--layers <sizes>', 'layer sizes, comma-separated', layerList, [784, 256, 10])
    .option('--batch <P>', 'patterns per evaluation', positiveInteger, 256)
    .option('--repeats <k>', 'timed repetitions (median reported)', positiveInteger, 11)
    .option('--seed <s>', 'seed of the random net and data', seed, 1)
    .option('--kernels <k>', 'layered pass: wasm (SIMD) | js | auto (wasm when the module loads)', oneOf(KERNELS), 'auto')
    .option('--json', 'print {"status", "gradMs", "hvMs", "hvOverGrad"}; status "ok" or "non-finite" (exit 3)')
    .action(action((opts: BenchOptions) => {
      // The budget of docs/formats.md, "Limits", from the declared sizes before anything is built.
      checkWeightCount('--layers', layeredSize(opts.layers), opts.layers.join(','));
      checkCellCount('--batch', opts.batch, opts.layers.slice(1).reduce((a, b) => a + b, 0), opts.batch);
      const { result, kernels } = benchHv(opts.layers, opts.batch, opts.repeats, opts.seed, opts.kernels);
      const bad = firstNonFinite(result);
      if (opts.json) process.stdout.write(`${JSON.stringify(withStatus(result, bad))}\n`);
      if (bad !== null) throw new NonFiniteError(bad.where, bad.value, 'a timing below the clock resolution?');
      if (opts.json) return;
      process.stdout.write(
        `net ${opts.layers.join('-')}, batch ${opts.batch}, median of ${opts.repeats}, ${kernels} kernels\n` +
          `loss+gradient  ${result.gradMs.toFixed(3)} ms\n` +
          `Hv (R{backprop}) ${result.hvMs.toFixed(3)} ms\n` +
          `Hv / gradient  ${result.hvOverGrad.toFixed(2)}\n`,
      );
    }));
}
