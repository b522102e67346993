import type { Rng } from '../random/rng.js';
import type { Broadcast } from '../synapse/broadcast.js';
import type { SynapsePopulation } from '../synapse/estimator.js';
import { drawPerturbation, type PerturbationName } from '../synapse/perturbation.js';
import type { Hardware } from './hardware.js';
import type { SimProblem } from './problem.js';

export interface PerturbationSpec {
  law: PerturbationName;
  sigma: number;
  antithetic: boolean;
}

/**
 * The chip around the synapses: each trial it draws the nominal Δw (perturbation stream), applies
 * it through the hardware model ((1 + g_i)Δw_i + o_i, nothing for dead synapses), measures
 * E(w + Δw) (and E(w − Δw) when antithetic) against E(w) with the chip's noise, digitises ΔE,
 * runs the summing wire (p = Δw·v and the estimator's sums, digitised) and forms the broadcast.
 * E(w) is measured once while w and the data stay fixed and the chip is noiseless, otherwise
 * every trial. Every loss evaluation is counted: equal-cost comparisons use `evaluations`.
 */
export class Environment {
  readonly dw: Float64Array;
  private readonly wShift: Float64Array;
  private readonly applied: Float64Array;
  private readonly sums: Float64Array;
  /** The synapses' local terms of each wire sum (terms[k][i]), summed by the wire. */
  private readonly wireTerms: Float64Array[];
  /** The broadcast, reused trial after trial (subscribers read it synchronously). */
  private readonly broadcast: Broadcast;
  private baseLoss = NaN;
  private trial = 0;
  evaluations = 0;

  constructor(
    readonly problem: SimProblem,
    readonly w: Float64Array,
    public v: Float64Array,
    readonly perturbation: PerturbationSpec,
    private population: SynapsePopulation,
    private readonly perturbRng: Rng,
    private readonly dataRng: Rng,
    readonly hardware: Hardware,
  ) {
    const n = problem.size;
    this.dw = new Float64Array(n);
    this.wShift = new Float64Array(n);
    this.applied = new Float64Array(n);
    this.sums = new Float64Array(population.wireSums);
    this.wireTerms = Array.from({ length: population.wireSums }, () => new Float64Array(n));
    this.broadcast = { trial: 0, dEPlus: NaN, dEMinus: NaN, p: NaN, sums: this.sums };
  }

  /** A new direction and the population that holds it (eigen mode). */
  setDirection(v: Float64Array, population: SynapsePopulation): void {
    this.v = v;
    this.population = population;
  }

  /** Forgets the cached E(w), e.g. after w changed. */
  invalidate(): void {
    this.baseLoss = NaN;
  }

  /** Runs one trial and returns its broadcast (the same object every trial: read it before the next). */
  step(): Broadcast {
    const { problem, w, dw, wShift, applied, hardware } = this;
    const n = problem.size;
    if (problem.freshData) {
      problem.nextSample(this.dataRng);
      this.baseLoss = NaN;
    }
    if (Number.isNaN(this.baseLoss) || hardware.spec.noise > 0) {
      this.baseLoss = hardware.measure(problem.loss(w));
      this.evaluations++;
    }
    drawPerturbation(this.perturbation.law, this.perturbation.sigma, this.perturbRng, dw);
    // A dead synapse's generator is silent: its nominal Δw_i is 0 too.
    if (hardware.counters.dead > 0) for (let i = 0; i < n; i++) if (hardware.dead[i]) dw[i] = 0;
    hardware.applied(dw, applied);
    for (let i = 0; i < n; i++) wShift[i] = w[i] + applied[i];
    const ePlus = hardware.measure(problem.loss(wShift));
    this.evaluations++;
    let eMinus = NaN;
    if (this.perturbation.antithetic) {
      // The generator's offset does not flip sign with Δw: −(1 + g_i)Δw_i + o_i.
      for (let i = 0; i < n; i++) wShift[i] = w[i] - applied[i] + 2 * hardware.offset[i];
      eMinus = hardware.measure(problem.loss(wShift));
      this.evaluations++;
    }
    // The summing wire: p = Δw·v and the sums of the local terms the estimator declared, all
    // digitised.
    let p = 0;
    for (let i = 0; i < n; i++) p += dw[i] * this.v[i];
    if (this.wireTerms.length > 0) {
      this.population.wireTerms(dw, this.wireTerms);
      for (let k = 0; k < this.sums.length; k++) {
        const terms = this.wireTerms[k];
        let sum = 0;
        for (let i = 0; i < n; i++) sum += terms[i];
        this.sums[k] = hardware.digitizeSum(sum);
      }
    }
    const b = this.broadcast;
    b.trial = ++this.trial;
    b.dEPlus = hardware.digitizeDeltaE(ePlus - this.baseLoss);
    b.dEMinus = this.perturbation.antithetic ? hardware.digitizeDeltaE(eMinus - this.baseLoss) : NaN;
    b.p = hardware.digitizeSum(p);
    return b;
  }
}
