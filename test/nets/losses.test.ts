import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { activation } from '../../src/nets/activations.js';
import { LOSS_NAMES, loss } from '../../src/nets/losses.js';

describe('Loss.value: E of one pattern without derivatives', () => {
  it('softmax cross-entropy has it (the single-sample trial reads use it)', () => {
    expect(loss('softmax-cross-entropy').value).toBeTypeOf('function');
  });

  for (const name of LOSS_NAMES) {
    const L = loss(name);
    if (L.value === undefined) continue;
    it(`${name}: equals evaluate(count 1) bit for bit, targets read from tOff, large and tied outputs included`, () => {
      const act = activation(L.requiresActivation === 'linear' ? 'linear' : 'logistic');
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 12 }).chain((n) => fc.record({
            x: fc.array(fc.oneof(fc.double({ min: -50, max: 50, noNaN: true }), fc.constantFrom(0, -0, 700, -700)), { minLength: n, maxLength: n }),
            t: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: n, maxLength: n }),
            pad: fc.integer({ min: 0, max: 5 }),
          })),
          ({ x, t, pad }) => {
            const n = x.length;
            const xs = Float64Array.from(x);
            const ts = new Float64Array(pad + n);
            ts.set(t, pad);
            const dx = new Float64Array(n);
            expect(Object.is(L.value!(n, xs, ts, pad), L.evaluate(1, n, act, xs, ts, pad, dx, null, null))).toBe(true);
          },
        ),
        { numRuns: 300, seed: 6101 },
      );
    });
  }
});
