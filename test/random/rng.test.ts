import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/random/rng.js';

describe('Rng', () => {
  it('is reproducible: same seed, same stream; derived purposes differ', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    for (let k = 0; k < 100; k++) expect(a.uniform()).toBe(b.uniform());
    const p = Rng.derive(7, 'perturbation');
    const d = Rng.derive(7, 'data');
    expect(p.uniform()).not.toBe(d.uniform());
    expect(Rng.derive(7, 'data').uniform()).toBe(Rng.derive(7, 'data').uniform());
  });

  it('gaussian has mean 0, variance 1 and fourth moment 3 within 5 standard errors', () => {
    const rng = new Rng(123);
    const n = 400_000;
    let m1 = 0, m2 = 0, m4 = 0;
    for (let k = 0; k < n; k++) {
      const x = rng.gaussian();
      m1 += x; m2 += x * x; m4 += x ** 4;
    }
    m1 /= n; m2 /= n; m4 /= n;
    // Standard errors: sd(x)=1, sd(x²)=√2, sd(x⁴)=√(105−9)=√96.
    expect(Math.abs(m1)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(m2 - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(m4 - 3)).toBeLessThan(5 * Math.sqrt(96 / n));
  });

  it('uniform lies in [0, 1) with mean ½ and rademacher is ±1 with mean 0', () => {
    const rng = new Rng(5);
    const n = 200_000;
    let su = 0, sr = 0, outside = 0, notSign = 0;
    for (let k = 0; k < n; k++) {
      const u = rng.uniform();
      if (!(u >= 0 && u < 1)) outside++;
      su += u;
      const r = rng.rademacher();
      if (Math.abs(r) !== 1) notSign++;
      sr += r;
    }
    expect(outside).toBe(0);
    expect(notSign).toBe(0);
    expect(Math.abs(su / n - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(sr / n)).toBeLessThan(5 / Math.sqrt(n));
  });
});
