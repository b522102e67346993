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
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** The second Box–Muller variate, kept for the next gaussian() call. */
  private spare = 0;
  private hasSpare = false;

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
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
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
    const r = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    const n2 = (s2 ^ s0) >>> 0;
    const n3 = (s3 ^ s1) >>> 0;
    this.s1 = (s1 ^ n2) >>> 0;
    this.s0 = (s0 ^ n3) >>> 0;
    this.s2 = (n2 ^ t) >>> 0;
    this.s3 = rotl(n3, 11);
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

  /** Fills out with N(0, scale²) variates; returns out. */
  fillGaussian(out: Float64Array, scale = 1): Float64Array {
    for (let k = 0; k < out.length; k++) out[k] = scale * this.gaussian();
    return out;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
