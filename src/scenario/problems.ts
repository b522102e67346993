import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { LayeredOracle } from '../exact/layered/oracle.js';
import { QuadraticOracle } from '../exact/quadratic.js';
import { TeacherStudentOracle, teacherStudentSampleLoss } from '../exact/teacher-student.js';
import type { Oracle } from '../exact/oracle.js';
import { describeNet, loadNetFile } from '../io/netfile.js';
import { layeredOracle, oracleFor } from '../exact/factory.js';
import { nrm2 } from '../linalg/blas1.js';
import { randomOrthogonal, symmetricFromEigen } from '../linalg/orthogonal.js';
import type { ActivationName } from '../nets/activations.js';
import type { Dataset } from '../nets/dataset.js';
import { layeredNet } from '../nets/layered.js';
import type { LossName } from '../nets/losses.js';
import { randomLayeredWeights } from '../nets/random.js';
import { Rng } from '../random/rng.js';
import type { SimProblem } from '../sim/problem.js';
import type { ModeSpec, SimulationSpec } from '../sim/simulate.js';
import { encoderDataset, irisDataset, parityDataset, xorDataset } from './datasets.js';
import type { Scenario } from './schema.js';

interface NetDefaults {
  hidden: number[];
  activation: ActivationName;
  output: ActivationName;
  loss: LossName;
}

/** A fixed data set with a loss that an exact oracle evaluates. */
function fixedDataProblem(name: string, description: string, oracle: Oracle, w0: Float64Array): SimProblem {
  return {
    name,
    size: oracle.size,
    w0,
    freshData: false,
    nextSample: () => {},
    loss: (w) => oracle.loss(w),
    sampleGradient: (w, g) => {
      oracle.gradient(w, g);
    },
    oracle,
    description,
    ...(oracle instanceof LayeredOracle ? { kernels: oracle.kernels } : {}),
  };
}

function layeredProblem(s: Scenario, data: Dataset, defaults: NetDefaults): SimProblem {
  const hidden = s.network?.hidden ?? defaults.hidden;
  const activation = s.network?.activation ?? defaults.activation;
  const loss = s.network?.loss ?? defaults.loss;
  const output = s.network?.output ?? (loss === 'cross-entropy' ? 'logistic' : loss === 'softmax-cross-entropy' ? 'linear' : defaults.output);
  const layers = [data.nIn, ...hidden, data.nOut];
  const net = layeredNet(layers, [...hidden.map(() => activation), output], loss);
  const w0 = randomLayeredWeights(net, Rng.derive(s.seed, 'init'), s.init.gain);
  const oracle = layeredOracle(net, data, s.kernels);
  const description = `${s.problem.kind} ${layers.join('-')} ${activation}/${output}, ${loss}, ${data.count} patterns`;
  return fixedDataProblem(s.problem.kind, description, oracle, w0);
}

/**
 * Builds the problem a scenario names. `baseDir` resolves relative net-file paths (the
 * scenario file's directory).
 */
