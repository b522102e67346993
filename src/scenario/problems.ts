import { dirname, resolve } from 'node:path';
import { geometricSpectrum, outlineProblem, type LayeredShape, type NetShape } from './outline.js';
import { LayeredOracle } from '../exact/layered/oracle.js';
import { QuadraticOracle } from '../exact/quadratic.js';
import { TeacherStudentOracle, teacherStudentSampleLoss } from '../exact/teacher-student.js';
import type { Oracle } from '../exact/oracle.js';
import type { LoadedNet } from '../io/netfile.js';
import { layeredOracle, oracleFor } from '../exact/factory.js';
import { nrm2 } from '../linalg/blas1.js';
import { randomOrthogonal, symmetricFromEigen } from '../linalg/orthogonal.js';
import { layeredNet, type LayeredNet } from '../nets/layered.js';
import { randomLayeredWeights } from '../nets/random.js';
import { Rng } from '../random/rng.js';
import type { SimProblem } from '../sim/problem.js';
import type { ModeSpec, SimulationSpec } from '../sim/simulate.js';
import { layeredClassifier, mnistProblem, unitVariation, variedLoss } from './classification.js';
import type { Scenario } from './schema.js';
import { internalizeStrings } from '../io/internalize.js';

export { geometricSpectrum } from './outline.js';

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

function layeredProblem(s: Scenario, shape: LayeredShape, description: string): SimProblem {
  const net = netOf(shape);
  const w0 = randomLayeredWeights(net, Rng.derive(s.seed, 'init'), s.init.gain);
  const oracle = layeredOracle(net, shape.data, s.kernels);
  const ideal = fixedDataProblem(s.problem.kind, description, oracle, w0);
  // A chip whose neurons vary measures its loss through its own forward pass.
  const variation = unitVariation(net, s.hardware?.variation.activation ?? 0, s.seed);
  const problem = variation === null ? ideal : { ...ideal, loss: variedLoss(net, shape.data, variation) };
  // Classification tasks (one-hot or single 0/1 targets) report accuracy; the encoder reproduces its input.
  return s.problem.kind === 'encoder' ? problem : { ...problem, classifier: layeredClassifier(net, shape.data, undefined, variation) };
}

/** The layered net of a shape: hidden layers share one activation. */
function netOf(shape: NetShape): LayeredNet {
  const { layers, hiddenActivation, output, loss } = shape;
  return layeredNet(layers, [...layers.slice(1, -1).map(() => hiddenActivation), output], loss);
}

/**
 * Builds the problem a scenario names. `baseDir` resolves relative net-file paths (the
 * scenario file's directory).
 */
export function buildProblem(s: Scenario, baseDir: string): SimProblem {
  const p = s.problem;
  // Sizes are checked against the budget before anything is allocated (outline.ts).
  const outline = outlineProblem(s, baseDir);
  const { description } = outline;
  switch (p.kind) {
    case 'xor':
    case 'parity':
    case 'encoder':
    case 'iris':
      return layeredProblem(s, outline.layered as LayeredShape, description);
    case 'mnist': {
      const net = netOf(outline.net as NetShape);
      return mnistProblem(p, net, s.seed, s.init.gain, description, s.kernels, unitVariation(net, s.hardware?.variation.activation ?? 0, s.seed));
    }
    case 'net-file': {
      const { net, data, weights, relaxation } = outline.netFile as LoadedNet;
      const oracle = oracleFor(net, data, relaxation, undefined, { kernels: s.kernels });
      return fixedDataProblem('net-file', description, oracle, weights);
    }
    case 'quadratic': {
      const eigenvalues = p.eigenvalues ?? geometricSpectrum(p.size as number, p.spectrum as { min: number; max: number });
      const n = eigenvalues.length;
      // The eigenbasis: a seeded rotation, or the axes (H diagonal, H_ii = λ_i).
      const H = p.basis === 'axes' ? diagonalMatrix(eigenvalues) : symmetricFromEigen(randomOrthogonal(n, Rng.derive(s.seed, 'hessian')), eigenvalues, n);
      const w0 = Rng.derive(s.seed, 'init').fillGaussian(new Float64Array(n), s.init.gain);
      const oracle = new QuadraticOracle(H, new Float64Array(n));
      return fixedDataProblem('quadratic', description, oracle, w0);
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
        // Node perturbation on the M output units: E = ½‖(W − W*)x + ξ‖², e_{mk} = ξ_m x_k.
        nodes: {
          units: M,
          loss: (w, xi) => {
            let e = 0;
            for (let m = 0; m < M; m++) {
              let r = xi[m];
              for (let k = 0; k < N; k++) r += (w[m * N + k] - teacher[m * N + k]) * x[k];
              e += r * r;
            }
            return 0.5 * e;
          },
          correlates: (_w, xi, out) => {
            for (let m = 0; m < M; m++) for (let k = 0; k < N; k++) out[m * N + k] = xi[m] * x[k];
          },
        },
        description,
      };
    }
  }
}

function diagonalMatrix(d: readonly number[]): Float64Array {
  const n = d.length;
  const H = new Float64Array(n * n);
  for (let i = 0; i < n; i++) H[i * n + i] = d[i];
  return H;
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
export function buildSimulationSpec(scenario: Scenario, baseDir: string): SimulationSpec {
  // Every string the spec takes from the scenario is the engine's canonical copy (internalize.ts).
  const s = internalizeStrings(scenario);
  const problem = buildProblem(s, baseDir);
  const v = buildDirection(s, problem);
  const eigen = { every: s.eigen?.every ?? 2000, updates: s.eigen?.updates ?? 10 };
  const t = s.train;
  const mode: ModeSpec =
    s.mode === 'train'
      ? {
          kind: 'train',
          learningRate: t?.learningRate ?? 'auto',
          eigen,
          rule: (t?.rule ?? 'wp') === 'wp' ? { kind: 'wp' } : { kind: 'estimator', every: t?.every ?? 1000 },
          optimizer: t?.optimizer ?? { name: 'sgd' },
          targetAccuracy: t?.targetAccuracy ?? null,
          stopAtTarget: t?.stopAtTarget ?? false,
          sgdLearningRate: t?.sgdLearningRate ?? null,
          curvature: t?.curvature ?? null,
        }
      : s.mode === 'eigen'
        ? { kind: 'eigen', eigen }
        : { kind: 'estimate' };
  const code = s.perturbation.code;
  return {
    problem,
    v,
    perturbation: {
      law: s.perturbation.distribution, sigma: s.perturbation.sigma, antithetic: s.perturbation.antithetic,
      target: s.estimator.name === 'node' ? 'units' : 'weights',
      code: code === undefined ? null : code.name === 'fdma' ? { ...code, dt: s.chip?.dt ?? NaN } : code,
    },
    estimator: s.estimator,
    trials: s.trials,
    probeEvery: s.probeEvery,
    seed: s.seed,
    mode,
    hardware: s.hardware,
    spsa: s.baseline?.spsa ?? null,
    clock: s.chip ?? null,
    ...(s.blockSize !== undefined ? { blockSize: s.blockSize } : {}),
  };
}
