import { describe, expect, it } from 'vitest';
import { expNonPositive, tanhSmall, TANH_SMALL_LIMIT } from '../../src/nets/fast-math.js';
import { Rng } from '../../src/random/rng.js';

const ULP = 2.220446049250313e-16;

describe('fast elementary functions', () => {
  it('expNonPositive is within 2 ulp of Math.exp on [−745, 0], at the edges and on NaN', () => {
    const rng = new Rng(17);
    let worst = 0;
    for (let k = 0; k < 300_000; k++) {
      const scale = [1e-12, 1e-3, 1, 10, 700][k % 5];
      const u = -rng.uniform() * scale;
      const exact = Math.exp(u);
      if (exact < 1e-300) continue; // subnormal results: relative ulps are meaningless there
      worst = Math.max(worst, Math.abs(expNonPositive(u) - exact) / (exact * ULP));
    }
    expect(worst).toBeLessThanOrEqual(2);
    expect(expNonPositive(0)).toBe(1);
    expect(expNonPositive(-0)).toBe(1);
    expect(expNonPositive(-746)).toBe(0);
    expect(expNonPositive(-Infinity)).toBe(0);
    expect(expNonPositive(NaN)).toBeNaN();
  });

  it('tanhSmall is within 3 ulp of Math.tanh on |x| < 0.625, subnormals included', () => {
    const rng = new Rng(5);
    let worst = 0;
    for (let k = 0; k < 200_000; k++) {
      const x = (2 * rng.uniform() - 1) * TANH_SMALL_LIMIT * [1, 1e-3, 1e-9][k % 3];
      const exact = Math.tanh(x);
      if (exact === 0) continue;
      worst = Math.max(worst, Math.abs(tanhSmall(x) - exact) / Math.abs(exact * ULP));
    }
    expect(worst).toBeLessThanOrEqual(3);
    expect(tanhSmall(1e-310)).toBe(1e-310);
    expect(tanhSmall(0)).toBe(0);
  });
});
