import { LayeredOracle, type LayeredKernels } from '../exact/layered/oracle.js';
import { randomLayeredProblem } from '../nets/random.js';
import { Rng } from '../random/rng.js';
import { medianMs } from './timing.js';

export interface HvBenchResult {
  gradMs: number;
  hvMs: number;
  hvOverGrad: number;
}

/** The timings and the implementation of the layered pass that produced them. */
export interface HvBench {
  result: HvBenchResult;
  kernels: 'js' | 'wasm';
}

/**
 * Median times of loss+gradient and of Hv (R{backprop}, which includes its own forward and
 * backward sweeps) on a seeded random tanh net with a softmax cross-entropy output.
 */
export function benchHv(
  layers: readonly number[], batch: number, repeats = 11, seed = 1, kernels: LayeredKernels = 'auto',
): HvBench {
  const rng = Rng.derive(seed, 'bench');
  const acts = layers.slice(1).map((_, l) => (l === layers.length - 2 ? 'linear' : 'tanh') as 'linear' | 'tanh');
  const { net, data, w } = randomLayeredProblem(layers, acts, 'softmax-cross-entropy', batch, rng);
  const oracle = new LayeredOracle(net, data, { kernels });
  const v = rng.fillGaussian(new Float64Array(net.size));
  const g = new Float64Array(net.size);
  const hv = new Float64Array(net.size);
  const gradMs = medianMs(() => oracle.gradient(w, g), repeats);
  const hvMs = medianMs(() => oracle.hv(w, v, hv), repeats);
  return { result: { gradMs, hvMs, hvOverGrad: hvMs / gradMs }, kernels: oracle.kernels };
}
