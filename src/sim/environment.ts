import type { Rng } from '../random/rng.js';
import type { Broadcast } from '../synapse/broadcast.js';
import type { SynapsePopulation } from '../synapse/estimator.js';
import type { PerturbationName } from '../synapse/perturbation.js';
import type { CodeSpec } from '../synapse/code-factory.js';
import { perturbationSource, type PerturbationSource } from './perturbation-source.js';
import type { Hardware } from './hardware.js';
import type { NodeAccess, SimProblem, TrialReads } from './problem.js';

export interface PerturbationSpec {
  law: PerturbationName;
  sigma: number;
  antithetic: boolean;
  /** A perturbation code instead of iid draws of the law (fdma carries the chip's dt). */
  code?: CodeSpec | null;
  /** What is perturbed: the weights (default), or every unit's summed input (node perturbation). */
  target?: 'weights' | 'units';
}

/**
 * The chip's clocks (docs/hardware.md, "Clocks"), in steps of `dt` chip seconds: a new sample
 * every `tauX` steps, the perturbation held `tauP` steps, the learning rule's integration window
 * `tauTheta` (used by the train mode), and how the cost change is read: `discrete` (C − C₀, with
 * C₀ an unperturbed read whenever the sample or w changed) or `analog` (a first-order high-pass
 * of C with time constant `tauHp` steps, restarted at each new sample; no C₀ reads).
 */
export interface ClockSpec {
  dt: number;
  tauX: number;
  tauP: number;
  tauTheta: number;
  integrate: 'discrete' | 'lowpass';
  cost: 'discrete' | 'analog';
  tauHp: number;
}

/** One trial per step, fresh samples and perturbations every step, discrete cost reads. */
export const UNCLOCKED: ClockSpec = { dt: 1, tauX: 1, tauP: 1, tauTheta: 1, integrate: 'discrete', cost: 'discrete', tauHp: 1.6 };

