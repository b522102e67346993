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
  z.object({ kind: z.literal('xor').describe('XOR, 4 patterns; default net 2-2-1 tanh/logistic, cross-entropy') }).strict(),
  z.object({
    kind: z.literal('parity').describe('n-bit parity, all 2^bits patterns; default net bits-bits-1 tanh/logistic'),
    bits: int.min(2, 'must be at least 2').max(12, 'must be at most 12').default(3).describe('number of input bits (2 … 12)'),
  }).strict(),
  z.object({
    kind: z.literal('encoder').describe('k-m-k encoder of the k one-hot patterns; default net logistic, cross-entropy'),
    k: int.min(2, 'must be at least 2').max(64, 'must be at most 64').default(4).describe('inputs and outputs: the number of one-hot patterns'),
    m: int.min(1, 'must be at least 1').max(64, 'must be at most 64').default(2).describe('hidden units (the bottleneck)'),
  }).strict(),
  z.object({ kind: z.literal('iris').describe("Fisher's iris (150 patterns, standardised); default net 4-10-3 tanh/linear, softmax cross-entropy") }).strict(),
  z.object({
    kind: z.literal('teacher-student').describe('linear student y = Wx against a teacher W*, a fresh x ~ N(0, alpha^2 I) every trial'),
    inputs: int.min(1, 'must be at least 1').max(10_000, 'must be at most 10000').default(10).describe('input dimension N'),
    outputs: int.min(1, 'must be at least 1').max(1000, 'must be at most 1000').default(1).describe('output dimension M'),
    alpha: positive.default(1).describe('input scale: x ~ N(0, alpha^2 I)'),
  }).strict(),
  z.object({
    kind: z.literal('quadratic').describe('E = 1/2 (w - w*)^T H (w - w*), H = Q diag(lambda) Q^T with Q Haar-random; give eigenvalues, or size and spectrum'),
    eigenvalues: z.array(finite).min(1, 'must list at least one eigenvalue').max(2000, 'must have at most 2000 entries').optional().describe('the Hessian eigenvalues, listed'),
    size: int.min(1, 'must be at least 1').max(2000, 'must be at most 2000').optional().describe('number of weights (with spectrum)'),
    spectrum: z.object({
      min: positive.describe('smallest eigenvalue'),
      max: positive.describe('largest eigenvalue'),
    }).strict().optional().describe('eigenvalues spaced geometrically from min to max (with size)'),
  }).strict(),
  z.object({
    kind: z.literal('net-file').describe("a net file's net, data and weights (docs/formats.md)"),
    path: z.string().min(1, 'must name a net file').describe('the net file, relative to the scenario file'),
  }).strict(),
  z.object({
    kind: z.literal('mnist').describe('MNIST digits of the mnist package: a seeded train/test split, standardised features, one-hot targets; default net res²-16-10 tanh/linear, softmax cross-entropy'),
    resolution: z.union([z.literal(7), z.literal(14), z.literal(28)], { error: 'must be 7, 14 or 28' }).default(7).describe('image side after area-averaging: 7, 14 or 28'),
    trainCount: int.min(1, 'must be at least 1').max(9999, 'must be at most 9999').default(8000).describe('images in the training split'),
    testCount: int.min(1, 'must be at least 1').max(9999, 'must be at most 9999').default(2000).describe('images in the test split'),
    splitSeed: int.min(0, 'must be a non-negative integer').default(0).describe('seed of the train/test split'),
    /** Patterns per presentation: 1 is online learning, more a minibatch. */
    batch: int.min(1, 'must be at least 1').max(9999, 'must be at most 9999').default(1).describe('patterns per presentation: 1 is online learning, more a minibatch'),
  }).strict(),
]).describe('the learning problem: its kind and that kind\'s fields');

const networkSchema = z.object({
  hidden: z.array(int.min(1, 'must be at least 1')).optional().describe('hidden layer sizes, input side first'),
  activation: z.enum(ACTIVATION_NAMES).optional().describe('activation of the hidden units'),
  output: z.enum(ACTIVATION_NAMES).optional().describe('activation of the output units'),
  loss: z.enum(LOSS_NAMES).optional().describe('loss summed over the patterns'),
}).strict().describe('the layered net of xor, parity, encoder, iris and mnist (defaults per problem kind)');

const estimatorSchema = z.discriminatedUnion('name', [
  z.object({ name: z.literal('wp').describe('first-order weight perturbation: estimates dE/dw_i only') }).strict(),
  z.object({ name: z.literal('moment').describe('local unbiased moment estimator of dE/dw_i, z_i = (Hv)_i and diag H, with standard errors') }).strict(),
  z.object({ name: z.literal('node').describe("node perturbation: units are perturbed, each synapse correlates its unit's perturbation with its input") }).strict(),
  z.object({
    name: z.literal('seed').describe("the seed's per-synapse regression of z_i (biased; kept against its predicted limit)"),
    intercept: z.boolean().default(true).describe('fit an intercept in the per-synapse regression'),
  }).strict(),
  z.object({
    name: z.literal('joint-lms').describe('joint LMS fit of g and z from a broadcast residual'),
    step: positive.max(1, 'must be at most 1').default(0.5).describe('LMS step size (0, 1]'),
    decay: positive.default(1000).describe('trials over which the step decays'),
  }).strict(),
]).describe('what each synapse estimates, and how');

