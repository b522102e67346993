import { z } from 'zod';
import { ACTIVATION_NAMES } from '../nets/activations.js';
import { LOSS_NAMES } from '../nets/losses.js';
import { PERTURBATION_NAMES } from '../synapse/perturbation.js';

/**
 * The scenario file (docs/formats.md): everything a run needs, validated in one place. The
 * same zod schema is exported as JSON Schema (`wpsim schema`) for editors.
 */
const int = z.number().int('must be an integer');
const positive = z.number().positive('must be greater than 0');
const finite = z.number();

const problemSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('xor') }).strict(),
  z.object({ kind: z.literal('parity'), bits: int.min(2, 'must be at least 2').max(12, 'must be at most 12').default(3) }).strict(),
  z.object({
    kind: z.literal('encoder'),
    k: int.min(2, 'must be at least 2').max(64, 'must be at most 64').default(4),
    m: int.min(1, 'must be at least 1').max(64, 'must be at most 64').default(2),
  }).strict(),
  z.object({ kind: z.literal('iris') }).strict(),
  z.object({
    kind: z.literal('teacher-student'),
    inputs: int.min(1, 'must be at least 1').max(10_000, 'must be at most 10000').default(10),
    outputs: int.min(1, 'must be at least 1').max(1000, 'must be at most 1000').default(1),
    alpha: positive.default(1),
  }).strict(),
  z.object({
    kind: z.literal('quadratic'),
    eigenvalues: z.array(finite).min(1, 'must list at least one eigenvalue').max(2000, 'must have at most 2000 entries').optional(),
    size: int.min(1, 'must be at least 1').max(2000, 'must be at most 2000').optional(),
    spectrum: z.object({ min: positive, max: positive }).strict().optional(),
    /** The Hessian's eigenbasis: a seeded random rotation (default) or the coordinate axes (H diagonal). */
    basis: z.enum(['rotated', 'axes']).default('rotated'),
  }).strict(),
  z.object({ kind: z.literal('net-file'), path: z.string().min(1, 'must name a net file') }).strict(),
  z.object({
    kind: z.literal('mnist'),
    resolution: z.union([z.literal(7), z.literal(14), z.literal(28)], { error: 'must be 7, 14 or 28' }).default(7),
    trainCount: int.min(1, 'must be at least 1').max(9999, 'must be at most 9999').default(8000),
    testCount: int.min(1, 'must be at least 1').max(9999, 'must be at most 9999').default(2000),
    splitSeed: int.min(0, 'must be a non-negative integer').default(0),
    /** Patterns per presentation: 1 is online learning, more a minibatch. */
    batch: int.min(1, 'must be at least 1').max(9999, 'must be at most 9999').default(1),
  }).strict(),
]);

const networkSchema = z.object({
  hidden: z.array(int.min(1, 'must be at least 1')).optional(),
  activation: z.enum(ACTIVATION_NAMES).optional(),
  output: z.enum(ACTIVATION_NAMES).optional(),
  loss: z.enum(LOSS_NAMES).optional(),
}).strict();

const estimatorSchema = z.discriminatedUnion('name', [
  z.object({ name: z.literal('wp') }).strict(),
  z.object({ name: z.literal('moment') }).strict(),
  z.object({ name: z.literal('node') }).strict(),
  z.object({ name: z.literal('seed'), intercept: z.boolean().default(true) }).strict(),
  z.object({
    name: z.literal('joint-lms'),
    step: positive.max(1, 'must be at most 1').default(0.5),
    decay: positive.default(1000),
  }).strict(),
]);

const quantizerSchema = z.object({
  bits: int.min(1, 'must be at least 1').max(52, 'must be at most 52'),
  range: positive,
}).strict();

const hardwareSchema = z.object({
  noise: z.number().min(0, 'must be non-negative').default(0),
  adc: quantizerSchema.nullable().default(null),
  sumAdc: quantizerSchema.nullable().optional(),
  weights: quantizerSchema.nullable().default(null),
  mismatch: z.object({
    gain: z.number().min(0, 'must be non-negative').default(0),
    offset: z.number().min(0, 'must be non-negative').default(0),
  }).strict().default({ gain: 0, offset: 0 }),
  faults: z.object({
    dead: z.number().min(0, 'must be in [0, 1]').max(1, 'must be in [0, 1]').default(0),
    stuck: z.number().min(0, 'must be in [0, 1]').max(1, 'must be in [0, 1]').default(0),
  }).strict().default({ dead: 0, stuck: 0 }),
  variation: z.object({
    activation: z.number().min(0, 'must be non-negative').max(1, 'must be at most 1').default(0),
    update: z.number().min(0, 'must be non-negative').default(0),
  }).strict().default({ activation: 0, update: 0 }),
}).strict();

