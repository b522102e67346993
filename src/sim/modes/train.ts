import { cosine } from '../../linalg/blas1.js';
import { oddPart, type Broadcast } from '../../synapse/broadcast.js';
import { estimateStep, Optimizer, type OptimizerSpec } from '../../synapse/learning-rule.js';
import type { Chip } from '../chip.js';
import type { Row } from '../probe.js';
import type { EigenSpec } from './eigen.js';
import type { CurvatureSpec } from './curvature.js';
import { CurvatureLearner } from './curvature-learner.js';
import type { Mode, ModeResult } from './mode.js';

/**
 * How the synapses learn: 'wp' correlates every trial's broadcast cost change with the synapse's
 * own Δw, integrates it over the chip's window τθ and steps (the classic rule, and MGD's);
 * 'estimator' lets the population average ĝ over `every` trials and then steps w ← w − η ĝ.
 */
export type TrainRule = { kind: 'wp' } | { kind: 'estimator'; every: number };

export interface TrainSpec {
  learningRate: number | 'auto';
  /** The power-iteration pre-phase that finds λ̂_max when learningRate is 'auto' (η = 1/λ̂). */
  eigen: EigenSpec;
  rule: TrainRule;
  optimizer?: OptimizerSpec;
  /** Stop the clock on the first row whose accuracy (test split where there is one) reaches this. */
  targetAccuracy?: number | null;
  stopAtTarget?: boolean;
  /** η of the exact-SGD baseline (default: the chip's η). */
  sgdLearningRate?: number | null;
  /** Curvature in the loop (rule 'estimator' only): tracked λ_max, diagonal preconditioning or Newton–CG. */
  curvature?: CurvatureSpec | null;
}

/**
 * Train mode: the synapses apply their learning rule (src/synapse/learning-rule.ts) and exact
 * gradient descent (backprop) runs alongside on the same sample stream, one step per sample
 * presented. Rows give the loss of both; with fresh samples (teacher–student, MNIST) the running
 * loss on the samples seen since the last row and the oracle's loss; for classification the
 * accuracy (on the held-out split where there is one) of both; and, for the WP rule, the angle
 * between the chip's integrated gradient estimate and the exact gradient at the same w.
 *
 * The WP rule with the chip's clocks (docs/hardware.md, "Clocks"): each trial every synapse adds
 * D_i += (η/⟨Δw²⟩) a Δw_i, a the broadcast odd part of the cost change; discrete integration
 * applies w ← w − D every τθ trials and clears D; lowpass integration keeps D low-passed with
 * time constant τθ and applies it every trial. The optimizer (sgd, momentum, Adam) turns D into
 * the step.
 */
export class TrainMode implements Mode {
  readonly name = 'train' as const;
  readonly header: string[];
  readonly rowsAtAnyTrial = true;
  readonly rowAtStart = true;
  readonly results: Record<string, number | string | null>;
  private readonly wGd: Float64Array;
  private readonly grad: Float64Array;
  private readonly gHat: Float64Array;
  /** The WP rule's integrated change D (η folded in), and the last one applied (for the angle). */
  private readonly change: Float64Array;
  private readonly applied: Float64Array;
  private readonly optimizer: Optimizer;
  private readonly fresh: boolean;
  private readonly classify: boolean;
  private sampledSum = 0;
  private sampledCount = 0;
  private gdSampledSum = 0;
  private trialsSinceStep = 0;
  private reached: string | null = null;
  private readonly curvature: CurvatureLearner | null;
  readonly usesPopulation: boolean;
  /**
   * The WP rule's step taken directly, w ← w − k Δw (the same bits as through D and the
   * optimizer): discrete integration over one trial, plain sgd, no stuck synapses. `lastK` is
   * the last k, so the last applied change is k Δw (rebuilt for the angle when a row asks).
   */
  private readonly directStep: boolean;
  private lastK = 0;
  /** Exact SGD's step and its running error from one pass (a new sample every trial). */
  private readonly gdWithLoss: boolean;
  private readonly descent: { readonly w: Float64Array; step(eta: number): number } | null;

