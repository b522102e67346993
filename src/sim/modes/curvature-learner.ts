import { estimateStep } from '../../synapse/learning-rule.js';
import type { Chip } from '../chip.js';
import { ChipNewtonCg } from './chip-newton.js';
import { DiagonalPreconditioner, exactTopEigenpair, LambdaTracker, type CurvatureSpec } from './curvature.js';
import type { Table } from './mode.js';

/**
 * The estimator rule with curvature in the loop (src/sim/modes/curvature.ts). How the chip
 * interleaves estimation and learning: w is held fixed for a window of `every` trials, on which
 * ONE moment population estimates ĝ and ẑ = Hv (along its current v) together from the same
 * broadcasts; at the window's end the synapses read both, step, and restart the population.
 * Tracking therefore costs no extra trials: its ẑ comes from the gradient's window. Newton–CG
 * adds `iterations` product windows of `productTrials` trials after each gradient window, with w
 * still fixed, in which v is the CG direction.
 */
export class CurvatureLearner {
  readonly columns: string[];
  private readonly tracker: LambdaTracker | null;
  private readonly preconditioner: DiagonalPreconditioner | null;
  private readonly newton: ChipNewtonCg | null;
  private readonly g: Float64Array;
  private phase: 'gradient' | 'product' = 'gradient';
  private trialsInPhase = 0;
  private refreshes = 0;
  private exactAt = -1;
  private lambdaExact = NaN;

  constructor(private readonly chip: Chip, private readonly spec: CurvatureSpec, private readonly window: number, private eta: number | null) {
    this.g = new Float64Array(chip.size);
    const { track, precondition, newton } = spec;
    this.tracker = track ? new LambdaTracker(chip, track.average) : null;
    this.preconditioner = precondition ? new DiagonalPreconditioner(chip, precondition.delta, precondition.window) : null;
    this.newton = newton ? new ChipNewtonCg(chip, newton.iterations, newton.damping) : null;
    this.columns = [
      'learning_rate',
      ...(track ? ['lambda_rayleigh', 'lambda_est', 'lambda_exact', 'lambda_rel_err'] : []),
      ...(precondition ? ['clamped'] : []),
      ...(newton ? ['newton_steps', 'cg_iterations'] : []),
    ];
  }

  /** η = 1/λ̂ from the eigen pre-phase: tracking starts from λ̂ and steps with safety/λ̂. */
  setLearningRate(eta: number): void {
    if (this.tracker !== null && this.spec.track) {
      this.tracker.seed(1 / eta);
      this.eta = this.spec.track.safety * eta;
    } else {
      this.eta = eta;
    }
  }

  get learningRate(): number {
    if (this.eta === null) throw new Error('train mode: no learning rate (the eigen pre-phase did not run)');
    return this.eta;
  }

  /** One trial; true when the weights changed (the caller stores them and steps its baseline). */
  afterTrial(trial: number): boolean {
    const { chip } = this;
    const length = this.phase === 'gradient' ? this.window : (this.spec.newton?.productTrials ?? 1);
    if (++this.trialsInPhase < length) return false;
    this.trialsInPhase = 0;
    const stuck = chip.hardware.stuck;
    if (this.phase === 'product') {
      const newton = this.newton as ChipNewtonCg;
      const next = newton.advance(trial);
      if (next !== null) {
        chip.setDirection(next);
        return false;
      }
      this.phase = 'gradient';
      estimateStep(chip.w, newton.step, -this.learningRate, stuck);
      chip.setDirection(chip.direction);
      return true;
    }
    const g = chip.population.gradient(this.g);
    if (this.newton !== null) {
      const direction = this.newton.start(g);
      chip.setDirection(direction ?? chip.direction);
      if (direction !== null) this.phase = 'product';
      return false;
    }
    if (this.preconditioner !== null) {
      this.preconditioner.step(g, this.learningRate);
      chip.setDirection(chip.direction);
      return true;
    }
    let v = chip.direction;
    const track = this.spec.track;
    if (this.tracker !== null && track && trial % track.every === 0) {
      v = this.tracker.refresh();
      this.refreshes++;
      if (this.tracker.lambda > 0) this.eta = track.safety / this.tracker.lambda;
    }
    estimateStep(chip.w, g, this.learningRate, stuck);
    chip.setDirection(v);
    return true;
  }

  /** This learner's columns of a row. */
  row(): (number | null)[] {
    const row: (number | null)[] = [this.eta];
    const tracker = this.tracker;
    if (tracker !== null) {
      if (this.exactAt !== this.refreshes) {
        // Exact λ_max (Lanczos) at the w where the latest ẑ was estimated: costly, so once per refresh at most.
        this.lambdaExact = exactTopEigenpair(this.chip, tracker.wAtRefresh).value;
        this.exactAt = this.refreshes;
      }
      const known = Number.isFinite(tracker.lambda);
      row.push(
        Number.isFinite(tracker.rayleigh) ? tracker.rayleigh : null, known ? tracker.lambda : null, this.lambdaExact,
        known ? Math.abs(tracker.lambda - this.lambdaExact) / Math.abs(this.lambdaExact) : null,
      );
    }
    if (this.preconditioner !== null) row.push(this.preconditioner.clamped);
    if (this.newton !== null) row.push(this.newton.steps, this.newton.lastIterations);
    return row;
  }

  /** cg.csv: every CG product the chip measured, against the oracle at the same w and direction. */
  tables(): Table[] {
    if (this.newton === null) return [];
    return [{
      file: 'cg.csv',
      header: ['step', 'iteration', 'trial', 'curvature', 'curvature_exact', 'z_rel_err', 'z_chi2', 'status'],
      rows: this.newton.records.map((r) => [r.step, r.iteration, r.trial, r.curvature, r.curvatureExact, r.zRelErr, r.zChi2 ?? '', r.status]),
    }];
  }

  /** The synapses' averaged diagonal, for inspection. */
  get diagonal(): Float64Array | null {
    return this.preconditioner?.average ?? null;
  }

  get cgRecords(): ChipNewtonCg['records'] {
    return this.newton?.records ?? [];
  }
}
