import { describe, expect, it } from 'vitest';
import { LayeredOracle, Rng, randomLayeredProblem, FiniteDifferenceHv, relErr } from '../src/index.js';

describe('the README library example', () => {
  it('runs as written and gives the same Hv as central differences', () => {
    const rng = new Rng(1);
    const { net, data, w } = randomLayeredProblem([4, 10, 3], ['tanh', 'linear'], 'softmax-cross-entropy', 150, rng);
    const oracle = new LayeredOracle(net, data);
    const v = rng.fillGaussian(new Float64Array(net.size));
    const g = new Float64Array(net.size), hv = new Float64Array(net.size);
    const E = oracle.evaluate(w, v, g, hv);
    expect(E).toBeGreaterThan(0);
    const fd = new FiniteDifferenceHv(oracle).hv(w, v, 1e-5, 'central', new Float64Array(net.size));
    expect(relErr(fd, hv)).toBeLessThan(1e-8);
  });
});