  constructor(
    private readonly chip: Chip,
    private eta: number | null,
    private readonly spec: TrainSpec,
    private readonly probeEvery: number,
    results: Record<string, number | string | null>,
  ) {
    const n = chip.size;
    this.gHat = new Float64Array(n);
    // Exact SGD's weights where the chip's reads step them (the descent's own store), else an array.
    this.descent = chip.reads?.descent ?? null;
    this.wGd = this.descent?.w ?? new Float64Array(n);
    this.wGd.set(chip.w);
    this.grad = new Float64Array(n);
    this.change = new Float64Array(n);
    this.applied = new Float64Array(n);
    this.optimizer = new Optimizer(spec.optimizer ?? { name: 'sgd' }, n);
    const problem = chip.spec.problem;
    this.fresh = problem.freshData;
    this.classify = problem.classifier !== undefined;
    const test = problem.classifier?.test !== undefined;
    const reference = problem.referenceName ?? 'gen_error';
    const curvature = spec.curvature ?? null;
    this.curvature = curvature !== null && spec.rule.kind === 'estimator' ? new CurvatureLearner(chip, curvature, spec.rule.every, eta) : null;
    this.header = [
      'trial', 'evaluations', 'train_error', ...(this.fresh ? [reference] : []), 'gd_train_error', ...(this.fresh ? [`gd_${reference}`] : []),
      ...(this.classify ? (test ? ['test_accuracy', 'test_loss', 'gd_test_accuracy'] : ['accuracy', 'gd_accuracy']) : []),
      ...(spec.rule.kind === 'wp' && this.classify ? ['grad_angle_deg'] : []),
      ...(this.curvature?.columns ?? []),
    ];
    this.results = results;
    if (eta !== null) this.results.learningRate = eta;
    this.usesPopulation = spec.rule.kind !== 'wp';
    const clock = chip.environment.clock;
    this.directStep = spec.rule.kind === 'wp' && clock.integrate === 'discrete' && clock.tauTheta === 1 &&
      (spec.optimizer?.name ?? 'sgd') === 'sgd' && chip.hardware.counters.stuck === 0;
    this.gdWithLoss = spec.rule.kind === 'wp' && this.fresh && clock.tauX === 1 && (this.descent !== null || problem.sampleDescent !== undefined);
  }

  /** Sets η once it is known (after the eigen pre-phase of η = 'auto'). */
  setLearningRate(eta: number): void {
    this.eta = eta;
    this.curvature?.setLearningRate(eta);
  }

  private get learningRate(): number {
    if (this.curvature !== null) return this.curvature.learningRate;
    if (this.eta === null) throw new Error('train mode: no learning rate (the eigen pre-phase did not run)');
    return this.eta;
  }

  afterTrial(b: Broadcast, trial: number): void {
    const { chip } = this;
    const eta = this.learningRate;
    const problem = chip.spec.problem;
    const w = chip.w;
    const clock = chip.environment.clock;
    if (this.fresh) {
      // What the chip saw on this trial's sample, before the update (a running training error);
      // E(w) from the environment's fused reads where it has them (the same value as problem.loss).
      const atW = chip.environment.lossAtW;
      this.sampledSum += Number.isNaN(atW) ? problem.loss(w) : atW;
      if (this.gdWithLoss) this.gdSampledSum += this.gdStep();
      else this.gdSampledSum += problem.loss(this.wGd);
      this.sampledCount++;
    }
    const stuck = chip.hardware.stuck;
    if (this.spec.rule.kind === 'wp') {
      // Exact SGD steps once per sample presented, at its last step.
      if (!this.gdWithLoss && trial % clock.tauX === 0) this.gdStep();
      const k = (eta / chip.environment.meanSquare) * oddPart(b);
      const dw = chip.environment.dw;
      const D = this.change;
      if (this.directStep) {
        // w ← w − k Δw: on the chip's fused reads, their sweep w += (−k) Δw (the same bits).
        if (chip.reads !== null) chip.reads.step(-k);
        else for (let i = 0; i < w.length; i++) w[i] -= k * dw[i];
        this.lastK = k;
      } else if (clock.integrate === 'discrete') {
        for (let i = 0; i < D.length; i++) D[i] += k * dw[i];
        if (trial % clock.tauTheta !== 0) return;
        this.optimizer.stepScaled(w, D, eta, stuck);
        this.applied.set(D);
        D.fill(0);
      } else {
        // D ← D + (k Δw − D)/τθ: a first-order low-pass of the per-trial change, applied every trial.
        const a = 1 / clock.tauTheta;
        for (let i = 0; i < D.length; i++) D[i] += a * (k * dw[i] - D[i]);
        this.optimizer.stepScaled(w, D, eta, stuck);
        this.applied.set(D);
      }
    } else if (this.curvature !== null) {
      if (!this.curvature.afterTrial(trial)) return;
      this.gdStep();
    } else {
      if (++this.trialsSinceStep < this.spec.rule.every) return;
      this.trialsSinceStep = 0;
      // One step with the population's ĝ (averaged over the last `every` trials), then restart
      // it; exact GD takes one step with the exact gradient at the same moment.
      this.gdStep();
      estimateStep(w, chip.population.gradient(this.gHat), eta, stuck);
      chip.setDirection(chip.direction);
    }
    chip.hardware.perturbUpdate(w);
    chip.weightsChanged();
  }

