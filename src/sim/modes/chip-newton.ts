import type { Chip } from '../chip.js';
import { wireDot } from './curvature.js';

/** One CG product as the chip measured it, against the oracle at the same w and direction. */
export interface CgRecord {
  step: number;
  iteration: number;
  trial: number;
  /** d̂ᵀ(H + λI)d̂ on the chip (d̂ = d/‖d‖) and exactly. */
  curvature: number;
  curvatureExact: number;
  /** ‖ẑ − Hd̂‖/‖Hd̂‖ and Σ_i ((ẑ_i − (Hd̂)_i)/se_i)² (null without standard errors). */
  zRelErr: number;
  zChi2: number | null;
  status: 'continue' | 'converged' | 'negative-curvature' | 'iteration-cap';
}

/**
 * Newton–CG on the chip (docs/theory.md, "Curvature in the loop"; the exact counterpart is
 * src/analysis/newton.ts): from the synapses' ĝ, CG on (H + λI) d = −ĝ with d = 0, r = −ĝ,
 * p = r. Each iteration the synapses take v = p/‖p‖ (‖p‖² from the wire), estimate ẑ ≈ H v over
 * `productTrials` trials at the same w, and form their own (Hp)_i = ‖p‖ ẑ_i + λ p_i; the wire
 * gives pᵀHp and rᵀr, through its converter. A direction with pᵀHp ≤ 0 ends CG (on the first
 * iteration with the steepest-descent step scaled by rᵀr/|pᵀHp|), as in the exact Newton–CG.
 * Every vector here is per synapse: slot i is synapse i's own register.
 */
export class ChipNewtonCg {
  readonly records: CgRecord[] = [];
  steps = 0;
  lastIterations = 0;
  private iteration = 0;
  private readonly d: Float64Array;
  private readonly r: Float64Array;
  private readonly p: Float64Array;
  private readonly hp: Float64Array;
  private readonly z: Float64Array;
  private readonly se: Float64Array;
  private readonly exact: Float64Array;
  private rr = 0;
  private gNorm = 0;
  private pNorm = 1;

  constructor(
    private readonly chip: Chip,
    private readonly iterations: number,
    private readonly damping: number,
    private readonly tol = 1e-6,
  ) {
    const n = chip.size;
    this.d = new Float64Array(n);
    this.r = new Float64Array(n);
    this.p = new Float64Array(n);
    this.hp = new Float64Array(n);
    this.z = new Float64Array(n);
    this.se = new Float64Array(n);
    this.exact = new Float64Array(n);
  }

  /** Starts CG from the synapses' ĝ; returns the first direction to estimate along, or null if ĝ = 0. */
  start(g: Float64Array): Float64Array | null {
    this.d.fill(0);
    for (let i = 0; i < g.length; i++) this.r[i] = -g[i];
    this.p.set(this.r);
    this.rr = wireDot(this.chip, this.r, this.r);
    this.gNorm = Math.sqrt(this.rr);
    this.iteration = 0;
    return this.gNorm > 0 ? this.direction() : null;
  }

  /** The unit direction p/‖p‖ the synapses estimate H along. */
  private direction(): Float64Array {
    this.pNorm = Math.sqrt(wireDot(this.chip, this.p, this.p));
    const k = this.pNorm > 0 ? 1 / this.pNorm : 0;
    return this.p.map((x) => x * k);
  }

  /**
   * After `productTrials` trials along p/‖p‖: one CG iteration. Returns the next direction, or
   * null when CG has ended (the step is then `step`).
   */
  advance(trial: number): Float64Array | null {
    const { chip, p, r, d, hp } = this;
    const population = chip.population;
    if (population.hv === undefined) throw new Error(`on-chip Newton–CG needs an estimator that estimates Hv; ${population.name} does not`);
    const z = population.hv(this.z);
    this.iteration++;
    for (let i = 0; i < p.length; i++) hp[i] = this.pNorm * z[i] + this.damping * p[i];
    const pHp = wireDot(chip, p, hp);
    const record = this.record(trial, pHp);
    if (!(pHp > 0)) {
      record.status = 'negative-curvature';
      if (this.iteration === 1) {
        const scale = pHp === 0 ? 1 : this.rr / Math.abs(pHp);
        for (let i = 0; i < d.length; i++) d[i] = scale * p[i];
      }
      return this.end();
    }
    const alpha = this.rr / pHp;
    for (let i = 0; i < d.length; i++) {
      d[i] += alpha * p[i];
      r[i] -= alpha * hp[i];
    }
    const rrNext = wireDot(chip, r, r);
    if (Math.sqrt(Math.max(rrNext, 0)) <= this.tol * this.gNorm) {
      record.status = 'converged';
      return this.end();
    }
    if (this.iteration >= this.iterations) {
      record.status = 'iteration-cap';
      return this.end();
    }
    const beta = rrNext / this.rr;
    this.rr = rrNext;
    for (let i = 0; i < p.length; i++) p[i] = r[i] + beta * p[i];
    return this.direction();
  }

  private end(): null {
    this.steps++;
    this.lastIterations = this.iteration;
    return null;
  }

  /** The CG step d (apply as w + η d). */
  get step(): Float64Array {
    return this.d;
  }

  /** The chip's product against the oracle's H v at the same w and v (the judge, not the learner). */
  private record(trial: number, pHp: number): CgRecord {
    const { chip, z } = this;
    const v = chip.direction;
    const exact = this.exact;
    chip.spec.problem.oracle.hv(chip.w, v, exact);
    let num = 0;
    let den = 0;
    let vHv = 0;
    for (let i = 0; i < z.length; i++) {
      num += (z[i] - exact[i]) ** 2;
      den += exact[i] ** 2;
      vHv += v[i] * exact[i];
    }
    let chi2: number | null = null;
    const stdErr = chip.population.hvStdErr;
    if (stdErr !== undefined) {
      const se = stdErr(this.se);
      chi2 = 0;
      for (let i = 0; i < z.length; i++) chi2 += ((z[i] - exact[i]) / se[i]) ** 2;
    }
    const pp = this.pNorm * this.pNorm;
    const rec: CgRecord = {
      step: this.steps + 1, iteration: this.iteration, trial,
      curvature: pp > 0 ? pHp / pp : NaN, curvatureExact: vHv + this.damping,
      zRelErr: Math.sqrt(num / den), zChi2: chi2, status: 'continue',
    };
    this.records.push(rec);
    return rec;
  }
}
