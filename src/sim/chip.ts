import { Rng } from '../random/rng.js';
import { createPopulation, synapseConstants, type EstimatorSpec } from '../synapse/index.js';
import type { SynapseConstants, SynapsePopulation } from '../synapse/estimator.js';
import type { Broadcast } from '../synapse/broadcast.js';
import { Environment, UNCLOCKED, type ClockSpec, type PerturbationSpec } from './environment.js';
import { Hardware, IDEAL_HARDWARE, type HardwareSpec } from './hardware.js';
import type { SimProblem, TrialReads } from './problem.js';

/** What a chip is built from: the problem it learns, its direction v, perturbations, estimator, hardware. */
export interface ChipSpec {
  problem: SimProblem;
  /** Direction v (length n). */
  v: Float64Array;
  perturbation: PerturbationSpec;
  estimator: EstimatorSpec;
  seed: number;
  hardware?: HardwareSpec;
  /** The chip's clocks; absent: one trial per step, unclocked. */
  clock?: ClockSpec | null;
}

/**
 * The simulated chip: its weights w, the synapse population (each synapse holds v_i and its
 * estimator's slots), the environment that perturbs, measures and broadcasts, and the hardware
 * model. Modes act on a chip; the trial loop drives it. Random streams are derived from the seed
 * per purpose ("hardware", "perturbation", "data"), so one part changing does not reshuffle the
 * others.
 */
export class Chip {
  readonly w: Float64Array;
  readonly hardware: Hardware;
  readonly environment: Environment;
  /** The problem's fused reads for this chip (w and Δw live in them), or null. */
  readonly reads: TrialReads | null;
  private currentV: Float64Array;
  private currentPopulation: SynapsePopulation;

  /**
   * `block` k > 0 builds the same chip (w, v, hardware properties) drawing from block k's own
   * streams, `<purpose>/block-k`, for perturbations, data and measurement noise: one block of an
   * estimate run (sim/blocks/). Block 0 draws from the run's streams.
   */
  constructor(readonly spec: ChipSpec, block = 0) {
    const { problem, perturbation } = spec;
    const n = problem.size;
    const stream = (purpose: string): Rng => Rng.derive(spec.seed, block === 0 ? purpose : `${purpose}/block-${block}`);
    const hardwareRng = Rng.derive(spec.seed, 'hardware');
    this.hardware = new Hardware(spec.hardware ?? IDEAL_HARDWARE, n, hardwareRng, block === 0 ? hardwareRng : stream('hardware-noise'));
    this.reads = problem.trialReads?.() ?? null;
    this.w = this.reads?.w ?? new Float64Array(n);
    this.w.set(problem.w0);
    this.hardware.storeWeights(this.w);
    this.currentV = Float64Array.from(spec.v);
    this.currentPopulation = createPopulation(spec.estimator, this.constants(this.currentV), this.currentV);
    this.environment = new Environment(
      problem, this.w, this.currentV, perturbation, this.currentPopulation,
      stream('perturbation'), stream('data'), this.hardware, spec.clock ?? UNCLOCKED, this.reads,
    );
  }

  get size(): number {
    return this.w.length;
  }

  get population(): SynapsePopulation {
    return this.currentPopulation;
  }

  /** The direction v the synapses hold. */
  get direction(): Float64Array {
    return this.currentV;
  }

  /** The constants every synapse is built with, for direction v. */
  constants(v: Float64Array): SynapseConstants {
    const p = this.spec.perturbation;
    return synapseConstants(p.law, p.sigma, p.antithetic, v);
  }

  /** Restarts the population with direction v (eigen mode's power iteration, or the same v after a learning step). */
  setDirection(v: Float64Array): void {
    this.currentV = v;
    this.currentPopulation = createPopulation(this.spec.estimator, this.constants(v), v);
    this.environment.setDirection(v, this.currentPopulation);
  }

  /** The synapses' reaction to one broadcast; dead synapses stay silent (their slots held at 0). */
  updatePopulation(b: Broadcast): void {
    const population = this.currentPopulation;
    population.update(b, this.environment.dw);
    if (this.hardware.counters.dead > 0) {
      const dead = this.hardware.dead;
      for (const [name, arr] of Object.entries(population.state)) {
        if (name === 'v') continue;
        for (let i = 0; i < dead.length; i++) if (dead[i]) arr[i] = 0;
      }
    }
  }

  /** After w changed: the weight store quantises it and E(w) must be measured again. */
  weightsChanged(): void {
    this.hardware.storeWeights(this.w);
    this.environment.invalidate();
  }
}