const codeSchema = z.discriminatedUnion('name', [
  z.object({ name: z.literal('tdma') }).strict(),
  z.object({ name: z.literal('cdma'), rho: positive.max(1, 'must be at most 1').default(1) }).strict(),
  z.object({ name: z.literal('walsh') }).strict(),
  z.object({ name: z.literal('fdma'), fMin: positive, fMax: positive }).strict(),
]);

/** The chip's clocks (docs/hardware.md, "Clocks"): times in steps of dt seconds. */
const chipSchema = z.object({
  dt: positive.default(1e-6),
  tauX: int.min(1, 'must be at least 1').default(1),
  tauP: int.min(1, 'must be at least 1').default(1),
  tauTheta: int.min(1, 'must be at least 1').default(1),
  integrate: z.enum(['discrete', 'lowpass']).default('discrete'),
  cost: z.enum(['discrete', 'analog']).default('discrete'),
  tauHp: positive.default(1.6),
}).strict();

const optimizerSchema = z.discriminatedUnion('name', [
  z.object({ name: z.literal('sgd') }).strict(),
  z.object({ name: z.literal('momentum'), beta: z.number().min(0, 'must be in [0, 1)').lt(1, 'must be in [0, 1)').default(0.9) }).strict(),
  z.object({
    name: z.literal('adam'),
    beta1: z.number().min(0, 'must be in [0, 1)').lt(1, 'must be in [0, 1)').default(0.9),
    beta2: z.number().min(0, 'must be in [0, 1)').lt(1, 'must be in [0, 1)').default(0.999),
    epsilon: positive.default(1e-8),
  }).strict(),
]);

/** Curvature in the loop (docs/hardware.md, "Curvature in the loop"): one of the three. */
const curvatureSchema = z.object({
  track: z.object({
    every: int.min(1, 'must be at least 1'),
    safety: positive.max(2, 'must be at most 2').default(0.5),
    average: int.min(1, 'must be at least 1').default(1),
  }).strict().optional(),
  precondition: z.object({
    delta: positive,
    window: int.min(1, 'must be at least 1').default(10),
  }).strict().optional(),
  newton: z.object({
    iterations: int.min(1, 'must be at least 1').max(1000, 'must be at most 1000').default(5),
    productTrials: int.min(2, 'must be at least 2'),
    damping: z.number().min(0, 'must be non-negative').default(0),
  }).strict().optional(),
}).strict();

const eigenSchema = z.object({
  every: int.min(1, 'must be at least 1').default(2000),
  updates: int.min(1, 'must be at least 1').default(10),
}).strict();

