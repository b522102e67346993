import { oddPart, type Broadcast } from '../../synapse/broadcast.js';
import { estimateStep, wpRuleStep } from '../../synapse/learning-rule.js';
import type { Chip } from '../chip.js';
import type { Row } from '../probe.js';
import type { EigenSpec } from './eigen.js';
import type { Mode, ModeResult } from './mode.js';

/**
 * How the synapses learn: 'wp' applies w_i ← w_i − (η/σ²) a Δw_i every trial (the classic rule);
 * 'estimator' lets the population average ĝ over `every` trials and then steps w ← w − η ĝ.
 */
export type TrainRule = { kind: 'wp' } | { kind: 'estimator'; every: number };

export interface TrainSpec {
  learningRate: number | 'auto';
  /** The power-iteration pre-phase that finds λ̂_max when learningRate is 'auto' (η = 1/λ̂). */
  eigen: EigenSpec;
  rule: TrainRule;
}

const TRAIN_COLUMNS = ['trial', 'evaluations', 'train_error', 'gd_train_error'];
const TRAIN_FRESH_COLUMNS = ['trial', 'evaluations', 'train_error', 'gen_error', 'gd_train_error', 'gd_gen_error'];

/**
 * Train mode: the synapses apply their learning rule (src/synapse/learning-rule.ts) and exact
 * gradient descent with the same η runs alongside on the same per-trial data. Rows give the
 * training error of both; with fresh samples (teacher–student) the running error on the samples
 * seen since the last row and the generalisation error (the expected loss, from the oracle).
 */
export class TrainMode implements Mode {
  readonly name = 'train' as const;
  readonly header: string[];
  readonly rowsAtAnyTrial = true;
  readonly results: Record<string, number | string | null>;
  private readonly wGd: Float64Array;
  private readonly grad: Float64Array;
  private readonly gHat: Float64Array;
  private readonly fresh: boolean;
  private sampledSum = 0;
  private sampledCount = 0;
  private gdSampledSum = 0;
  private trialsSinceStep = 0;

  constructor(
    private readonly chip: Chip,
    private eta: number | null,
    private readonly rule: TrainRule,
    private readonly probeEvery: number,
    results: Record<string, number | string | null>,
  ) {
    const n = chip.size;
    this.gHat = new Float64Array(n);
    this.wGd = Float64Array.from(chip.w);
    this.grad = new Float64Array(n);
    this.fresh = chip.spec.problem.freshData;
    this.header = this.fresh ? TRAIN_FRESH_COLUMNS : TRAIN_COLUMNS;
    this.results = results;
    if (eta !== null) this.results.learningRate = eta;
  }

  /** Sets η once it is known (after the eigen pre-phase of η = 'auto'). */
  setLearningRate(eta: number): void {
    this.eta = eta;
  }

  private get learningRate(): number {
    if (this.eta === null) throw new Error('train mode: no learning rate (the eigen pre-phase did not run)');
    return this.eta;
  }

  afterTrial(b: Broadcast): void {
    const { chip } = this;
    const eta = this.learningRate;
    const problem = chip.spec.problem;
    const w = chip.w;
    if (this.fresh) {
      // What the chip saw on this trial's sample, before the update (a running training error).
      this.sampledSum += problem.loss(w);
      this.gdSampledSum += problem.loss(this.wGd);
      this.sampledCount++;
    }
    const stuck = chip.hardware.stuck;
    if (this.rule.kind === 'wp') {
      this.gdStep();
      wpRuleStep(w, chip.environment.dw, oddPart(b), eta, chip.spec.perturbation.sigma, stuck);
    } else {
      if (++this.trialsSinceStep < this.rule.every) return;
      this.trialsSinceStep = 0;
      // One step with the population's ĝ (averaged over the last `every` trials), then restart
      // it; exact GD takes one step with the exact gradient at the same moment.
      this.gdStep();
      estimateStep(w, chip.population.gradient(this.gHat), eta, stuck);
      chip.setDirection(chip.direction);
    }
    chip.weightsChanged();
  }

  /** Exact gradient descent on the same per-trial data. */
  private gdStep(): void {
    this.chip.spec.problem.sampleGradient(this.wGd, this.grad);
    const eta = this.learningRate;
    for (let i = 0; i < this.wGd.length; i++) this.wGd[i] -= eta * this.grad[i];
  }

  logNow(trial: number, trials: number): boolean {
    return trial % this.probeEvery === 0 || trial === trials;
  }

  row(trial: number): Row {
    const oracle = this.chip.spec.problem.oracle;
    const evaluations = this.chip.environment.evaluations;
    if (!this.fresh) return [trial, evaluations, oracle.loss(this.chip.w), oracle.loss(this.wGd)];
    const train = this.sampledCount > 0 ? this.sampledSum / this.sampledCount : null;
    const gdTrain = this.sampledCount > 0 ? this.gdSampledSum / this.sampledCount : null;
    this.sampledSum = 0;
    this.gdSampledSum = 0;
    this.sampledCount = 0;
    return [trial, evaluations, train, oracle.loss(this.chip.w), gdTrain, oracle.loss(this.wGd)];
  }

  /** weights.csv: initial, learned and exact-GD weights per synapse. */
  finish(): ModeResult {
    const { chip } = this;
    const w0 = chip.spec.problem.w0;
    return {
      results: this.results,
      tables: [{
        file: 'weights.csv', header: ['index', 'w0', 'w_wp', 'w_gd'],
        rows: Array.from({ length: chip.size }, (_, i) => [i, w0[i], chip.w[i], this.wGd[i]]),
      }],
    };
  }
}
