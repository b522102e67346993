import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describeNet, loadNetFile, type LoadedNet } from '../io/netfile.js';
import { LIMITS } from '../io/limits.js';
import { InputError } from '../errors.js';
import type { ActivationName } from '../nets/activations.js';
import type { Dataset } from '../nets/dataset.js';
import { layeredSize } from '../nets/layered.js';
import type { LossName } from '../nets/losses.js';
import { encoderDataset, irisDataset, parityDataset, xorDataset } from './datasets.js';
import type { Scenario } from './schema.js';

/** The shape of a layered net: layer sizes, activations and loss. */
export interface NetShape {
  layers: number[];
  hiddenActivation: ActivationName;
  output: ActivationName;
  loss: LossName;
}

/** A layered problem on a fixed data set. */
export interface LayeredShape extends NetShape {
  data: Dataset;
}

/**
 * What a scenario's problem is, found from its declared sizes without building it: the number
 * of synapses, a one-line description, and the pieces buildProblem needs (problems.ts). Every
 * size is checked against the budget (docs/formats.md, "Limits") here, so `wpsim validate`
 * checks a scenario by this alone and `run` fails before allocating.
 */
export interface ProblemOutline {
  size: number;
  description: string;
  layered?: LayeredShape;
  /** A layered net whose data are streamed (MNIST). */
  net?: NetShape;
  netFile?: LoadedNet;
}

const DEFAULTS: Record<'xor' | 'parity' | 'encoder' | 'iris' | 'mnist', { hidden: (p: Scenario['problem']) => number[]; activation: ActivationName; output: ActivationName; loss: LossName }> = {
  xor: { hidden: () => [2], activation: 'tanh', output: 'logistic', loss: 'cross-entropy' },
  parity: { hidden: (p) => [(p as { bits: number }).bits], activation: 'tanh', output: 'logistic', loss: 'cross-entropy' },
  encoder: { hidden: (p) => [(p as { m: number }).m], activation: 'logistic', output: 'logistic', loss: 'cross-entropy' },
  iris: { hidden: () => [10], activation: 'tanh', output: 'linear', loss: 'softmax-cross-entropy' },
  mnist: { hidden: () => [16], activation: 'tanh', output: 'linear', loss: 'softmax-cross-entropy' },
};

/** The net of a layered problem kind from the scenario's `network` and the kind's defaults, its size checked against the budget. */
function netShape(s: Scenario, kind: keyof typeof DEFAULTS, nIn: number, nOut: number, patterns: number): NetShape & { size: number } {
  const defaults = DEFAULTS[kind];
  const hidden = s.network?.hidden ?? defaults.hidden(s.problem);
  const hiddenActivation = s.network?.activation ?? defaults.activation;
  const loss = s.network?.loss ?? defaults.loss;
  const output = s.network?.output ?? (loss === 'cross-entropy' ? 'logistic' : loss === 'softmax-cross-entropy' ? 'linear' : defaults.output);
  const layers = [nIn, ...hidden, nOut];
  const field = s.network?.hidden !== undefined ? 'network.hidden' : 'problem';
  const size = layeredSize(layers);
  if (!(size <= LIMITS.weights)) {
    throw new InputError(field, `implies ${size} weights for layers ${layers.join('-')}, above the limit of ${LIMITS.weights} (docs/formats.md, "Limits")`, hidden);
  }
  const units = layers.slice(1).reduce((a, b) => a + b, 0);
  if (!(patterns * units <= LIMITS.cells)) {
    throw new InputError(field, `implies ${patterns} patterns × ${units} units = ${patterns * units} activation cells, above the limit of ${LIMITS.cells} (docs/formats.md, "Limits")`, hidden);
  }
  return { layers, hiddenActivation, output, loss, size };
}

function datasetOf(p: Scenario['problem']): Dataset {
  switch (p.kind) {
    case 'xor': return xorDataset();
    case 'parity': return parityDataset(p.bits);
    case 'encoder': return encoderDataset(p.k);
    default: return irisDataset();
  }
}

export function outlineProblem(s: Scenario, baseDir: string): ProblemOutline {
  const p = s.problem;
  switch (p.kind) {
    case 'xor':
    case 'parity':
    case 'encoder':
    case 'iris': {
      const data = datasetOf(p);
      const { size, ...shape } = netShape(s, p.kind, data.nIn, data.nOut, data.count);
      const description = `${p.kind} ${shape.layers.join('-')} ${shape.hiddenActivation}/${shape.output}, ${shape.loss}, ${data.count} patterns`;
      return { size, description, layered: { ...shape, data } };
    }
    case 'mnist': {
      const { size, ...shape } = netShape(s, 'mnist', p.resolution * p.resolution, 10, p.trainCount);
      const description = `mnist ${p.resolution}x${p.resolution} ${shape.layers.join('-')} ${shape.hiddenActivation}/${shape.output}, ${shape.loss}, ${p.trainCount} train / ${p.testCount} test images, ${p.batch === 1 ? 'online' : `minibatches of ${p.batch}`}`;
      return { size, description, net: shape };
    }
    case 'net-file': {
      const path = resolve(baseDir, p.path);
      if (!existsSync(path)) throw new InputError('problem.path', "must name an existing net file (relative paths are read from the scenario file's directory)", p.path);
      const loaded = loadNetFile(path, 'problem.path');
      return { size: loaded.weights.length, description: `net file ${p.path} (${describeNet(loaded.net)}, ${loaded.data.count} patterns)`, netFile: loaded };
    }
    case 'quadratic': {
      const n = p.eigenvalues?.length ?? (p.size as number);
      if (p.eigenvalues !== undefined) {
        return { size: n, description: `quadratic, n = ${n}, eigenvalues in [${Math.min(...p.eigenvalues)}, ${Math.max(...p.eigenvalues)}]` };
      }
      const eigenvalues = geometricSpectrum(n, p.spectrum as { min: number; max: number });
      return { size: n, description: `quadratic, n = ${n}, eigenvalues in [${Math.min(...eigenvalues)}, ${Math.max(...eigenvalues)}]` };
    }
    case 'teacher-student': {
      const size = p.inputs * p.outputs;
      if (!(size <= LIMITS.weights)) {
        throw new InputError('problem.inputs', `implies ${size} weights (inputs × outputs), above the limit of ${LIMITS.weights} (docs/formats.md, "Limits")`, p.inputs);
      }
      return { size, description: `linear teacher-student ${p.inputs} -> ${p.outputs}, inputs N(0, ${p.alpha}²), a fresh input every trial` };
    }
  }
}

/** λ_k = max·(min/max)^{k/(n−1)}, k = 0 … n−1 (geometric, largest first). */
export function geometricSpectrum(n: number, spectrum: { min: number; max: number }): number[] {
  if (n === 1) return [spectrum.max];
  return Array.from({ length: n }, (_, k) => spectrum.max * (spectrum.min / spectrum.max) ** (k / (n - 1)));
}
