import { z } from 'zod';
import { ACTIVATION_NAMES } from '../nets/activations.js';
import { LOSS_NAMES } from '../nets/losses.js';

/**
 * The parts of the scenario schema (schema.ts assembles them and checks their combinations):
 * problems, the net, estimators, hardware, perturbation codes, the chip's clocks, optimizers,
 * curvature in the loop and the eigen pre-phase. Messages state the rule; zod adds the path.
 */
export const int = z.number().int('must be an integer');
export const positive = z.number().positive('must be greater than 0');
export const finite = z.number();

export const problemSchema = z.discriminatedUnion('kind', [
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
    basis: z.enum(['rotated', 'axes']).default('rotated').describe("the Hessian's eigenbasis: a seeded random rotation, or the coordinate axes (H diagonal)"),
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

export const networkSchema = z.object({
  hidden: z.array(int.min(1, 'must be at least 1')).optional().describe('hidden layer sizes, input side first'),
  activation: z.enum(ACTIVATION_NAMES).optional().describe('activation of the hidden units'),
  output: z.enum(ACTIVATION_NAMES).optional().describe('activation of the output units'),
  loss: z.enum(LOSS_NAMES).optional().describe('loss summed over the patterns'),
}).strict().describe('the layered net of xor, parity, encoder, iris and mnist (defaults per problem kind)');

export const estimatorSchema = z.discriminatedUnion('name', [
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

export const quantizerSchema = z.object({
  bits: int.min(1, 'must be at least 1').max(52, 'must be at most 52').describe('resolution: 2^bits levels'),
  range: positive.describe('full scale: values in [-range, range], clipped beyond'),
}).strict();

export const hardwareSchema = z.object({
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

export const codeSchema = z.discriminatedUnion('name', [
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
export const chipSchema = z.object({
  dt: positive.default(1e-6).describe('seconds per chip step'),
  tauX: int.min(1, 'must be at least 1').default(1).describe('steps per input sample'),
  tauP: int.min(1, 'must be at least 1').default(1).describe('steps a perturbation is held'),
  tauTheta: int.min(1, 'must be at least 1').default(1).describe('integration window of the WP rule (steps)'),
  integrate: z.enum(['discrete', 'lowpass']).default('discrete').describe('how the rule integrates: discrete window or low-pass'),
  cost: z.enum(['discrete', 'analog']).default('discrete').describe('cost read: discrete C − C₀, or analog high-pass'),
  tauHp: positive.default(1.6).describe('time constant of the analog high-pass (steps)'),
}).strict().describe("the chip's clocks (docs/hardware.md, \"Clocks\"); when given, rows end with chip_time");

export const optimizerSchema = z.discriminatedUnion('name', [
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

/** Curvature in the loop (docs/hardware.md, "Curvature in the loop"): one of the three. */
export const curvatureSchema = z.object({
  track: z.object({
    every: int.min(1, 'must be at least 1').describe('trials between power-iteration refreshes v <- z/|z| while learning'),
    safety: positive.max(2, 'must be at most 2').default(0.5).describe('eta = safety / lambda_max estimate'),
    average: int.min(1, 'must be at least 1').default(1).describe('refreshes averaged into the lambda_max estimate'),
  }).strict().optional().describe('track lambda_max while learning and set eta from it'),
  precondition: z.object({
    delta: positive.describe('floor of |H_ii| in the step -eta g_i / max(|H_ii|, delta)'),
    window: int.min(1, 'must be at least 1').default(10).describe('estimation windows averaged into each synapse\'s H_ii'),
  }).strict().optional().describe("local diagonal preconditioning by each synapse's own diag H estimate"),
  newton: z.object({
    iterations: int.min(1, 'must be at least 1').max(1000, 'must be at most 1000').default(5).describe('CG iterations per Newton step'),
    productTrials: int.min(2, 'must be at least 2').describe('trials per on-chip Hv product along a CG direction'),
    damping: z.number().min(0, 'must be non-negative').default(0).describe('lambda of (H + lambda I) d = -g'),
  }).strict().optional().describe('matrix-free Newton-CG from the synapses\' own Hv estimates'),
}).strict();

export const eigenSchema = z.object({
  every: int.min(1, 'must be at least 1').default(2000).describe('trials per power-iteration step'),
  updates: int.min(1, 'must be at least 1').default(10).describe('power-iteration steps of the auto learning-rate pre-phase'),
}).strict().describe('on-chip power iteration (mode eigen, and learningRate auto)');