/**
 * The chip around the synapses: each trial it presents the next sample when the sample clock
 * says so, takes the nominal Δw from the perturbation source (a law's draw or a code's value,
 * held tauP steps), applies it through the hardware model ((1 + g_i)Δw_i + o_i, nothing for dead
 * synapses), measures E(w + Δw) (and E(w − Δw) when antithetic) with the chip's noise, forms the
 * cost change (against E(w), or through the analog high-pass filter), digitises it, runs the
 * summing wire (p = Δw·v and the estimator's sums, digitised) and forms the broadcast. With
 * discrete reads E(w) is measured once while w and the sample stay fixed and the chip is
 * noiseless, otherwise again. Every loss evaluation is counted: equal-cost comparisons use
 * `evaluations`.
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
  /** E Δw_i² per step of the perturbation source (what the learning rule divides by). */
  readonly meanSquare: number;
  private readonly source: PerturbationSource;
  /** The analog high-pass filter: its output, the previous cost read and k = τhp/(τhp + 1). */
  private filtered = 0;
  private previousCost = NaN;
  private readonly highPass: number;
  /** Node perturbation: the problem's units, ξ and −ξ. */
  private readonly nodes: NodeAccess | null;
  private readonly xi: Float64Array;
  private readonly xiMinus: Float64Array;
  /**
   * The problem's fused reads, when the chip applies Δw as it is (no generator mismatch, no dead
   * synapses) and perturbs weights: one sweep gives E(w) and E(w ± Δw), no w ± Δw array.
   */
  private readonly fused: TrialReads | null;
  private readonly reads = new Float64Array(3);
  /** E(w) on this trial's data, noiseless, when the fused reads gave it (else NaN): the train mode's running error. */
  lossAtW = NaN;
  /**
   * Whether the summing wire runs (p = Δw·v and the estimator's sums). A mode whose synapses'
   * estimates nobody reads (training by the WP rule) switches it off for its trials, unless the
   * sums have a converter whose clips are counted.
   */
  summingWire = true;

  constructor(
    readonly problem: SimProblem,
    readonly w: Float64Array,
    public v: Float64Array,
    readonly perturbation: PerturbationSpec,
    private population: SynapsePopulation,
    private readonly perturbRng: Rng,
    private readonly dataRng: Rng,
    readonly hardware: Hardware,
    readonly clock: ClockSpec = UNCLOCKED,
    reads: TrialReads | null = null,
  ) {
    const n = problem.size;
    this.nodes = perturbation.target === 'units' ? (problem.nodes ?? null) : null;
    const asIs = hardware.spec.mismatch.gain === 0 && hardware.spec.mismatch.offset === 0 && hardware.counters.dead === 0;
    this.fused = reads !== null && this.nodes === null && asIs ? reads : null;
    if (perturbation.target === 'units' && this.nodes === null) throw new Error(`node perturbation: problem ${problem.name} does not expose its units`);
    const perturbed = this.nodes?.units ?? n;
    this.xi = new Float64Array(this.nodes === null ? 0 : perturbed);
    this.xiMinus = new Float64Array(this.xi.length);
    this.source = perturbationSource(perturbation, perturbed, perturbRng, this.fused);
    this.meanSquare = this.source.meanSquare;
    this.highPass = clock.tauHp / (clock.tauHp + 1);
    this.dw = reads?.dw ?? new Float64Array(n);
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
    const { problem, w, dw, wShift, applied, hardware, clock } = this;
    const n = problem.size;
    const t = this.trial;
    let newSample = false;
    if (problem.freshData && t % clock.tauX === 0) {
      problem.nextSample(this.dataRng);
      this.baseLoss = NaN;
      newSample = true;
    }
    const needBase = clock.cost === 'discrete' && (Number.isNaN(this.baseLoss) || hardware.spec.noise > 0);
    if (this.fused !== null) return this.fusedStep(t, newSample, needBase);
    if (needBase) {
      this.baseLoss = hardware.measure(problem.loss(w));
      this.evaluations++;
    }
    if (this.nodes !== null) return this.nodeStep(t, newSample);
    if (t % clock.tauP === 0) {
      this.source.fill(t / clock.tauP, dw);
      // A dead synapse's generator is silent: its nominal Δw_i is 0 too.
      if (hardware.counters.dead > 0) for (let i = 0; i < n; i++) if (hardware.dead[i]) dw[i] = 0;
      hardware.applied(dw, applied);
    }
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
    return this.broadcastChange(ePlus, eMinus, newSample);
  }

  /**
   * The same trial on the problem's fused reads: the nominal Δw is what the chip applies, so
   * E(w), E(w + Δw) and E(w − Δw) come from one sweep over w and Δw where they lie. The reads
   * are measured (noise, counts) in the order of the plain path: E(w) when needed, E⁺, E⁻.
   */
  private fusedStep(t: number, newSample: boolean, needBase: boolean): Broadcast {
    const { hardware, clock, reads } = this;
    const fused = this.fused as TrialReads;
    if (t % clock.tauP === 0) this.source.fill(t / clock.tauP, this.dw);
    const antithetic = this.perturbation.antithetic;
    fused.losses(antithetic, reads);
    this.lossAtW = reads[0];
    if (needBase) {
      this.baseLoss = hardware.measure(reads[0]);
      this.evaluations++;
    }
    const ePlus = hardware.measure(reads[1]);
    this.evaluations++;
    let eMinus = NaN;
    if (antithetic) {
      eMinus = hardware.measure(reads[2]);
      this.evaluations++;
    }
    return this.broadcastChange(ePlus, eMinus, newSample);
  }

  /**
   * Node perturbation: every unit's summed input is perturbed by ξ (held τp steps); the cost is
   * read at ±ξ like weight perturbation reads it at w ± Δw; each synapse's own signal, in place of
   * its Δw_i, is e_i = ξ_post(i) y_pre(i), so the WP correlator and learning rule apply unchanged.
   */
  private nodeStep(t: number, newSample: boolean): Broadcast {
    const { w, dw, hardware, clock, xi, xiMinus } = this;
    const nodes = this.nodes as NodeAccess;
    if (t % clock.tauP === 0) {
      this.source.fill(t / clock.tauP, xi);
      for (let j = 0; j < xi.length; j++) xiMinus[j] = -xi[j];
    }
    nodes.correlates(w, xi, dw);
    const ePlus = hardware.measure(nodes.loss(w, xi));
    this.evaluations++;
    let eMinus = NaN;
    if (this.perturbation.antithetic) {
      eMinus = hardware.measure(nodes.loss(w, xiMinus));
      this.evaluations++;
    }
    return this.broadcastChange(ePlus, eMinus, newSample);
  }

  /** The cost change (against E(w), or high-passed), the summing wire, and the broadcast. */
  private broadcastChange(ePlus: number, eMinus: number, newSample: boolean): Broadcast {
    const { dw, hardware } = this;
    const n = dw.length;
    let change = ePlus - this.baseLoss;
    if (this.clock.cost === 'analog') {
      // C̃[n] = k (C̃[n−1] + C[n] − C[n−1]); restarted at a new sample so that the change of
      // sample itself is not passed (nor, on the first read, an undefined C[n−1]).
      this.filtered = newSample || Number.isNaN(this.previousCost) ? 0 : this.highPass * (this.filtered + ePlus - this.previousCost);
      this.previousCost = ePlus;
      change = this.filtered;
    }
    // The summing wire: p = Δw·v and the sums of the local terms the estimator declared, all
    // digitised.
    let p = NaN;
    const wire = this.summingWire || hardware.sumAdc !== null;
    if (wire) {
      p = 0;
      for (let i = 0; i < n; i++) p += dw[i] * this.v[i];
    }
    if (wire && this.wireTerms.length > 0) {
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
    b.dEPlus = hardware.digitizeDeltaE(change);
    b.dEMinus = this.perturbation.antithetic ? hardware.digitizeDeltaE(eMinus - this.baseLoss) : NaN;
    b.p = wire ? hardware.digitizeSum(p) : NaN;
    return b;
  }
}
