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
  }).strict(),
  z.object({ kind: z.literal('net-file'), path: z.string().min(1, 'must name a net file') }).strict(),
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
  }).strict(),
  estimator: estimatorSchema,
  mode: z.enum(['estimate', 'train', 'eigen']).default('estimate'),
  hardware: hardwareSchema.optional(),
  train: z.object({
    learningRate: z.union([positive, z.literal('auto')]).default('auto'),
    rule: z.enum(['wp', 'estimator']).default('wp'),
    every: int.min(1, 'must be at least 1').default(1000),
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
  const layeredKinds = ['xor', 'parity', 'encoder', 'iris'];
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
  const powerIteration = s.mode === 'eigen' || (s.mode === 'train' && (s.train?.learningRate ?? 'auto') === 'auto');
  if (powerIteration && s.estimator.name === 'wp') {
    ctx.addIssue({
      code: 'custom', path: ['estimator', 'name'],
      message: `must estimate Hv (not "wp") for ${s.mode === 'eigen' ? 'mode "eigen"' : 'train.learningRate "auto"'}: the on-chip power iteration reads ẑ`,
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

/** The scenario schema as JSON Schema (draft 2020-12), for editors. */
export function scenarioJsonSchema(): object {
  return z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' });
}
