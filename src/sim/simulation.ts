import { Subject, filter, type Observable } from 'rxjs';
import { InputError } from '../errors.js';
import { Rng } from '../random/rng.js';
import type { Broadcast } from '../synapse/broadcast.js';
import type { SynapsePopulation } from '../synapse/estimator.js';
import { KURTOSIS } from '../synapse/perturbation.js';
import { createPopulation, type EstimatorSpec } from '../synapse/index.js';
import { Environment, type PerturbationSpec } from './environment.js';
import { exactReference, Probe } from './probe.js';
import type { SimProblem } from './problem.js';

export type RunStatus = 'complete' | 'interrupted' | 'diverged';

export interface SimulationSpec {
  problem: SimProblem;
  /** Direction v (length n). */
  v: Float64Array;
  perturbation: PerturbationSpec;
  estimator: EstimatorSpec;
  trials: number;
  probeEvery: number;
  seed: number;
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
}

/**
 * The trial loop in estimate mode (fixed w, fixed v). Per trial the environment produces a
 * broadcast on `broadcasts$`; the synapse population is ONE subscriber that loops over all
 * synapses; a second subscriber samples every `probeEvery`-th trial (and the last) into a
 * probe row on `probes$`. Trials run synchronously in chunks of ~`chunkMs`, yielding to the
 * event loop between chunks so that `stop$` (e.g. SIGINT) can end the run cleanly with
 * complete rows. A non-finite ΔE or estimate ends it as diverged.
 */
export class Simulation {
  readonly broadcasts$ = new Subject<Broadcast>();
  readonly probes$ = new Subject<ProbeEvent>();
  readonly progress$ = new Subject<Progress>();
  readonly population: SynapsePopulation;
  readonly environment: Environment;
  readonly probe: Probe;
  readonly warnings: string[] = [];
  readonly w: Float64Array;

  constructor(readonly spec: SimulationSpec) {
    const { problem, perturbation } = spec;
    const n = problem.size;
    const kappa = KURTOSIS[perturbation.law];
    this.w = Float64Array.from(problem.w0);
    this.population = createPopulation(
      spec.estimator,
      { size: n, law: perturbation.law, sigma: perturbation.sigma, kappa, antithetic: perturbation.antithetic },
      spec.v,
    );
    this.environment = new Environment(
      problem, this.w, spec.v, perturbation, this.population,
      Rng.derive(spec.seed, 'perturbation'), Rng.derive(spec.seed, 'data'),
    );
    const exact = exactReference(problem.oracle, this.w, spec.v);
    this.probe = new Probe(this.population, exact, spec.v, {
      seedIntercept: spec.estimator.name === 'seed' ? spec.estimator.intercept : null,
      diagonalVisible: kappa !== 1,
    });
    if (kappa === 1) {
      this.warnings.push(
        'rademacher (±σ) perturbations cannot see the Hessian diagonal: Δw_i² = σ² on every trial, so H_ii ' +
          'only enters ΔE as the constant ½σ² tr H. No estimator recovers Hv from such trials; moment converges ' +
          'to the off-diagonal part z − diag(H)v (column z_offdiag_rel_err). Use gaussian or uniform perturbations to estimate Hv.',
      );
    }
    if (spec.estimator.name === 'seed') {
      this.warnings.push(
        `the seed's per-synapse regression is biased: it converges to the THEORY.md limit (column z_limit_rel_err), not to Hv` +
          (perturbation.law === 'gaussian' ? '' : ' (that limit is derived for gaussian ξ only)'),
      );
    }
    if (spec.estimator.name === 'wp') this.warnings.push('wp estimates the gradient only; ẑ is reported as 0');
  }

  /** Runs until all trials are done, stop$ emits, or the run diverges. */
  async run(options: { stop$?: Observable<unknown>; chunkMs?: number } = {}): Promise<SimulationResult> {
    const { trials, probeEvery } = this.spec;
    const chunkMs = options.chunkMs ?? 50;
    let stopRequested = false;
    let divergedReason: string | null = null;
    let lastProbe: ProbeEvent | null = null;
    const header = this.probe.header();
    const dw = this.environment.dw;

    const subscriptions = [
      this.broadcasts$.subscribe((b) => this.population.update(b, dw)),
      this.broadcasts$
        .pipe(filter((b) => b.trial % probeEvery === 0 || b.trial === trials))
        .subscribe((b) => {
          const values = this.probe.row(b.trial, this.environment.evaluations);
          if (values.some((x) => !Number.isFinite(x))) {
            divergedReason = `non-finite estimate at trial ${b.trial}`;
          }
          lastProbe = { header, values };
          this.probes$.next(lastProbe);
        }),
    ];
    const stopSub = options.stop$?.subscribe(() => {
      stopRequested = true;
    });

    let trial = 0;
    try {
      while (trial < trials && !stopRequested && divergedReason === null) {
        const chunkEnd = performance.now() + chunkMs;
        while (trial < trials) {
          let b: Broadcast;
          try {
            b = this.environment.step();
          } catch (err) {
            // A loss that cannot be evaluated at w ± Δw (e.g. a recurrent net whose relaxation
            // does not converge there) ends the run as diverged, keeping what was computed.
            if (!(err instanceof InputError)) throw err;
            divergedReason = `trial ${trial + 1}: ${err.message}`;
            break;
          }
          trial = b.trial;
          if (!Number.isFinite(b.dEPlus) || (this.spec.perturbation.antithetic && !Number.isFinite(b.dEMinus))) {
            divergedReason = `non-finite ΔE at trial ${trial} (ΔE⁺ = ${b.dEPlus}, ΔE⁻ = ${b.dEMinus})`;
            break;
          }
          this.broadcasts$.next(b);
          if (divergedReason !== null) break;
          // Look at the clock every 64 trials only.
          if ((trial & 63) === 0 && performance.now() >= chunkEnd) break;
        }
        this.progress$.next({ trial, trials });
        if (trial < trials && divergedReason === null) await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      subscriptions.forEach((s) => s.unsubscribe());
      stopSub?.unsubscribe();
    }
    const status: RunStatus = divergedReason !== null ? 'diverged' : trial < trials ? 'interrupted' : 'complete';
    this.broadcasts$.complete();
    this.probes$.complete();
    this.progress$.complete();
    return {
      status,
      trialsRun: trial,
      evaluations: this.environment.evaluations,
      reason: divergedReason ?? (status === 'interrupted' ? `stopped at trial ${trial} of ${trials}` : null),
      warnings: this.warnings,
      lastProbe,
    };
  }
}
