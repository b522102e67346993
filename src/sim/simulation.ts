import { Subject, filter, type Observable } from 'rxjs';
import { HessianOperator } from '../analysis/operator.js';
import { lanczos } from '../analysis/lanczos.js';
import { InputError } from '../errors.js';
import { cosine, nrm2, relErr } from '../linalg/blas1.js';
import { Rng } from '../random/rng.js';
import { oddPart, type Broadcast } from '../synapse/broadcast.js';
import type { SynapseConstants, SynapsePopulation } from '../synapse/estimator.js';
import { KURTOSIS } from '../synapse/perturbation.js';
import { createPopulation, type EstimatorSpec } from '../synapse/index.js';
import { Environment, type PerturbationSpec } from './environment.js';
import { Hardware, IDEAL_HARDWARE, type HardwareCounters, type HardwareSpec } from './hardware.js';
import { exactReference, Probe } from './probe.js';
import type { SimProblem } from './problem.js';
import { TwoSpsa } from './spsa.js';

export type RunStatus = 'complete' | 'interrupted' | 'diverged';

/** Power iteration done by the synapses: every `every` trials v ← ẑ/‖ẑ‖, `updates` times when it is a pre-phase. */
export interface EigenSpec {
  every: number;
  updates: number;
}

export type ModeSpec =
  | { kind: 'estimate' }
  | { kind: 'eigen'; eigen: EigenSpec }
  | { kind: 'train'; learningRate: number | 'auto'; eigen: EigenSpec; rule: TrainRule };

/**
 * How the synapses learn: 'wp' applies w_i ← w_i − η a Δw_i/σ² every trial (the classic rule);
 * 'estimator' lets the population average ĝ over `every` trials and then steps w ← w − η ĝ.
 */
export type TrainRule = { kind: 'wp' } | { kind: 'estimator'; every: number };

export interface SimulationSpec {
  problem: SimProblem;
  /** Direction v (length n). */
  v: Float64Array;
  perturbation: PerturbationSpec;
  estimator: EstimatorSpec;
  trials: number;
  probeEvery: number;
  seed: number;
  mode?: ModeSpec;
  hardware?: HardwareSpec;
  /** 2SPSA baseline columns (estimate mode, fixed-data problems). */
  spsa?: { c: number; cTilde: number } | null;
}

export interface ProbeEvent {
  header: string[];
  values: number[];
}

export interface Progress {
  trial: number;
  trials: number;
}

export interface SimulationResult {
  status: RunStatus;
  trialsRun: number;
  evaluations: number;
  /** Why the run stopped early (diverged/interrupted), else null. */
  reason: string | null;
  warnings: string[];
  /** The last probe row (header order), if any. */
  lastProbe: ProbeEvent | null;
  hardware: HardwareCounters;
  /** Mode-specific results (learning rate chosen, λ estimates, …). */
  extras: Record<string, number | string | null>;
}

/**
 * The trial loop. Per trial the environment produces a broadcast on `broadcasts$`; the synapse
 * population is ONE subscriber that loops over all synapses; the mode (estimate, train, eigen)
 * is a second subscriber that samples rows onto `probes$`. Trials run synchronously in chunks of
 * ~`chunkMs`, yielding to the event loop between chunks so that `stop$` (e.g. SIGINT) ends the run
 * cleanly with complete rows. A non-finite ΔE or estimate, or a loss that cannot be evaluated,
 * ends it as diverged.
 *
 * Modes:
 * - estimate: w and v fixed; rows compare ĝ, ẑ (and the 2SPSA baseline) with the exact oracle.
 * - eigen: every K trials the synapses set v ← ẑ/‖ẑ‖ (‖ẑ‖ from the summing wire) and restart;
 *   rows give the Rayleigh-quotient estimate λ̂ = v·ẑ, its average over the later half of the
 *   updates, the relative error of that average against the exact largest-|λ| eigenvalue and the
 *   angle between v and its eigenvector.
 * - train: each trial w_i ← w_i − η a Δw_i/σ² with a = ΔE (or ½(ΔE⁺ − ΔE⁻)), the weight-
 *   perturbation learning rule; exact gradient descent with the same η on the same per-trial data
 *   runs alongside. η = "auto" first runs the eigen mode for K·updates trials and uses 1/λ̂.
 */
