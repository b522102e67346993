/**
 * Seeded pseudo-random streams. No global RNG exists in wpsim: every consumer is handed a
 * `Rng`, and each purpose (data, initial weights, direction v, perturbations, hardware
 * noise) gets its own independent stream derived from the run seed and the purpose name, so
 * that changing one part of a scenario does not reshuffle the others.
 *
 * Generator: xoshiro128** (Blackman & Vigna 2018, https://prng.di.unimi.it/), 128-bit state
 * on four uint32 words, seeded through splitmix32. Doubles take 53 random bits from two
 * outputs. Period 2^128 − 1; passes BigCrush except the low-bit linearity tests that
 * the ** scrambler fixes.
 */
import { ZIG_F, ZIG_K, ZIG_W, ZIGGURAT_R } from './ziggurat.js';

/** 2⁻³²: a uint32 u maps to the open interval (0, 1) as (u + ½)·2⁻³². */
const TWO_POW_M32 = 2.3283064365386963e-10;

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** The second Box–Muller variate, kept for the next gaussian() call. */
  private spare = 0;
  private hasSpare = false;
  /** The word of the last draw that missed the ziggurat's fast test (zigguratFast). */
  private missed = 0;

  constructor(seed: number) {
    // splitmix32 expands a 32-bit seed into a well-mixed 128-bit state.
    let x = seed >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next() | 0;
    this.s1 = next() | 0;
    this.s2 = next() | 0;
    this.s3 = next() | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /**
   * An independent stream for a named purpose: seed = hash(runSeed, purpose). FNV-1a over
   * the purpose string, mixed with the seed, so `derive(s, "perturbation")` never collides
   * with `derive(s, "data")` in practice.
   */
  static derive(seed: number, purpose: string): Rng {
    let h = 0x811c9dc5 ^ (seed >>> 0);
    h = Math.imul(h, 0x01000193) >>> 0;
    for (let k = 0; k < purpose.length; k++) {
      h ^= purpose.charCodeAt(k);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    h ^= Math.floor(seed / 0x100000000) >>> 0;
    return new Rng(h >>> 0);
  }

  /** Next uint32 (xoshiro128**). */
  nextU32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const s2 = this.s2;
    const s3 = this.s3;
    const r5 = Math.imul(s1, 5);
    const r = Math.imul((r5 << 7) | (r5 >>> 25), 9) >>> 0;
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    // The state is kept as int32 (the same bits): uint32 values above 2³¹ would be boxed.
    this.s1 = s1 ^ n2;
    this.s0 = s0 ^ n3;
    this.s2 = n2 ^ t;
    this.s3 = (n3 << 11) | (n3 >>> 21);
    return r;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Standard normal N(0, 1) by the Box–Muller transform, two variates per pair of uniforms. */
  gaussian(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u = this.uniform();
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    const angle = 2 * Math.PI * v;
    this.spare = radius * Math.sin(angle);
    this.hasSpare = true;
    return radius * Math.cos(angle);
  }

  /** ±1 with probability ½ each. */
  rademacher(): number {
    return (this.nextU32() & 1) === 0 ? -1 : 1;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Fills out with N(0, scale²) variates (Box–Muller, as gaussian()); returns out. */
  fillGaussian(out: Float64Array, scale = 1): Float64Array {
    for (let k = 0; k < out.length; k++) out[k] = scale * this.gaussian();
    return out;
  }

  // Bulk draws for the trial loop (docs/formats.md, "Random streams"). Each consumes whole
  // uint32 words of the stream in order, running the xoshiro128** step of nextU32 inline on
  // int32 locals (the word u is the same 32 bits, read as signed); none touches the Box–Muller
  // spare of gaussian().

  /**
   * Bit-sliced signs: out[32m + j] = +scale if bit j of the m-th word is 1, −scale if it is 0.
   * Consumes ⌈n/32⌉ words (the unused high bits of the last one are dropped).
   */
  fillSigns(out: Float64Array, scale: number): Float64Array {
    const n = out.length;
    const whole = n & ~31;
    let s0 = this.s0, s1 = this.s1, s2 = this.s2, s3 = this.s3;
    // Branch-free (random bits would defeat the branch predictor): bit·2s − s is exactly ±s.
    const twice = 2 * scale;
    for (let base = 0; base < n; base += 32) {
      // xoshiro128** step (as nextU32), on local state.
      const r5 = Math.imul(s1, 5);
      let u = Math.imul((r5 << 7) | (r5 >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      if (base < whole) {
        // A whole word, four bits per step (unrolled: ~2× the simple loop in V8).
        for (let j = base; j < base + 32; j += 4) {
          out[j] = (u & 1) * twice - scale;
          out[j + 1] = ((u >> 1) & 1) * twice - scale;
          out[j + 2] = ((u >> 2) & 1) * twice - scale;
          out[j + 3] = ((u >> 3) & 1) * twice - scale;
          u >>= 4;
        }
      } else {
        for (let j = base; j < n; j++) {
          out[j] = (u & 1) * twice - scale;
          u >>= 1;
        }
      }
    }
    this.s0 = s0; this.s1 = s1; this.s2 = s2; this.s3 = s3;
    return out;
  }

  /** The next out.length words of the stream, in order (for kernels that expand them, e.g. signs). */
  fillWords(out: Uint32Array | Int32Array): typeof out {
    const n = out.length;
    let s0 = this.s0, s1 = this.s1, s2 = this.s2, s3 = this.s3;
    for (let k = 0; k < n; k++) {
      const r5 = Math.imul(s1, 5);
      out[k] = Math.imul((r5 << 7) | (r5 >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
    }
    this.s0 = s0; this.s1 = s1; this.s2 = s2; this.s3 = s3;
    return out;
  }

  /**
   * Symmetric uniforms on (−halfWidth, halfWidth): out[k] = halfWidth·((2u_k + 1)·2⁻³² − 1), one
   * word u_k each. The map u → 2³² − 1 − u negates the value, so the law is exactly symmetric.
   */
  fillSymmetricUniform(out: Float64Array, halfWidth: number): Float64Array {
    const n = out.length;
    let s0 = this.s0, s1 = this.s1, s2 = this.s2, s3 = this.s3;
    const a = 2 * halfWidth * TWO_POW_M32;
    const b = halfWidth * TWO_POW_M32 - halfWidth;
    for (let k = 0; k < n; k++) {
      const r5 = Math.imul(s1, 5);
      const u = Math.imul((r5 << 7) | (r5 >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      out[k] = a * (u >>> 0) + b;
    }
    this.s0 = s0; this.s1 = s1; this.s2 = s2; this.s3 = s3;
    return out;
  }

  /**
   * N(0, scale²) variates by the 128-layer ziggurat (ziggurat.ts): one word per draw (layer
   * u & 127, sign bit 7, 24-bit abscissa u >>> 8), plus further words for the ~1 % of draws
   * that need the wedge or tail test, taken in order right after the draw's first word.
   */
  fillZigguratGaussian(out: Float64Array, scale: number): Float64Array {
    const n = out.length;
    let k = this.zigguratFast(out, 0, scale);
    while (k < n) {
      // Draw k missed the fast test: its word (layer, sign, abscissa) is in `missed`, the state
      // already past it; the wedge or tail test takes the words that follow.
      out[k] = this.zigguratMiss(this.missed, scale);
      k = this.zigguratFast(out, k + 1, scale);
    }
    return out;
  }

  /**
   * The draw of `fillZigguratGaussian` whose word u missed the fast test (the state already past
   * u): the wedge or tail test on the words that follow, scaled, with u's sign. A kernel running
   * the fast path elsewhere (src/wasm/kernels.wat, ziggurat_fast) hands its misses here.
   */
  zigguratMiss(u: number, scale: number): number {
    return scale * this.zigguratSlow(u & 127, u >>> 8) * (((u >>> 6) & 2) - 1);
  }

  /** The generator's state, four int32 words, into out[at…]: for a kernel that continues this stream. */
  saveState(out: Int32Array, at = 0): void {
    out[at] = this.s0;
    out[at + 1] = this.s1;
    out[at + 2] = this.s2;
    out[at + 3] = this.s3;
  }

  /** Takes back the state a kernel continued (the four int32 words of saveState). */
  loadState(from: Int32Array, at = 0): void {
    this.s0 = from[at] | 0;
    this.s1 = from[at + 1] | 0;
    this.s2 = from[at + 2] | 0;
    this.s3 = from[at + 3] | 0;
  }

  /**
   * Ziggurat draws out[k] for k from `from` while each passes the fast test m < K_layer
   * (x = m·W_layer, ~99 % of draws); returns the index of the first that misses, its word kept in
   * `missed` (or out.length). A loop of its own, without the slow path's code inlined into it:
   * the state stays in registers (1.4× faster than one loop with both paths, same bytes).
   */
  private zigguratFast(out: Float64Array, from: number, scale: number): number {
    const n = out.length;
    const K = ZIG_K;
    const W = ZIG_W;
    let s0 = this.s0, s1 = this.s1, s2 = this.s2, s3 = this.s3;
    let k = from;
    for (; k < n; k++) {
      const r5 = Math.imul(s1, 5);
      const u = Math.imul((r5 << 7) | (r5 >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      const layer = u & 127;
      const m = u >>> 8;
      if (!(m < K[layer])) {
        this.missed = u;
        break;
      }
      // The sign bit as ±1, branch-free: bit 7 set → +1.
      out[k] = scale * (m * W[layer]) * (((u >>> 6) & 2) - 1);
    }
    this.s0 = s0; this.s1 = s1; this.s2 = s2; this.s3 = s3;
    return k;
  }

  /** A uniform on the open interval (0, 1) from one word. */
  private openUniform32(): number {
    return (this.nextU32() + 0.5) * TWO_POW_M32;
  }

  /**
   * |x| of a ziggurat draw that missed the fast test: the tail beyond R (layer 0, Marsaglia's
   * exponential method: a = −ln U₁/R, b = −ln U₂ until 2b ≥ a², then R + a) or the wedge test
   * of layer i (accept x when F_i + U (F_{i−1} − F_i) < e^{−x²/2}), else a fresh word.
   */
  private zigguratSlow(layer: number, m: number): number {
    for (;;) {
      if (layer === 0) {
        let a: number;
        let b: number;
        do {
          a = -Math.log(this.openUniform32()) / ZIGGURAT_R;
          b = -Math.log(this.openUniform32());
        } while (b + b < a * a);
        return ZIGGURAT_R + a;
      }
      const x = m * ZIG_W[layer];
      if (ZIG_F[layer] + this.openUniform32() * (ZIG_F[layer - 1] - ZIG_F[layer]) < Math.exp(-0.5 * x * x)) return x;
      const u = this.nextU32();
      layer = u & 127;
      m = u >>> 8;
      if (m < ZIG_K[layer]) return m * ZIG_W[layer];
    }
  }
}