export const scenarioSchema = z.object({
  $schema: z.string().optional(),
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be lower-case letters, digits, ".", "_" or "-"'),
  description: z.string().default(''),
  problem: problemSchema,
  network: networkSchema.optional(),
  init: z.object({ gain: positive.default(1) }).strict().default({ gain: 1 }),
  direction: z.enum(['gaussian', 'gradient']).default('gaussian'),
  perturbation: z.object({
    distribution: z.enum(PERTURBATION_NAMES).default('gaussian'),
    sigma: positive,
    antithetic: z.boolean().default(false),
    code: codeSchema.optional(),
  }).strict(),
  chip: chipSchema.optional(),
  estimator: estimatorSchema,
  mode: z.enum(['estimate', 'train', 'eigen']).default('estimate'),
  hardware: hardwareSchema.optional(),
  train: z.object({
    learningRate: z.union([positive, z.literal('auto')]).default('auto'),
    rule: z.enum(['wp', 'estimator']).default('wp'),
    every: int.min(1, 'must be at least 1').default(1000),
    targetAccuracy: z.number().gt(0, 'must be in (0, 1]').max(1, 'must be in (0, 1]').optional(),
    stopAtTarget: z.boolean().default(false),
    sgdLearningRate: positive.optional(),
    optimizer: optimizerSchema.default({ name: 'sgd' }),
    curvature: curvatureSchema.optional(),
  }).strict().optional(),
  eigen: eigenSchema.optional(),
  baseline: z.object({
    spsa: z.object({ c: positive.default(0.05), cTilde: positive.default(0.05) }).strict(),
  }).strict().optional(),
  trials: int.min(1, 'must be at least 1').max(1e9, 'must be at most 1e9'),
  probeEvery: int.min(1, 'must be at least 1'),
  seed: int.min(0, 'must be a non-negative integer').max(Number.MAX_SAFE_INTEGER),
  output: z.string().default('out'),
  kernels: z.enum(['auto', 'js', 'wasm']).default('auto'),
}).strict().superRefine((s, ctx) => {
  const p = s.problem;
  const layeredKinds = ['xor', 'parity', 'encoder', 'iris', 'mnist'];
  if (s.network !== undefined && !layeredKinds.includes(p.kind)) {
    ctx.addIssue({ code: 'custom', path: ['network'], message: `is not used by problem kind "${p.kind}" (only ${layeredKinds.join(', ')})` });
  }
  if (p.kind === 'quadratic') {
    const hasList = p.eigenvalues !== undefined;
    const hasSpectrum = p.size !== undefined && p.spectrum !== undefined;
    if (hasList === hasSpectrum) {
      ctx.addIssue({ code: 'custom', path: ['problem'], message: 'must give either "eigenvalues" or both "size" and "spectrum" {min, max}' });
    }
    if (p.spectrum !== undefined && p.spectrum.min > p.spectrum.max) {
      ctx.addIssue({ code: 'custom', path: ['problem', 'spectrum', 'min'], message: 'must not exceed spectrum.max' });
    }
  }
  if (s.train !== undefined && s.mode !== 'train') {
    ctx.addIssue({ code: 'custom', path: ['train'], message: `applies to mode "train" only (mode is "${s.mode}")` });
  }
  const code = s.perturbation.code;
  if (s.estimator.name === 'node') {
    const online = p.kind === 'teacher-student' || (p.kind === 'mnist' && p.batch === 1);
    if (s.mode !== 'train') ctx.addIssue({ code: 'custom', path: ['mode'], message: `must be "train" for estimator "node" (node perturbation learns online; it has no estimate of its own to probe), not "${s.mode}"` });
    if (!online) ctx.addIssue({ code: 'custom', path: ['problem', 'kind'], message: `must be a fresh-sample net with units to perturb (teacher-student, or mnist with batch 1) for estimator "node", not "${p.kind}"` });
    if (s.hardware !== undefined) ctx.addIssue({ code: 'custom', path: ['hardware'], message: 'is not modelled for node perturbation (its generators sit on the units); leave it out' });
    if (s.chip?.cost === 'analog') ctx.addIssue({ code: 'custom', path: ['chip', 'cost'], message: 'must be "discrete" for estimator "node" (the units\' activities are read with C₀)' });
    if (s.train?.rule === 'estimator') ctx.addIssue({ code: 'custom', path: ['train', 'rule'], message: 'must be "wp" for estimator "node"' });
  }
  if (code !== undefined && s.estimator.name !== 'wp' && s.estimator.name !== 'node') {
    ctx.addIssue({ code: 'custom', path: ['perturbation', 'code'], message: `needs estimator "wp" (the correlator of a code); "${s.estimator.name}" assumes iid perturbation laws` });
  }
  if (code !== undefined && s.perturbation.distribution !== 'gaussian') {
    ctx.addIssue({ code: 'custom', path: ['perturbation', 'distribution'], message: 'is set by the code when perturbation.code is given; leave it out' });
  }
  if (code?.name === 'fdma' && s.chip === undefined) {
    ctx.addIssue({ code: 'custom', path: ['perturbation', 'code'], message: '"fdma" needs a continuous-time chip: give "chip" with its step dt' });
  }
  if (code?.name === 'fdma' && s.chip !== undefined && !(code.fMax > code.fMin && 2 * code.fMax * s.chip.dt < 1)) {
    ctx.addIssue({ code: 'custom', path: ['perturbation', 'code', 'fMax'], message: `must exceed fMin and lie below the Nyquist frequency 1/(2·chip.dt) = ${1 / (2 * s.chip.dt)} Hz` });
  }
  if (s.chip?.cost === 'analog' && s.perturbation.antithetic) {
    ctx.addIssue({ code: 'custom', path: ['chip', 'cost'], message: '"analog" (a high-pass filter of one cost read per step) cannot pair antithetic reads; use cost "discrete" or antithetic false' });
  }
  if (s.chip !== undefined && s.chip.tauX > 1 && !['mnist', 'teacher-student'].includes(p.kind)) {
    ctx.addIssue({ code: 'custom', path: ['chip', 'tauX'], message: `presents samples, which problem kind "${p.kind}" has not (fixed data): leave tauX at 1` });
  }
  if ((s.hardware?.variation.activation ?? 0) > 0 && !['xor', 'parity', 'encoder', 'iris', 'mnist'].includes(p.kind)) {
    ctx.addIssue({ code: 'custom', path: ['hardware', 'variation', 'activation'], message: `varies neurons, which problem kind "${p.kind}" has not (layered kinds only)` });
  }
  const classification = ['xor', 'parity', 'iris', 'mnist'].includes(p.kind);
  if (s.train?.targetAccuracy !== undefined && !classification) {
    ctx.addIssue({ code: 'custom', path: ['train', 'targetAccuracy'], message: `needs a classification problem (xor, parity, iris, mnist), not "${p.kind}"` });
  }
  const chipTraining = s.chip !== undefined && (s.chip.tauTheta > 1 || s.chip.integrate === 'lowpass');
  if ((chipTraining || (s.train?.optimizer.name ?? 'sgd') !== 'sgd') && s.mode === 'train' && s.train?.rule === 'estimator') {
    ctx.addIssue({ code: 'custom', path: ['train', 'rule'], message: 'must be "wp" with chip integration windows or an optimizer (they act on the per-trial WP update)' });
  }
  const powerIteration = s.mode === 'eigen' || (s.mode === 'train' && (s.train?.learningRate ?? 'auto') === 'auto');
  if (powerIteration && (s.estimator.name === 'wp' || s.estimator.name === 'node')) {
    ctx.addIssue({
      code: 'custom', path: ['estimator', 'name'],
      message: `must estimate Hv (not "${s.estimator.name}") for ${s.mode === 'eigen' ? 'mode "eigen"' : 'train.learningRate "auto"'}: the on-chip power iteration reads ẑ`,
    });
  }
  checkCurvature(s, ctx);
  if (s.baseline !== undefined && s.mode !== 'estimate') {
    ctx.addIssue({ code: 'custom', path: ['baseline'], message: `applies to mode "estimate" only (mode is "${s.mode}")` });
  }
  if (s.baseline !== undefined && s.problem.kind === 'teacher-student') {
    ctx.addIssue({ code: 'custom', path: ['baseline'], message: 'needs a fixed-data problem (2SPSA draws no samples of its own)' });
  }
  if (s.network?.loss === 'cross-entropy' && s.network.output !== undefined && s.network.output !== 'logistic') {
    ctx.addIssue({ code: 'custom', path: ['network', 'output'], message: 'must be "logistic" for loss "cross-entropy"' });
  }
  if (s.network?.loss === 'softmax-cross-entropy' && s.network.output !== undefined && s.network.output !== 'linear') {
    ctx.addIssue({ code: 'custom', path: ['network', 'output'], message: 'must be "linear" for loss "softmax-cross-entropy"' });
  }
});

