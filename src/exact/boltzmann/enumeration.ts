import { InputError } from '../../errors.js';
import { ENUMERATION_LIMIT, unitValues, type BoltzmannMachine } from '../../nets/boltzmann.js';
import { EvaluatingOracle } from '../oracle.js';

/**
 * Exact Boltzmann statistics by enumerating all 2^N global states (N ≤ 20), and the learning
 * objective G = KL(P⁺ ‖ P⁻) = Σ_v q(v) ln(q(v)/P⁻(v)) with its gradient and Hv (docs/theory.md, "R{Boltzmann}").
 *
 * With ε = +1 (seed's energy sign) or −1 (standard), E_α = ε Σ_k s_i s_j w_k, R{E_α} = ε D_α with
 * D_α = Σ_k s_i s_j v_k, and for any statistic f the R-operator of its expectation is
 *
 *   R{⟨f⟩} = −(ε/T) (⟨f D⟩ − ⟨f⟩⟨D⟩),  so for the seed's sign  R{p_ij} = (1/T)(p_ij ⟨D⟩ − ⟨s_i s_j D⟩).
 *
 * Free (−) expectations are over P; clamped (+) ones over P(h | v) averaged with q(v). Then
 *
 *   ∂G/∂w_k = (ε/T)(p⁺_k − p⁻_k),    (Hv)_k = (ε/T)(R{p⁺_k} − R{p⁻_k}).
 *
 * All sums are taken with a log-sum-exp shift, so large |w|/T does not overflow.
 */
export class BoltzmannOracle extends EvaluatingOracle {
  override readonly size: number;
  /** Unit values of every global state α (2^N × N), and which visible pattern (or −1) it shows. */
  private readonly stateValues: Float64Array;
  private readonly patternOf: Int32Array;
  private readonly nStates: number;
  private readonly logE: Float64Array;
  private readonly dState: Float64Array;
  private readonly work: { pFree: Float64Array; pClamped: Float64Array; rFree: Float64Array; rClamped: Float64Array; logPV: Float64Array };

  constructor(readonly machine: BoltzmannMachine) {
    super();
    if (machine.units > ENUMERATION_LIMIT) {
      throw new InputError(
        'units',
        `must be at most ${ENUMERATION_LIMIT} for exact enumeration (2^${ENUMERATION_LIMIT} states); use --method gibbs for larger machines`,
        machine.units,
      );
    }
    this.size = machine.size;
    const N = machine.units;
    this.nStates = 2 ** N;
    const [off, on] = unitValues(machine);
    this.stateValues = new Float64Array(this.nStates * N);
    // Stryker disable next-line UnaryOperator: equivalent: every entry is overwritten in the loop below.
    this.patternOf = new Int32Array(this.nStates).fill(-1);
    const key = new Map<string, number>();
    // Stryker disable next-line EqualityOperator: p <= count is equivalent: the extra key is the empty string, which no state's visible part (visible ≥ 1) matches.
    for (let p = 0; p < machine.patternCount; p++) {
      key.set(Array.from(machine.patterns.subarray(p * machine.visible, (p + 1) * machine.visible)).join(','), p);
    }
    // Stryker disable next-line EqualityOperator: a <= nStates is equivalent: the extra pass writes past the end of a typed array of that length, a write that is dropped.
    for (let a = 0; a < this.nStates; a++) {
      // Stryker disable next-line EqualityOperator: i <= N is equivalent: the extra write lands on the next state's first unit, which the next pass writes again (or past the end).
      for (let i = 0; i < N; i++) this.stateValues[a * N + i] = (a >> i) & 1 ? on : off;
      const vis = Array.from(this.stateValues.subarray(a * N, a * N + machine.visible)).join(',');
      this.patternOf[a] = key.get(vis) ?? -1;
    }
    this.logE = new Float64Array(this.nStates);
    this.dState = new Float64Array(this.nStates);
    const K = machine.size;
    this.work = {
      pFree: new Float64Array(K), pClamped: new Float64Array(K), rFree: new Float64Array(K), rClamped: new Float64Array(K),
      logPV: new Float64Array(machine.patternCount),
    };
  }

