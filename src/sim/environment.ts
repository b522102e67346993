import type { Rng } from '../random/rng.js';
import type { Broadcast } from '../synapse/broadcast.js';
import type { SynapsePopulation } from '../synapse/estimator.js';
import { drawPerturbation, type PerturbationName } from '../synapse/perturbation.js';
import type { SimProblem } from './problem.js';

export interface PerturbationSpec {
  law: PerturbationName;
  sigma: number;
  antithetic: boolean;
}

/**
 * The chip around the synapses: each trial it draws Δw (perturbation stream), measures
 * E(w + Δw) (and E(w − Δw) when antithetic) against E(w), runs the summing wire and forms the
 * broadcast. E(w) is measured once for fixed data and every trial for fresh data. Every loss
 * evaluation is counted: equal-cost comparisons are made at equal `evaluations`.
 */
export class Environment {
  readonly dw: Float64Array;
  private readonly wShift: Float64Array;
  private readonly sums: Float64Array;
  private baseLoss = NaN;
  private trial = 0;
  evaluations = 0;

  constructor(
    readonly problem: SimProblem,
    readonly w: Float64Array,
    readonly v: Float64Array,
    readonly perturbation: PerturbationSpec,
    private readonly population: SynapsePopulation,
    private readonly perturbRng: Rng,
    private readonly dataRng: Rng,
  ) {
    const n = problem.size;
    this.dw = new Float64Array(n);
    this.wShift = new Float64Array(n);
    this.sums = new Float64Array(population.wireSums);
  }

  /** Forgets the cached E(w), e.g. after w changed. */
  invalidate(): void {
    this.baseLoss = NaN;
  }

  /** Runs one trial and returns its broadcast (its `sums` array is reused by the next trial). */
  step(): Broadcast {
    const { problem, w, dw, wShift } = this;
    const n = problem.size;
    if (problem.freshData) {
      problem.nextSample(this.dataRng);
      this.baseLoss = NaN;
    }
    if (Number.isNaN(this.baseLoss)) {
      this.baseLoss = problem.loss(w);
      this.evaluations++;
    }
    drawPerturbation(this.perturbation.law, this.perturbation.sigma, this.perturbRng, dw);
    for (let i = 0; i < n; i++) wShift[i] = w[i] + dw[i];
    const ePlus = problem.loss(wShift);
    this.evaluations++;
    let eMinus = NaN;
    if (this.perturbation.antithetic) {
      for (let i = 0; i < n; i++) wShift[i] = w[i] - dw[i];
      eMinus = problem.loss(wShift);
      this.evaluations++;
    }
    // The summing wire: p = Δw·v and whatever sums the estimator needs.
    let p = 0;
    for (let i = 0; i < n; i++) p += dw[i] * this.v[i];
    this.population.wire(dw, this.sums);
    return {
      trial: ++this.trial,
      dEPlus: ePlus - this.baseLoss,
      dEMinus: this.perturbation.antithetic ? eMinus - this.baseLoss : NaN,
      p,
      sums: this.sums,
    };
  }
}
