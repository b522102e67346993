import { z } from 'zod';
import { PERTURBATION_NAMES } from '../synapse/perturbation.js';
import { int, positive, problemSchema, networkSchema, estimatorSchema, hardwareSchema, codeSchema, chipSchema, optimizerSchema, curvatureSchema, eigenSchema } from './schema-parts.js';

/**
 * The scenario file (docs/formats.md): everything a run needs, validated in one place. The
 * same zod schema is exported as JSON Schema (`wpsim schema`) for editors.
 */

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
    curvature: curvatureSchema.optional().describe('curvature in the loop: tracked lambda_max, diagonal preconditioning or Newton-CG (docs/hardware.md)'),
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
  blockSize: int.min(1, 'must be at least 1').max(1e9, 'must be at most 1e9').optional()
    .describe('mode estimate: trials per block (default 1000); blocks draw from their own streams and merge, so results depend on blockSize, never on the number of workers'),
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
  if (s.blockSize !== undefined) {
    const obstacle = s.mode !== 'estimate' ? `mode "${s.mode}"` : s.estimator.name === 'joint-lms' ? 'estimator "joint-lms" (an LMS recursion, not a set of sums)'
      : s.perturbation.code !== undefined ? 'a perturbation code (one sequence over the trials)' : s.chip !== undefined ? 'chip clocks (they hold perturbations and samples across trials)' : null;
    if (obstacle !== null) ctx.addIssue({ code: 'custom', path: ['blockSize'], message: `applies to estimate runs in blocks only (not ${obstacle}); leave it out` });
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

/** The JSON Schema's `$id`: an identifier, not an address (the file ships as scenarios/scenario.schema.json). */
export const SCENARIO_SCHEMA_ID = 'urn:wpsim:scenario-schema';

/** The scenario schema as JSON Schema (draft 2020-12), for editors: every field has a description. */
export function scenarioJsonSchema(): object {
  const schema = z.toJSONSchema(scenarioSchema.describe('a wpsim scenario (docs/formats.md)'), { io: 'input', unrepresentable: 'any' });
  const { $schema, ...rest } = schema as Record<string, unknown>;
  return { $schema, $id: SCENARIO_SCHEMA_ID, ...rest };
}