  /** Σ_k s_i s_j x_k for state a. */
  private pairSum(a: number, x: Float64Array): number {
    const { first, second, size } = this.machine;
    const N = this.machine.units;
    const s = this.stateValues;
    let e = 0;
    for (let k = 0; k < size; k++) e += s[a * N + first[k]] * s[a * N + second[k]] * x[k];
    return e;
  }

  /**
   * Free and clamped pair statistics: p⁻_k, p⁺_k and, with v, R{p⁻_k}, R{p⁺_k}; also ln P⁻(v) per
   * pattern. Written into the given arrays.
   */
  statistics(
    w: Float64Array, v: Float64Array | null,
    pFree: Float64Array, pClamped: Float64Array, rFree: Float64Array | null, rClamped: Float64Array | null,
    logPVisible: Float64Array,
  ): void {
    const m = this.machine;
    const { first, second, size: K, temperature: T, energySign: eps } = m;
    const N = m.units;
    const S = this.nStates;
    const s = this.stateValues;
    const logE = this.logE;
    const D = this.dState;
    // ln of unnormalised probabilities −E_α/T, and D_α.
    let max = -Infinity;
    // Stryker disable next-line EqualityOperator: a <= S is equivalent: the extra pass writes past the end of a typed array of that length, a write that is dropped, and undefined > max is false.
    for (let a = 0; a < S; a++) {
      logE[a] = (-eps * this.pairSum(a, w)) / T;
      // Stryker disable next-line EqualityOperator: logE >= max is equivalent: a tie leaves the same maximum.
      if (logE[a] > max) max = logE[a];
      if (v !== null) D[a] = this.pairSum(a, v);
    }
    const P = m.patternCount;
    let zFree = 0;
    for (let a = 0; a < S; a++) zFree += Math.exp(logE[a] - max);
    const zClamp = new Float64Array(P);
    const maxClamp = new Float64Array(P).fill(-Infinity);
    // Stryker disable next-line EqualityOperator: a <= S is equivalent: patternOf[S] is undefined and fails p >= 0.
    for (let a = 0; a < S; a++) {
      const p = this.patternOf[a];
      // Stryker disable next-line EqualityOperator,LogicalOperator: equivalent: >= on a tie leaves the same maximum; with || a state showing no pattern has p = −1, and reads and writes at index −1 of a typed array are undefined and dropped.
      if (p >= 0 && logE[a] > maxClamp[p]) maxClamp[p] = logE[a];
    }
    // Stryker disable next-line EqualityOperator: a <= S is equivalent: patternOf[S] is undefined and fails p >= 0.
    for (let a = 0; a < S; a++) {
      const p = this.patternOf[a];
      // Stryker disable next-line ConditionalExpression: equivalent: a state showing no pattern has p = −1, and reads and writes at index −1 of a typed array are undefined and dropped.
      if (p >= 0) zClamp[p] += Math.exp(logE[a] - maxClamp[p]);
    }
    const logZ = max + Math.log(zFree);
    // Stryker disable next-line EqualityOperator: p <= P is equivalent: the extra pass writes past the end of a typed array of that length, a write that is dropped.
    for (let p = 0; p < P; p++) logPVisible[p] = maxClamp[p] + Math.log(zClamp[p]) - logZ;

    pFree.fill(0);
    pClamped.fill(0);
    let meanDFree = 0;
    const meanDClamped = new Float64Array(P);
    // First pass: probabilities, ⟨s s⟩, ⟨D⟩.
    for (let a = 0; a < S; a++) {
      const prob = Math.exp(logE[a] - logZ);
      const p = this.patternOf[a];
      const cond = p >= 0 ? (m.patternProbabilities[p] * Math.exp(logE[a] - maxClamp[p])) / zClamp[p] : 0;
      // Stryker disable next-line EqualityOperator: k <= K is equivalent: the extra pass writes past the end of a typed array of that length, a write that is dropped.
      for (let k = 0; k < K; k++) {
        const ss = s[a * N + first[k]] * s[a * N + second[k]];
        pFree[k] += prob * ss;
        // Stryker disable next-line ConditionalExpression: equivalent: with cond = 0 the sum gains 0 · ss = 0.
        if (cond !== 0) pClamped[k] += cond * ss;
      }
      // Stryker disable next-line ConditionalExpression: equivalent: without v the means of D are computed from stale D but never read (the R pass returns first).
      if (v !== null) {
        meanDFree += prob * D[a];
        // Stryker disable next-line ConditionalExpression: equivalent: a state showing no pattern has p = −1, and reads and writes at index −1 of a typed array are undefined and dropped.
        if (p >= 0) meanDClamped[p] += (Math.exp(logE[a] - maxClamp[p]) / zClamp[p]) * D[a];
      }
    }
    if (v === null || rFree === null || rClamped === null) return;
    // Second pass: R{⟨s s⟩} = −(ε/T) ⟨s s (D − ⟨D⟩)⟩, centred for accuracy.
    rFree.fill(0);
    rClamped.fill(0);
    for (let a = 0; a < S; a++) {
      const prob = Math.exp(logE[a] - logZ);
      const p = this.patternOf[a];
      const cond = p >= 0 ? (m.patternProbabilities[p] * Math.exp(logE[a] - maxClamp[p])) / zClamp[p] : 0;
      const dFree = D[a] - meanDFree;
      // Stryker disable next-line ConditionalExpression: equivalent: dClamp of a state showing no pattern is read only under cond !== 0, and its cond is 0.
      const dClamp = p >= 0 ? D[a] - meanDClamped[p] : 0;
      // Stryker disable next-line EqualityOperator: k <= K is equivalent: the extra pass writes past the end of a typed array of that length, a write that is dropped.
      for (let k = 0; k < K; k++) {
        const ss = s[a * N + first[k]] * s[a * N + second[k]];
        rFree[k] += prob * ss * dFree;
        // Stryker disable next-line ConditionalExpression: equivalent: with cond = 0 the sum gains 0 · ss · dClamp = 0.
        if (cond !== 0) rClamped[k] += cond * ss * dClamp;
      }
    }
    // Stryker disable next-line EqualityOperator: k <= K is equivalent: the extra pass writes past the end of a typed array of that length, a write that is dropped.
    for (let k = 0; k < K; k++) {
      rFree[k] *= -eps / T;
      rClamped[k] *= -eps / T;
    }
  }