export class Simulation {
  readonly broadcasts$ = new Subject<Broadcast>();
  readonly probes$ = new Subject<ProbeEvent>();
  readonly progress$ = new Subject<Progress>();
  population: SynapsePopulation;
  readonly environment: Environment;
  readonly probe: Probe;
  readonly warnings: string[] = [];
  readonly w: Float64Array;
  readonly hardware: Hardware;
  readonly mode: ModeSpec;
  readonly extras: Record<string, number | string | null> = {};
  private readonly constants: SynapseConstants;
  private readonly spsa: TwoSpsa | null;
  private v: Float64Array;

  constructor(readonly spec: SimulationSpec) {
    const { problem, perturbation } = spec;
    const n = problem.size;
    const kappa = KURTOSIS[perturbation.law];
    this.mode = spec.mode ?? { kind: 'estimate' };
    this.hardware = new Hardware(spec.hardware ?? IDEAL_HARDWARE, n, Rng.derive(spec.seed, 'hardware'));
    this.w = Float64Array.from(problem.w0);
    this.hardware.storeWeights(this.w);
    this.v = Float64Array.from(spec.v);
    this.constants = { size: n, law: perturbation.law, sigma: perturbation.sigma, kappa, antithetic: perturbation.antithetic };
    this.population = createPopulation(spec.estimator, this.constants, this.v);
    this.environment = new Environment(
      problem, this.w, this.v, perturbation, this.population,
      Rng.derive(spec.seed, 'perturbation'), Rng.derive(spec.seed, 'data'), this.hardware,
    );
    const exact = exactReference(problem.oracle, this.w, this.v);
    this.probe = new Probe(this.population, exact, this.v, {
      seedIntercept: spec.estimator.name === 'seed' ? spec.estimator.intercept : null,
      diagonalVisible: kappa !== 1,
      dead: this.hardware.dead,
    });
    this.spsa = spec.spsa && this.mode.kind === 'estimate'
      ? new TwoSpsa(problem, this.w, spec.spsa.c, spec.spsa.cTilde, Rng.derive(spec.seed, 'spsa'))
      : null;
    if (kappa === 1) {
      this.warnings.push(
        'rademacher (±σ) perturbations cannot see the Hessian diagonal: Δw_i² = σ² on every trial, so H_ii ' +
          'only enters ΔE as the constant ½σ² tr H. No estimator recovers Hv from such trials; moment converges ' +
          'to the off-diagonal part z − diag(H)v (column z_offdiag_rel_err). Use gaussian or uniform perturbations to estimate Hv.',
      );
    }
    if (spec.estimator.name === 'seed') {
      this.warnings.push(
        `the seed's per-synapse regression is biased: it converges to the limit derived in docs/theory.md (column z_limit_rel_err), not to Hv` +
          (perturbation.law === 'gaussian' ? '' : ' (that limit is derived for gaussian ξ only)'),
      );
    }
    if (spec.estimator.name === 'wp' && this.mode.kind !== 'train') this.warnings.push('wp estimates the gradient only; ẑ is reported as 0');
    if (this.hardware.counters.dead > 0) {
      this.warnings.push(`${this.hardware.counters.dead} dead synapse(s): no perturbation, no updates, estimates held at 0`);
    }
  }

