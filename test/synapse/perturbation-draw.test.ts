import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/random/rng.js';
import { drawPerturbation, perturbationDraw, PERTURBATION_NAMES } from '../../src/synapse/perturbation.js';

// The trial loop holds a law's draw, looked up once, not its name (docs/testing.md, "Run-to-run
// bytes under concurrent compilation").
describe('perturbationDraw', () => {
  it('gives, for every law, the bytes of the named draw from the same stream', () => {
    for (const law of PERTURBATION_NAMES) {
      const a = perturbationDraw(law)(0.1, Rng.derive(3, 'p'), new Float64Array(37));
      const b = drawPerturbation(law, 0.1, Rng.derive(3, 'p'), new Float64Array(37));
      expect(Array.from(a)).toEqual(Array.from(b));
      expect(a.some((x) => x !== 0)).toBe(true);
    }
    // And each law's own bulk draw, so that the table cannot swap two laws.
    expect(Array.from(perturbationDraw('gaussian')(0.1, Rng.derive(3, 'p'), new Float64Array(5)))).toEqual(Array.from(Rng.derive(3, 'p').fillZigguratGaussian(new Float64Array(5), 0.1)));
    expect(Array.from(perturbationDraw('uniform')(0.1, Rng.derive(3, 'p'), new Float64Array(5)))).toEqual(Array.from(Rng.derive(3, 'p').fillSymmetricUniform(new Float64Array(5), 0.1 * Math.sqrt(3))));
    expect(Array.from(perturbationDraw('rademacher')(0.1, Rng.derive(3, 'p'), new Float64Array(5)))).toEqual(Array.from(Rng.derive(3, 'p').fillSigns(new Float64Array(5), 0.1)));
  });

  it('rejects an unknown law by name', () => {
    expect(() => perturbationDraw('cauchy' as never)).toThrow(/unknown perturbation law "cauchy"/);
    expect(() => perturbationDraw('toString' as never)).toThrow(/unknown perturbation law "toString"/);
  });
});
