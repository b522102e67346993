import { cosine, relErr } from '../../linalg/blas1.js';
import { Rng } from '../../random/rng.js';
import type { Chip } from '../chip.js';
import { exactReference, Probe, type Row } from '../probe.js';
import { TwoSpsa } from '../spsa.js';
import type { Mode, ModeResult, Table } from './mode.js';

const SPSA_COLUMNS = ['spsa_evaluations', 'spsa_z_rel_err', 'spsa_z_cos'];

/**
 * Estimate mode: w and v fixed; rows compare the synapses' ĝ, ẑ (and what else the estimator
 * provides) with the exact oracle at the same (w, v), and optionally the 2SPSA baseline at the
 * same number of evaluations of E.
 */
export class EstimateMode implements Mode {
  readonly name = 'estimate' as const;
  readonly header: string[];
  readonly rowsAtAnyTrial = true;
  readonly results = {};
  private readonly probe: Probe;
  private readonly spsa: TwoSpsa | null;
  private readonly zSpsa: Float64Array;

  constructor(
    private readonly chip: Chip,
    private readonly probeEvery: number,
    options: { seedIntercept: boolean | null; spsa: { c: number; cTilde: number } | null },
  ) {
    const { problem } = chip.spec;
    const exact = exactReference(problem.oracle, chip.w, chip.direction);
    this.probe = new Probe(chip.population, exact, chip.direction, {
      seedIntercept: options.seedIntercept,
      diagonalVisible: chip.constants(chip.direction).kappa !== 1,
      dead: chip.hardware.dead,
    });
    this.spsa = options.spsa !== null
      ? new TwoSpsa(problem, chip.w, options.spsa.c, options.spsa.cTilde, Rng.derive(chip.spec.seed, 'spsa'))
      : null;
    this.zSpsa = new Float64Array(chip.size);
    this.header = [...this.probe.header(), ...(this.spsa !== null ? SPSA_COLUMNS : [])];
  }

  afterTrial(): void {}

  logNow(trial: number, trials: number): boolean {
    return trial % this.probeEvery === 0 || trial === trials;
  }

  row(trial: number): Row {
    return this.rowAt(trial, this.chip.environment.evaluations);
  }

  /**
   * The row at `trial` after `evaluations` evaluations of E, from the population's current state
   * (an estimate run in blocks sets that state to the merged statistics first: sim/blocks/).
   */
  rowAt(trial: number, evaluations: number): Row {
    const values = this.probe.row(trial, evaluations);
    const spsa = this.spsa;
    if (spsa !== null) {
      // Advance 2SPSA (4 evaluations per iteration) to the synapses' evaluation count.
      while (spsa.evaluations + 4 <= evaluations) spsa.step();
      const z = this.probe.reference.z;
      spsa.hv(this.chip.direction, this.zSpsa);
      values.push(spsa.evaluations, relErr(this.zSpsa, z), cosine(this.zSpsa, z));
    }
    return values;
  }

  finish(): ModeResult {
    return { results: this.results, tables: [this.synapseTable()] };
  }

  /** synapses.csv: the final per-synapse state against the exact values; empty cells where not estimated. */
  private synapseTable(): Table {
    const { chip, probe } = this;
    const n = chip.size;
    const population = chip.population;
    const limit = probe.predictedSeedLimit;
    const exact = probe.reference;
    const read = (readout: ((out: Float64Array) => Float64Array) | undefined): Float64Array | null =>
      readout === undefined ? null : readout(new Float64Array(n));
    const gEst = population.gradient(new Float64Array(n));
    const zEst = read(population.hv);
    const hEst = read(population.hessianDiagonal);
    const gSe = read(population.gradientStdErr);
    const zSe = read(population.hvStdErr);
    const cell = (x: Float64Array | null, i: number): number | string => (x === null ? '' : x[i]);
    const header = [
      'index', 'w', 'v', 'g_exact', 'g_est', 'z_exact', 'z_est', 'h_diag_exact', 'h_diag_est', 'g_se', 'z_se',
      ...(limit !== null ? ['z_limit'] : []),
    ];
    const rows = Array.from({ length: n }, (_, i) => [
      i, chip.w[i], chip.direction[i], exact.g[i], gEst[i], exact.z[i], cell(zEst, i),
      cell(exact.hDiag, i), cell(hEst, i), cell(gSe, i), cell(zSe, i),
      ...(limit !== null ? [limit[i]] : []),
    ]);
    return { file: 'synapses.csv', header, rows };
  }

  /** The exact values the rows are judged against. */
  get reference(): Probe['reference'] {
    return this.probe.reference;
  }
}