export function buildProblem(s: Scenario, baseDir: string): SimProblem {
  const p = s.problem;
  switch (p.kind) {
    case 'xor':
      return layeredProblem(s, xorDataset(), { hidden: [2], activation: 'tanh', output: 'logistic', loss: 'cross-entropy' });
    case 'parity':
      return layeredProblem(s, parityDataset(p.bits), { hidden: [p.bits], activation: 'tanh', output: 'logistic', loss: 'cross-entropy' });
    case 'encoder':
      return layeredProblem(s, encoderDataset(p.k), { hidden: [p.m], activation: 'logistic', output: 'logistic', loss: 'cross-entropy' });
    case 'iris':
      return layeredProblem(s, irisDataset(), { hidden: [10], activation: 'tanh', output: 'linear', loss: 'softmax-cross-entropy' });
    case 'net-file': {
      const path = resolve(baseDir, p.path);
      if (!existsSync(path)) throw new InputError('problem.path', "must name an existing net file (relative paths are read from the scenario file's directory)", p.path);
      const { net, data, weights, relaxation } = loadNetFile(path);
      const oracle = oracleFor(net, data, relaxation, undefined, { kernels: s.kernels });
      return fixedDataProblem('net-file', `net file ${p.path} (${describeNet(net)}, ${data.count} patterns)`, oracle, weights);
    }
    case 'quadratic': {
      const eigenvalues = p.eigenvalues ?? geometricSpectrum(p.size as number, p.spectrum as { min: number; max: number });
      const n = eigenvalues.length;
      const Q = randomOrthogonal(n, Rng.derive(s.seed, 'hessian'));
      const H = symmetricFromEigen(Q, eigenvalues, n);
      const w0 = Rng.derive(s.seed, 'init').fillGaussian(new Float64Array(n), s.init.gain);
      const oracle = new QuadraticOracle(H, new Float64Array(n));
      const lo = Math.min(...eigenvalues);
      const hi = Math.max(...eigenvalues);
      return fixedDataProblem('quadratic', `quadratic, n = ${n}, eigenvalues in [${lo}, ${hi}]`, oracle, w0);
    }
    case 'teacher-student': {
      const { inputs: N, outputs: M, alpha } = p;
      // Teacher W* ~ N(0, 1/N) (outputs of order 1); student starts at W0 ~ N(0, gain²/N).
      const teacher = Rng.derive(s.seed, 'teacher').fillGaussian(new Float64Array(M * N), 1 / Math.sqrt(N));
      const w0 = Rng.derive(s.seed, 'init').fillGaussian(new Float64Array(M * N), s.init.gain / Math.sqrt(N));
      const x = new Float64Array(N);
      return {
        name: 'teacher-student',
        size: M * N,
        w0,
        freshData: true,
        nextSample: (rng) => rng.fillGaussian(x, alpha),
        loss: (w) => teacherStudentSampleLoss(w, teacher, x, M, N),
        // ∇ ½‖(W − W*)x‖² = ((W − W*)x) xᵀ
        sampleGradient: (w, g) => {
          for (let m = 0; m < M; m++) {
            let r = 0;
            for (let k = 0; k < N; k++) r += (w[m * N + k] - teacher[m * N + k]) * x[k];
            for (let k = 0; k < N; k++) g[m * N + k] = r * x[k];
          }
        },
        oracle: new TeacherStudentOracle(teacher, alpha),
        description: `linear teacher-student ${N} -> ${M}, inputs N(0, ${alpha}²), a fresh input every trial`,
      };
    }
  }
}

/** λ_k = max·(min/max)^{k/(n−1)}, k = 0 … n−1 (geometric, largest first). */
export function geometricSpectrum(n: number, spectrum: { min: number; max: number }): number[] {
  if (n === 1) return [spectrum.max];
  return Array.from({ length: n }, (_, k) => spectrum.max * (spectrum.min / spectrum.max) ** (k / (n - 1)));
}

/**
 * The direction v, normalised to ‖v‖ = 1: a seeded Gaussian ("direction" stream), or the
 * exact gradient at w0 (falling back to Gaussian where ∇E = 0).
 */
export function buildDirection(s: Scenario, problem: SimProblem): Float64Array {
  const n = problem.size;
  let v = Rng.derive(s.seed, 'direction').fillGaussian(new Float64Array(n));
  if (s.direction === 'gradient') {
    const g = new Float64Array(n);
    problem.oracle.gradient(problem.w0, g);
    if (nrm2(n, g) > 0) v = g;
  }
  const norm = nrm2(n, v);
  for (let i = 0; i < n; i++) v[i] /= norm;
  return v;
}

export function scenarioBaseDir(path: string): string {
  return dirname(resolve(path));
}

/** The simulation a scenario describes (problem, direction, mode, hardware, baseline). */
export function buildSimulationSpec(s: Scenario, baseDir: string): SimulationSpec {
  const problem = buildProblem(s, baseDir);
  const v = buildDirection(s, problem);
  const eigen = { every: s.eigen?.every ?? 2000, updates: s.eigen?.updates ?? 10 };
  const mode: ModeSpec =
    s.mode === 'train'
      ? {
          kind: 'train',
          learningRate: s.train?.learningRate ?? 'auto',
          eigen,
          rule: (s.train?.rule ?? 'wp') === 'wp' ? { kind: 'wp' } : { kind: 'estimator', every: s.train?.every ?? 1000 },
        }
      : s.mode === 'eigen'
        ? { kind: 'eigen', eigen }
        : { kind: 'estimate' };
  return {
    problem,
    v,
    perturbation: { law: s.perturbation.distribution, sigma: s.perturbation.sigma, antithetic: s.perturbation.antithetic },
    estimator: s.estimator,
    trials: s.trials,
    probeEvery: s.probeEvery,
    seed: s.seed,
    mode,
    hardware: s.hardware,
    spsa: s.baseline?.spsa ?? null,
  };
}
