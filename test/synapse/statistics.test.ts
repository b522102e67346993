import { describe, expect, it } from 'vitest';
import { addArrays, copyArrays, mergedMean, restoreArrays, type SufficientStatistics } from '../../src/synapse/statistics.js';

/** The merge helpers of src/synapse/statistics.ts against values worked out by hand. */
describe('sufficient-statistics helpers', () => {
  it('mergedMean: the mean of the union, exactly the other part when one part is empty', () => {
    // {1, 1} ∪ {4}: mean 2.
    expect(mergedMean(1, 2, 4, 1)).toBe(2);
    // {2, 2, 2} ∪ {5, 7}: (6 + 12)/5 = 3.6.
    expect(mergedMean(2, 3, 6, 2)).toBeCloseTo(3.6, 14);
    // An empty part's mean is 0 (a fresh population): then the union's mean is mb bit for bit.
    expect(mergedMean(0, 0, 0.1, 3)).toBe(0.1);
    expect(mergedMean(0.3, 4, 9, 0)).toBe(0.3);
    expect(mergedMean(0.3, 0, 9, 0)).toBe(0.3);
  });

  const s = (arrays: Record<string, Float64Array>): SufficientStatistics => ({ estimator: 'wp', scalars: {}, arrays });

  it('addArrays adds slot by slot; restoreArrays copies; both refuse a missing or mis-sized array, naming it', () => {
    const state = { a: Float64Array.from([1, 2, 3]), b: Float64Array.from([0, 0, 1]), v: Float64Array.from([9, 9, 9]) };
    addArrays(state, s({ a: Float64Array.from([10, 20, 30]), b: Float64Array.from([1, 1, 1]) }), ['a', 'b']);
    expect([...state.a, ...state.b, ...state.v]).toEqual([11, 22, 33, 1, 1, 2, 9, 9, 9]);
    restoreArrays(state, s({ a: Float64Array.from([4, 5, 6]), b: Float64Array.from([7, 8, 9]) }), ['a', 'b']);
    expect([...state.a, ...state.b]).toEqual([4, 5, 6, 7, 8, 9]);
    const copy = copyArrays(state, ['a']);
    expect(Object.keys(copy)).toEqual(['a']);
    copy.a[0] = -1;
    expect(state.a[0]).toBe(4);
    for (const f of [addArrays, restoreArrays]) {
      expect(() => f(state, s({ a: Float64Array.from([1, 2, 3]) }), ['a', 'b'])).toThrow('statistics: array b missing or of the wrong length');
      expect(() => f(state, s({ a: Float64Array.from([1, 2]) }), ['a'])).toThrow('statistics: array a missing or of the wrong length');
    }
  });
});