const quantizerSchema = z.object({
  bits: int.min(1, 'must be at least 1').max(52, 'must be at most 52').describe('resolution: 2^bits levels'),
  range: positive.describe('full scale: values in [-range, range], clipped beyond'),
}).strict();

const hardwareSchema = z.object({
  noise: z.number().min(0, 'must be non-negative').default(0).describe('standard deviation of the Gaussian noise on every measurement of E'),
  adc: quantizerSchema.nullable().default(null).describe('converter that digitises the broadcast ΔE (null: ideal)'),
  sumAdc: quantizerSchema.nullable().optional().describe('converter of the summing wire (p = Δw·v and other sums); defaults to adc'),
  weights: quantizerSchema.nullable().default(null).describe('weight storage quantiser (null: ideal)'),
  mismatch: z.object({
    gain: z.number().min(0, 'must be non-negative').default(0).describe('sd of the per-synapse gain error of the perturbation generator'),
    offset: z.number().min(0, 'must be non-negative').default(0).describe('sd of the per-synapse DC offset of the generator'),
  }).strict().default({ gain: 0, offset: 0 }).describe('fixed per-chip device mismatch'),
  faults: z.object({
    dead: z.number().min(0, 'must be in [0, 1]').max(1, 'must be in [0, 1]').default(0).describe('fraction of synapses that neither perturb nor update'),
    stuck: z.number().min(0, 'must be in [0, 1]').max(1, 'must be in [0, 1]').default(0).describe('fraction of synapses whose weight cannot change'),
  }).strict().default({ dead: 0, stuck: 0 }).describe('faulty synapses'),
  variation: z.object({
    activation: z.number().min(0, 'must be non-negative').max(1, 'must be at most 1').default(0).describe('s: every unit computes L σ(k(x − x₀)) + y₀ with L, k ~ N(1, s²), x₀, y₀ ~ N(0, s²), fixed per chip'),
    update: z.number().min(0, 'must be non-negative').default(0).describe('θσ: noise N(0, θσ²) on every weight update of every synapse'),
  }).strict().default({ activation: 0, update: 0 }).describe('device variation as MGD models it (docs/hardware.md)'),
}).strict().describe('the chip model between the ideal model and the synapses (docs/hardware.md); every knob defaults to ideal');

const codeSchema = z.discriminatedUnion('name', [
  z.object({ name: z.literal('tdma').describe('one synapse at a time, ±σ') }).strict(),
  z.object({
    name: z.literal('cdma').describe('±σ/√rho on a random fraction rho of the synapses'),
    rho: positive.max(1, 'must be at most 1').default(1).describe('fraction perturbed per step (1: the rademacher law)'),
  }).strict(),
  z.object({ name: z.literal('walsh').describe('Hadamard rows, orthogonal over a period') }).strict(),
  z.object({
    name: z.literal('fdma').describe('a tone per synapse (needs chip)'),
    fMin: positive.describe('lowest tone frequency (Hz)'),
    fMax: positive.describe('highest tone frequency (Hz)'),
  }).strict(),
]).describe('a perturbation code instead of iid draws (estimator wp only; docs/theory.md, "Perturbation codes")');

/** The chip's clocks (docs/hardware.md, "Clocks"): times in steps of dt seconds. */
const chipSchema = z.object({
  dt: positive.default(1e-6).describe('seconds per chip step'),
  tauX: int.min(1, 'must be at least 1').default(1).describe('steps per input sample'),
  tauP: int.min(1, 'must be at least 1').default(1).describe('steps a perturbation is held'),
  tauTheta: int.min(1, 'must be at least 1').default(1).describe('integration window of the WP rule (steps)'),
  integrate: z.enum(['discrete', 'lowpass']).default('discrete').describe('how the rule integrates: discrete window or low-pass'),
  cost: z.enum(['discrete', 'analog']).default('discrete').describe('cost read: discrete C − C₀, or analog high-pass'),
  tauHp: positive.default(1.6).describe('time constant of the analog high-pass (steps)'),
}).strict().describe("the chip's clocks (docs/hardware.md, \"Clocks\"); when given, rows end with chip_time");

const optimizerSchema = z.discriminatedUnion('name', [
  z.object({ name: z.literal('sgd').describe('plain steps along the estimate') }).strict(),
  z.object({
    name: z.literal('momentum').describe('heavy-ball momentum on the estimate'),
    beta: z.number().min(0, 'must be in [0, 1)').lt(1, 'must be in [0, 1)').default(0.9).describe('momentum factor β in [0, 1)'),
  }).strict(),
  z.object({
    name: z.literal('adam').describe('Adam on the estimate'),
    beta1: z.number().min(0, 'must be in [0, 1)').lt(1, 'must be in [0, 1)').default(0.9).describe('decay of the first moment, in [0, 1)'),
    beta2: z.number().min(0, 'must be in [0, 1)').lt(1, 'must be in [0, 1)').default(0.999).describe('decay of the second moment, in [0, 1)'),
    epsilon: positive.default(1e-8).describe('added to the root of the second moment'),
  }).strict(),
]).describe("the update rule applied to the chip's estimate");

