/**
 * Tables of the 128-layer ziggurat for the standard normal (Marsaglia & Tsang 2000, "The
 * ziggurat method for generating random variables", J. Stat. Softw. 5(8)), for the bulk
 * Gaussian draws of `Rng.fillZigguratGaussian`.
 *
 * The half-normal density f(x) = e^{−x²/2} (unnormalised) is covered by 128 layers of equal
 * area V. Layer 0 is the base strip [0, R] × [0, f(R)] plus the tail beyond R. Layers i = 127 … 1
 * stack upwards: layer i is the rectangle [0, x_i] × [f(x_i), f(x_{i−1})] with x_127 = R,
 * x_127 > x_126 > … > x_1 and x_0 = 0 (f(x_0) = 1, the top). R = 3.442619855899 and
 * V = 9.91256303526217e-3 make the layers close (Marsaglia & Tsang).
 *
 * A draw takes one uint32 u, split into non-overlapping fields: layer i = u & 127, sign = bit 7,
 * m = u >>> 8 (24 bits). The candidate is x = m · W_i with W_i = x_i / 2²⁴ (layer 0:
 * W_0 = (V / f(R)) / 2²⁴, the base strip stretched to area V). When m < K_i, with
 * K_i = 2²⁴ · x_{i−1} / x_i (layer 0: 2²⁴ · R f(R) / V; K_1 = 0), x lies under the layer
 * above and is accepted at once (~99 % of draws); otherwise the wedge test of layer i or, in
 * layer 0 beyond R, the tail by Marsaglia's exponential method, both on further uint32 words.
 */
export const ZIGGURAT_R = 3.442619855899;
const V = 9.91256303526217e-3;
const M = 16777216; // 2²⁴

/** K_i: accept m < K_i at once. */
export const ZIG_K = new Float64Array(128);
/** W_i: x = m · W_i. */
export const ZIG_W = new Float64Array(128);
/** F_i = f(x_i), F_0 = f(0) = 1. */
export const ZIG_F = new Float64Array(128);

{
  let dn = ZIGGURAT_R;
  let tn = dn;
  const q = V / Math.exp(-0.5 * dn * dn);
  ZIG_K[0] = (dn / q) * M;
  ZIG_K[1] = 0;
  ZIG_W[0] = q / M;
  ZIG_W[127] = dn / M;
  ZIG_F[0] = 1;
  ZIG_F[127] = Math.exp(-0.5 * dn * dn);
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(V / dn + Math.exp(-0.5 * dn * dn)));
    ZIG_K[i + 1] = (dn / tn) * M;
    tn = dn;
    ZIG_F[i] = Math.exp(-0.5 * dn * dn);
    ZIG_W[i] = dn / M;
  }
}