  /** Runs until all trials are done, stop$ emits, or the run diverges. */
  async run(options: { stop$?: Observable<unknown>; chunkMs?: number } = {}): Promise<SimulationResult> {
    const chunkMs = options.chunkMs ?? 50;
    const state = { stop: false, diverged: null as string | null, lastProbe: null as ProbeEvent | null, trialsRun: 0 };
    const stopSub = options.stop$?.subscribe(() => {
      state.stop = true;
    });
    try {
      if (this.mode.kind === 'train' && this.mode.learningRate === 'auto') {
        // Pre-phase: the synapses find λ_max by power iteration at w0; η = 1/λ̂.
        const eigenTrials = this.mode.eigen.every * this.mode.eigen.updates;
        const eigen = new EigenLogger(this, this.mode.eigen);
        await this.loop(eigenTrials, chunkMs, state, eigen, false);
        const lambda = eigen.lastLambda;
        if (state.diverged === null && !state.stop) {
          if (!(lambda > 0)) {
            state.diverged = `the eigen pre-phase found λ̂_max = ${lambda} ≤ 0: no learning rate 1/λ̂`;
          } else {
            this.extras.learningRate = 1 / lambda;
            this.extras.lambdaEstimate = lambda;
            this.extras.eigenTrials = eigenTrials;
          }
        }
        state.trialsRun = 0;
      }
      if (state.diverged === null && !state.stop) {
        const logger: TrialLogger =
          this.mode.kind === 'estimate'
            ? new EstimateLogger(this)
            : this.mode.kind === 'eigen'
              ? new EigenLogger(this, this.mode.eigen)
              : new TrainLogger(this, this.mode.learningRate === 'auto' ? (this.extras.learningRate as number) : this.mode.learningRate, this.mode.rule);
        if (this.mode.kind === 'train' && this.extras.learningRate === undefined) this.extras.learningRate = this.mode.learningRate as number;
        await this.loop(this.spec.trials, chunkMs, state, logger, true);
      }
    } finally {
      stopSub?.unsubscribe();
    }
    const total = this.spec.trials;
    const status: RunStatus = state.diverged !== null ? 'diverged' : state.trialsRun < total ? 'interrupted' : 'complete';
    this.broadcasts$.complete();
    this.probes$.complete();
    this.progress$.complete();
    return {
      status,
      trialsRun: state.trialsRun,
      evaluations: this.environment.evaluations,
      reason: state.diverged ?? (status === 'interrupted' ? `stopped at trial ${state.trialsRun} of ${total}` : null),
      warnings: this.warnings,
      lastProbe: state.lastProbe,
      hardware: this.hardware.counters,
      extras: this.extras,
    };
  }

  /** The synapses' reaction to one broadcast, and the dead synapses' silence. */
  private updatePopulation(b: Broadcast): void {
    this.population.update(b, this.environment.dw);
    if (this.hardware.counters.dead > 0) {
      const dead = this.hardware.dead;
      for (const arr of Object.values(this.population.state)) {
        if (arr === this.population.state.v) continue;
        for (let i = 0; i < dead.length; i++) if (dead[i]) arr[i] = 0;
      }
    }
  }

  /** Restarts the population with a new direction (eigen mode). */
  setDirection(v: Float64Array): void {
    this.v = v;
    this.population = createPopulation(this.spec.estimator, this.constants, v);
    this.environment.setDirection(v, this.population);
  }

  get direction(): Float64Array {
    return this.v;
  }

  private async loop(
    trials: number, chunkMs: number,
    state: { stop: boolean; diverged: string | null; lastProbe: ProbeEvent | null; trialsRun: number },
    logger: TrialLogger, publish: boolean,
  ): Promise<void> {
    let trial = 0;
    const subscriptions = [
      this.broadcasts$.subscribe((b) => this.updatePopulation(b)),
      this.broadcasts$.subscribe((b) => logger.afterTrial(b)),
      this.broadcasts$
        .pipe(filter(() => logger.logNow(trial, trials)))
        .subscribe(() => {
          const values = logger.row(trial);
          if (values.some((x) => !Number.isFinite(x))) state.diverged = `non-finite value in the row at trial ${trial}`;
          if (!publish) return;
          state.lastProbe = { header: logger.header, values };
          this.probes$.next(state.lastProbe);
        }),
    ];
    try {
      while (trial < trials && !state.stop && state.diverged === null) {
        const chunkEnd = performance.now() + chunkMs;
        while (trial < trials) {
          let b: Broadcast;
          try {
            b = this.environment.step();
          } catch (err) {
            // A loss that cannot be evaluated at w ± Δw (e.g. a recurrent net whose relaxation
            // does not converge there) ends the run as diverged, keeping what was computed.
            if (!(err instanceof InputError)) throw err;
            state.diverged = `trial ${trial + 1}: ${err.message}`;
            break;
          }
          trial++;
          if (!Number.isFinite(b.dEPlus) || (this.spec.perturbation.antithetic && !Number.isFinite(b.dEMinus))) {
            state.diverged = `non-finite ΔE at trial ${trial} (ΔE⁺ = ${b.dEPlus}, ΔE⁻ = ${b.dEMinus})`;
            break;
          }
          this.broadcasts$.next(b);
          if (state.diverged !== null) break;
          // Look at the clock every 64 trials only.
          if ((trial & 63) === 0 && performance.now() >= chunkEnd) break;
        }
        if (publish) {
          state.trialsRun = trial;
          this.progress$.next({ trial, trials });
        }
        if (trial < trials && state.diverged === null) await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      subscriptions.forEach((s) => s.unsubscribe());
    }
    if (publish) state.trialsRun = trial;
  }

  /** The 2SPSA baseline, if any. */
  get baseline(): TwoSpsa | null {
    return this.spsa;
  }

  /** The columns of this run's rows (probes.csv), by mode. */
  rowHeader(): string[] {
    switch (this.mode.kind) {
      case 'estimate':
        return [...this.probe.header(), ...(this.spsa !== null ? SPSA_COLUMNS : [])];
      case 'eigen':
        return EIGEN_COLUMNS;
      case 'train':
        return this.spec.problem.freshData ? TRAIN_FRESH_COLUMNS : TRAIN_COLUMNS;
    }
  }

  /** Exact-GD weights of the train mode's comparison (null in other modes or before a run). */
  gdWeights: Float64Array | null = null;
  /** The exact largest-|λ| eigenvector (eigen modes, after a run). */
  topEigenvector: Float64Array | null = null;
}

const SPSA_COLUMNS = ['spsa_evaluations', 'spsa_z_rel_err', 'spsa_z_cos'];
const EIGEN_COLUMNS = ['trial', 'evaluations', 'lambda_est', 'lambda_avg', 'lambda_exact', 'lambda_rel_err', 'angle_deg'];
const TRAIN_COLUMNS = ['trial', 'evaluations', 'train_error', 'gd_train_error'];
const TRAIN_FRESH_COLUMNS = ['trial', 'evaluations', 'train_error', 'gen_error', 'gd_train_error', 'gd_gen_error'];

/** A mode's view of the run: what it does after each trial and which rows it logs. */
interface TrialLogger {
  readonly header: string[];
  afterTrial(b: Broadcast): void;
  logNow(trial: number, trials: number): boolean;
  row(trial: number): number[];
}

/** Estimate mode: the Probe's columns, plus the 2SPSA baseline at the same number of evaluations. */
class EstimateLogger implements TrialLogger {
  readonly header: string[];
  private readonly zSpsa: Float64Array;