type ScenarioShape = z.output<typeof scenarioSchema>;

/** The combinations of train.curvature that make sense (docs/hardware.md, "Curvature in the loop"). */
function checkCurvature(s: Pick<ScenarioShape, 'train' | 'estimator' | 'perturbation'>, ctx: z.RefinementCtx): void {
  const c = s.train?.curvature;
  if (c === undefined || s.train === undefined) return;
  const path = ['train', 'curvature'];
  const given = (['track', 'precondition', 'newton'] as const).filter((k) => c[k] !== undefined);
  if (given.length !== 1) {
    ctx.addIssue({ code: 'custom', path, message: `must give exactly one of "track", "precondition", "newton" (given: ${given.length === 0 ? 'none' : given.join(', ')})` });
    return;
  }
  const kind = given[0];
  if (s.train.rule !== 'estimator') {
    ctx.addIssue({ code: 'custom', path: ['train', 'rule'], message: `must be "estimator" for train.curvature.${kind}: the synapses estimate ĝ and Hv over a window at fixed w` });
  }
  const needs = kind === 'precondition' ? ['moment'] : ['moment', 'joint-lms'];
  if (!needs.includes(s.estimator.name)) {
    const what = kind === 'precondition' ? 'estimate diag H' : 'estimate Hv without bias';
    ctx.addIssue({ code: 'custom', path: ['estimator', 'name'], message: `must be ${needs.map((x) => `"${x}"`).join(' or ')} for train.curvature.${kind} (it must ${what}), not "${s.estimator.name}"` });
  }
  if (kind === 'precondition' && s.perturbation.distribution === 'rademacher') {
    ctx.addIssue({ code: 'custom', path: ['perturbation', 'distribution'], message: 'must not be "rademacher" for train.curvature.precondition: ±σ perturbations cannot see the Hessian diagonal' });
  }
  const auto = s.train.learningRate === 'auto';
  if (kind === 'track' && !auto) {
    ctx.addIssue({ code: 'custom', path: ['train', 'learningRate'], message: 'must be "auto" for train.curvature.track (η = safety/λ̂, starting from the eigen pre-phase)' });
  }
  if (kind !== 'track' && auto) {
    ctx.addIssue({ code: 'custom', path: ['train', 'learningRate'], message: `must be a number for train.curvature.${kind} (the fraction of the ${kind === 'newton' ? 'Newton' : 'preconditioned'} step taken), not "auto"` });
  }
  if (kind === 'track' && c.track !== undefined && c.track.every % s.train.every !== 0) {
    ctx.addIssue({ code: 'custom', path: [...path, 'track', 'every'], message: `must be a multiple of train.every (${s.train.every}): v is refreshed at the end of a window` });
  }
}

export type Scenario = z.output<typeof scenarioSchema>;
export type ProblemSpec = Scenario['problem'];

/** The scenario schema as JSON Schema (draft 2020-12), for editors. */
export function scenarioJsonSchema(): object {
  return z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' });
}