  override evaluate(w: Float64Array, v: Float64Array | null, g: Float64Array | null, hv: Float64Array | null): number {
    const m = this.machine;
    const K = m.size;
    const { pFree, pClamped, rFree, rClamped, logPV } = this.work;
    const wantR = v !== null && hv !== null;
    this.statistics(w, wantR ? v : null, pFree, pClamped, wantR ? rFree : null, wantR ? rClamped : null, logPV);
    // G = Σ_v q(v) (ln q(v) − ln P⁻(v))
    let G = 0;
    // Stryker disable next-line EqualityOperator: p <= count is equivalent: q = undefined fails q > 0.
    for (let p = 0; p < m.patternCount; p++) {
      const q = m.patternProbabilities[p];
      if (q > 0) G += q * (Math.log(q) - logPV[p]);
    }
    const c = m.energySign / m.temperature;
    // Stryker disable next-line EqualityOperator: k <= K is equivalent: g has length K (the Oracle contract); the extra pass writes past the end of a typed array of that length, a write that is dropped.
    if (g !== null) for (let k = 0; k < K; k++) g[k] = c * (pClamped[k] - pFree[k]);
    // Stryker disable next-line EqualityOperator: k <= K is equivalent: Hv has length K (the Oracle contract); the extra pass writes past the end of a typed array of that length, a write that is dropped.
    if (wantR) for (let k = 0; k < K; k++) (hv as Float64Array)[k] = c * (rClamped[k] - rFree[k]);
    return G;
  }


  /** Free-phase p_k = ⟨s_i s_j⟩ and, with v, R{p_k} (for the tests and the CLI). */
  freeCorrelations(w: Float64Array, v: Float64Array | null, p: Float64Array, r: Float64Array | null): void {
    const K = this.machine.size;
    // Stryker disable next-line ConditionalExpression: equivalent: with r = null, rFree is null and the R pass returns whatever rClamped is.
    this.statistics(w, v, p, new Float64Array(K), r, r === null ? null : new Float64Array(K), new Float64Array(this.machine.patternCount));
  }
}