const eigenSchema = z.object({
  every: int.min(1, 'must be at least 1').default(2000).describe('trials per power-iteration step'),
  updates: int.min(1, 'must be at least 1').default(10).describe('power-iteration steps of the auto learning-rate pre-phase'),
}).strict().describe('on-chip power iteration (mode eigen, and learningRate auto)');

export const scenarioSchema = z.object({
  $schema: z.string().optional().describe('the JSON Schema this file follows (for editors; ignored by wpsim)'),
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be lower-case letters, digits, ".", "_" or "-"').describe('lower-case id; runs go to <output>/<name>/<run-id>/'),
  description: z.string().default('').describe('one line shown by wpsim list and at the top of reports'),
  problem: problemSchema,
  network: networkSchema.optional(),
  init: z.object({
    gain: positive.default(1).describe('initial weight scale: N(0, gain^2/fan-in) for nets, N(0, gain^2) offset from the minimum for quadratic'),
  }).strict().default({ gain: 1 }).describe('initial weights'),
  direction: z.enum(['gaussian', 'gradient']).default('gaussian').describe('the direction v of Hv: seeded Gaussian, or the gradient at w0 (normalised)'),
  perturbation: z.object({
    distribution: z.enum(PERTURBATION_NAMES).default('gaussian').describe('law of ξ_i: gaussian, uniform or rademacher'),
    sigma: positive.describe('perturbation size σ > 0: Δw_i = σ ξ_i'),
    antithetic: z.boolean().default(false).describe('evaluate E(w + Δw) and E(w − Δw) each trial'),
    code: codeSchema.optional(),
  }).strict().describe('the weight perturbations Δw the synapses apply'),
  chip: chipSchema.optional(),
  estimator: estimatorSchema,
  mode: z.enum(['estimate', 'train', 'eigen']).default('estimate').describe('estimate (w, v fixed), train or eigen (docs/hardware.md)'),
  hardware: hardwareSchema.optional(),
  train: z.object({
    learningRate: z.union([positive, z.literal('auto')]).default('auto').describe('step size η, or auto: 1/λ̂_max from an on-chip power iteration'),
    rule: z.enum(['wp', 'estimator']).default('wp').describe('wp: the classic rule; estimator: step along the averaged estimate ĝ'),
    every: int.min(1, 'must be at least 1').default(1000).describe('trials averaged per step (rule estimator)'),
    targetAccuracy: z.number().gt(0, 'must be in (0, 1]').max(1, 'must be in (0, 1]').optional().describe('record the first row whose accuracy reaches it, for the chip and exact SGD'),
    stopAtTarget: z.boolean().default(false).describe('end the run when the chip reaches targetAccuracy'),
    sgdLearningRate: positive.optional().describe("the exact-SGD baseline's own η (default: the chip's)"),
    optimizer: optimizerSchema.default({ name: 'sgd' }),
  }).strict().optional().describe('weight-perturbation learning (mode train)'),
  eigen: eigenSchema.optional(),
  baseline: z.object({
    spsa: z.object({
      c: positive.default(0.05).describe('2SPSA perturbation size c'),
      cTilde: positive.default(0.05).describe('2SPSA second perturbation size c̃'),
    }).strict().describe("Spall's 2SPSA Hessian estimate run alongside"),
  }).strict().optional().describe('baseline estimators reported next to the synapses (mode estimate, fixed data)'),
  trials: int.min(1, 'must be at least 1').max(1e9, 'must be at most 1e9').describe('number of trials (1 … 1e9)'),
  probeEvery: int.min(1, 'must be at least 1').describe('probe every K trials (and at the last trial)'),
  seed: int.min(0, 'must be a non-negative integer').max(Number.MAX_SAFE_INTEGER).describe('every random stream derives from it'),
  output: z.string().default('out').describe('base output directory'),
  kernels: z.enum(['auto', 'js', 'wasm']).default('auto').describe('the layered oracle: wasm (WebAssembly SIMD), js, or auto (wasm where it loads and fits)'),
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

export type Scenario = z.output<typeof scenarioSchema>;
export type ProblemSpec = Scenario['problem'];

/** The JSON Schema's `$id`: an identifier, not an address (the file ships as scenarios/scenario.schema.json). */
export const SCENARIO_SCHEMA_ID = 'urn:wpsim:scenario-schema';

/** The scenario schema as JSON Schema (draft 2020-12), for editors: every field has a description. */
export function scenarioJsonSchema(): object {
  const schema = z.toJSONSchema(scenarioSchema.describe('a wpsim scenario (docs/formats.md)'), { io: 'input', unrepresentable: 'any' });
  const { $schema, ...rest } = schema as Record<string, unknown>;
  return { $schema, $id: SCENARIO_SCHEMA_ID, ...rest };
}
