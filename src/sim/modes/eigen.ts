import { cosine } from '../../linalg/blas1.js';
import type { Chip } from '../chip.js';
import { exactTopEigenpair, wireDot } from './curvature.js';
import type { Row } from '../probe.js';
import type { Mode, ModeResult } from './mode.js';

/** Power iteration done by the synapses: every `every` trials v ← ẑ/‖ẑ‖, `updates` times when it is a pre-phase. */
export interface EigenSpec {
  every: number;
  updates: number;
}

const EIGEN_COLUMNS = ['trial', 'evaluations', 'lambda_est', 'lambda_avg', 'lambda_exact', 'lambda_rel_err', 'angle_deg'];

/**
 * Eigen mode: power iteration on the chip (docs/theory.md, "Hessian analytics"). Every K trials
 * the synapses set v ← ẑ/‖ẑ‖ (v·ẑ and ‖ẑ‖² from the summing wire, digitised by its converter) and restart their estimator. Rows, at
 * each update, give the Rayleigh quotient λ̂ = v·ẑ of the unit v, its average over the later
 * half of the updates so far, the relative error of that average against the exact largest-|λ|
 * eigenvalue (Lanczos with full reorthogonalisation at the same w), and the angle between v and
 * the exact eigenvector.
 */
export class EigenMode implements Mode {
  readonly name = 'eigen' as const;
  readonly header = EIGEN_COLUMNS;
  readonly rowsAtAnyTrial = false;
  readonly results: Record<string, number | string | null> = {};
  /** λ̂ averaged over the later half of the updates (NaN before the first). */
  lambdaEstimate = NaN;
  private readonly history: number[] = [];
  private readonly lambdaExact: number;
  private readonly topVector: Float64Array;
  private readonly z: Float64Array;
  private lastRow: Row = [];

  constructor(private readonly chip: Chip, private readonly eigen: EigenSpec) {
    const n = chip.size;
    const top = exactTopEigenpair(chip, chip.w);
    this.lambdaExact = top.value;
    this.topVector = top.vector;
    this.z = new Float64Array(n);
    this.results.lambdaExact = this.lambdaExact;
  }

  afterTrial(_b: unknown, trial: number): void {
    if (trial % this.eigen.every !== 0) return;
    const chip = this.chip;
    const v = chip.direction;
    const population = chip.population;
    if (population.hv === undefined) throw new Error(`eigen mode needs an estimator that estimates Hv; ${population.name} does not`);
    const z = population.hv(this.z);
    // Rayleigh quotient v·ẑ of the unit v and ‖ẑ‖²: sums on the summing wire, through its converter.
    const vz = wireDot(chip, v, z);
    const norm = Math.sqrt(Math.max(0, wireDot(chip, z, z)));
    // λ_avg: the mean of the Rayleigh quotients over the later half of the updates so far
    // (Polyak-style averaging: once v has settled, each update's λ̂ is an independent estimate).
    this.history.push(vz);
    const later = this.history.slice(Math.floor(this.history.length / 2));
    const avg = later.reduce((a, b) => a + b, 0) / later.length;
    this.lambdaEstimate = avg;
    this.results.lambdaEstimate = avg;
    if (norm > 0) chip.setDirection(z.map((x) => x / norm));
    const c = Math.min(1, Math.abs(cosine(chip.direction, this.topVector)));
    const relative = Math.abs(avg - this.lambdaExact) / Math.abs(this.lambdaExact);
    this.lastRow = [trial, chip.environment.evaluations, vz, avg, this.lambdaExact, relative, (Math.acos(c) * 180) / Math.PI];
  }

  logNow(trial: number): boolean {
    return trial % this.eigen.every === 0;
  }

  row(): Row {
    return this.lastRow;
  }

  /** direction.csv: the chip's v against the exact top eigenvector, its sign aligned with v for reading. */
  finish(): ModeResult {
    const n = this.chip.size;
    const v = this.chip.direction;
    const top = this.topVector;
    let s = 0;
    for (let i = 0; i < n; i++) s += top[i] * v[i];
    const sign = s < 0 ? -1 : 1;
    return {
      results: this.results,
      tables: [{ file: 'direction.csv', header: ['index', 'v_est', 'v_exact'], rows: Array.from({ length: n }, (_, i) => [i, v[i], sign * top[i]]) }],
    };
  }
}