  constructor(private readonly sim: Simulation) {
    this.header = sim.rowHeader();
    this.zSpsa = new Float64Array(sim.w.length);
  }

  afterTrial(): void {}

  logNow(trial: number, trials: number): boolean {
    return trial % this.sim.spec.probeEvery === 0 || trial === trials;
  }

  row(trial: number): number[] {
    const sim = this.sim;
    const values = sim.probe.row(trial, sim.environment.evaluations);
    const spsa = sim.baseline;
    if (spsa !== null) {
      // Advance 2SPSA (4 evaluations per iteration) to the synapses' evaluation count.
      while (spsa.evaluations + 4 <= sim.environment.evaluations) spsa.step();
      const z = sim.probe.reference.z;
      spsa.hv(sim.direction, this.zSpsa);
      values.push(spsa.evaluations, relErr(this.zSpsa, z), cosine(this.zSpsa, z));
    }
    return values;
  }
}

/** Eigen mode: v ← ẑ/‖ẑ‖ every K trials; rows at each update. */
class EigenLogger implements TrialLogger {
  readonly header = EIGEN_COLUMNS;
  lastLambda = NaN;
  private readonly history: number[] = [];
  private readonly lambdaExact: number;
  private readonly topVector: Float64Array;
  private readonly z: Float64Array;

  constructor(private readonly sim: Simulation, private readonly eigen: EigenSpec) {
    const n = sim.w.length;
    // The exact reference: the largest-|λ| eigenpair by Lanczos (full reorthogonalisation).
    const r = lanczos(new HessianOperator(sim.spec.problem.oracle, sim.w), Math.min(n, 300), Rng.derive(sim.spec.seed, 'lanczos'), true);
    let best = 0;
    for (let k = 1; k < r.steps; k++) if (Math.abs(r.values[k]) > Math.abs(r.values[best])) best = k;
    this.lambdaExact = r.values[best];
    this.topVector = (r.vectors as Float64Array).slice(best * n, (best + 1) * n);
    this.z = new Float64Array(n);
    sim.extras.lambdaExact = this.lambdaExact;
    sim.topEigenvector = this.topVector;
  }

  afterTrial(): void {}

  logNow(trial: number): boolean {
    return trial % this.eigen.every === 0;
  }