  /** Exact gradient descent on the same per-trial data; returns E(wGd) before the step where the problem gives it with ∇E (else NaN). */
  private gdStep(): number {
    const problem = this.chip.spec.problem;
    const eta = this.spec.sgdLearningRate ?? this.learningRate;
    if (this.descent !== null) return this.descent.step(eta);
    if (problem.sampleDescent !== undefined) return problem.sampleDescent(this.wGd, eta);
    problem.sampleGradient(this.wGd, this.grad);
    for (let i = 0; i < this.wGd.length; i++) this.wGd[i] -= eta * this.grad[i];
    return NaN;
  }

  logNow(trial: number, trials: number): boolean {
    return trial % this.probeEvery === 0 || trial === trials;
  }

  row(trial: number): Row {
    const { chip } = this;
    const problem = chip.spec.problem;
    const oracle = problem.oracle;
    const evaluations = chip.environment.evaluations;
    const w = chip.w;
    const row: Row = [trial, evaluations];
    if (!this.fresh) {
      row.push(oracle.loss(w), oracle.loss(this.wGd));
    } else {
      const seen = this.sampledCount > 0;
      row.push(seen ? this.sampledSum / this.sampledCount : null, oracle.loss(w), seen ? this.gdSampledSum / this.sampledCount : null, oracle.loss(this.wGd));
      this.sampledSum = 0;
      this.gdSampledSum = 0;
      this.sampledCount = 0;
    }
    const classifier = problem.classifier;
    if (classifier !== undefined) {
      const test = classifier.test;
      const accuracy = test !== undefined ? test.accuracy(w) : classifier.trainAccuracy(w);
      // Exact SGD runs on an ideal computer: its accuracy is the ideal net's.
      const gdAccuracy = test !== undefined ? test.accuracy(this.wGd, true) : classifier.trainAccuracy(this.wGd, true);
      if (test !== undefined) row.push(accuracy, test.meanLoss(w), gdAccuracy);
      else row.push(accuracy, gdAccuracy);
      this.checkTarget(trial, evaluations, accuracy, gdAccuracy);
      if (this.spec.rule.kind === 'wp') {
        // The angle between the chip's last applied change and −∇E at the same w.
        if (this.directStep) {
          const dw = chip.environment.dw;
          for (let i = 0; i < dw.length; i++) this.applied[i] = this.lastK * dw[i];
        }
        oracle.gradient(w, this.grad);
        const c = cosine(this.applied, this.grad);
        row.push(Number.isFinite(c) && c !== 0 ? (Math.acos(Math.max(-1, Math.min(1, c))) * 180) / Math.PI : null);
      }
    }
    if (this.curvature !== null) row.push(...this.curvature.row());
    return row;
  }

  /** Time to the target accuracy, for the chip and for exact SGD: trials, evaluations, chip seconds. */
  private checkTarget(trial: number, evaluations: number, accuracy: number, gdAccuracy: number): void {
    const target = this.spec.targetAccuracy;
    if (target === undefined || target === null) return;
    const dt = this.chip.environment.clock.dt;
    if (this.results.targetTrial === undefined && accuracy >= target) {
      Object.assign(this.results, { targetTrial: trial, targetEvaluations: evaluations, targetChipSeconds: trial * dt });
      if (this.spec.stopAtTarget === true) this.reached = `target accuracy ${target} reached at trial ${trial}`;
    }
    if (this.results.gdTargetTrial === undefined && gdAccuracy >= target) this.results.gdTargetTrial = trial;
  }

  done(): string | null {
    return this.reached;
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
      }, ...(this.curvature?.tables() ?? [])],
    };
  }
}