  row(trial: number): number[] {
    const sim = this.sim;
    const v = sim.direction;
    const z = sim.population.hv(this.z);
    // Rayleigh quotient of the unit v, and ‖ẑ‖ from the summing wire.
    let vz = 0;
    for (let i = 0; i < v.length; i++) vz += v[i] * z[i];
    const norm = nrm2(z.length, z);
    // λ_avg: the mean of the Rayleigh quotients over the later half of the updates so far
    // (Polyak-style averaging: once v has settled, each update's λ̂ is an independent estimate).
    this.history.push(vz);
    const later = this.history.slice(Math.floor(this.history.length / 2));
    const avg = later.reduce((a, b) => a + b, 0) / later.length;
    this.lastLambda = avg;
    sim.extras.lambdaEstimate = avg;
    if (norm > 0) sim.setDirection(z.map((x) => x / norm));
    const c = Math.min(1, Math.abs(cosine(sim.direction, this.topVector)));
    const relative = Math.abs(avg - this.lambdaExact) / Math.abs(this.lambdaExact);
    return [trial, sim.environment.evaluations, vz, avg, this.lambdaExact, relative, (Math.acos(c) * 180) / Math.PI];
  }
}

/** Train mode: the WP learning rule each trial, exact GD alongside on the same data. */
class TrainLogger implements TrialLogger {
  readonly header: string[];
  private readonly wGd: Float64Array;
  private readonly grad: Float64Array;
  private readonly fresh: boolean;
  private sampledSum = 0;
  private sampledCount = 0;
  private gdSampledSum = 0;

  private trialsSinceStep = 0;
  private readonly gHat: Float64Array;

  constructor(private readonly sim: Simulation, private readonly eta: number, private readonly rule: TrainRule) {
    this.gHat = new Float64Array(sim.w.length);
    this.wGd = Float64Array.from(sim.w);
    this.grad = new Float64Array(sim.w.length);
    this.fresh = sim.spec.problem.freshData;
    this.header = this.fresh ? TRAIN_FRESH_COLUMNS : TRAIN_COLUMNS;
    sim.gdWeights = this.wGd;
  }

  afterTrial(b: Broadcast): void {
    const sim = this.sim;
    const problem = sim.spec.problem;
    const w = sim.w;
    const dw = sim.environment.dw;
    if (this.fresh) {
      // What the chip saw on this trial's sample, before the update (a running training error).
      this.sampledSum += problem.loss(w);
      this.gdSampledSum += problem.loss(this.wGd);
      this.sampledCount++;
    }
    const stuck = sim.hardware.stuck;
    if (this.rule.kind === 'wp') {
      // Exact GD on the same per-trial data.
      problem.sampleGradient(this.wGd, this.grad);
      for (let i = 0; i < w.length; i++) this.wGd[i] -= this.eta * this.grad[i];
      // The WP learning rule, local to each synapse: w_i ← w_i − η a Δw_i / σ².
      const a = oddPart(b);
      const k = this.eta / sim.spec.perturbation.sigma ** 2;
      for (let i = 0; i < w.length; i++) if (!stuck[i]) w[i] -= k * a * dw[i];
    } else {
      if (++this.trialsSinceStep < this.rule.every) return;
      this.trialsSinceStep = 0;
      // One step with the population's ĝ (averaged over the last `every` trials), then restart it;
      // exact GD takes one step with the exact gradient at the same moment.
      problem.sampleGradient(this.wGd, this.grad);
      for (let i = 0; i < w.length; i++) this.wGd[i] -= this.eta * this.grad[i];
      sim.population.gradient(this.gHat);
      for (let i = 0; i < w.length; i++) if (!stuck[i]) w[i] -= this.eta * this.gHat[i];
      sim.setDirection(sim.direction);
    }
    sim.hardware.storeWeights(w);
    sim.environment.invalidate();
  }

  logNow(trial: number, trials: number): boolean {
    return trial % this.sim.spec.probeEvery === 0 || trial === trials;
  }

  row(trial: number): number[] {
    const oracle = this.sim.spec.problem.oracle;
    const evaluations = this.sim.environment.evaluations;
    if (!this.fresh) return [trial, evaluations, oracle.loss(this.sim.w), oracle.loss(this.wGd)];
    const train = this.sampledCount > 0 ? this.sampledSum / this.sampledCount : NaN;
    const gdTrain = this.sampledCount > 0 ? this.gdSampledSum / this.sampledCount : NaN;
    this.sampledSum = 0;
    this.gdSampledSum = 0;
    this.sampledCount = 0;
    return [trial, evaluations, train, oracle.loss(this.sim.w), gdTrain, oracle.loss(this.wGd)];
  }
}
