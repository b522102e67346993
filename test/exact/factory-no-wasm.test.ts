import { describe, expect, it, vi } from 'vitest';

// This file runs where the wasm kernels "cannot load": the module says why (src/wasm/kernels.ts).
vi.mock('../../src/wasm/kernels.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/wasm/kernels.js')>()),
  wasmKernelsUnavailable: () => 'WebAssembly disabled for this test',
}));

const { layeredOracle } = await import('../../src/exact/factory.js');
const { InputError } = await import('../../src/errors.js');
const { randomProblem } = await import('../helpers/random-nets.js');

describe('layeredOracle where the wasm kernels cannot load', () => {
  it('asking for wasm is bad input naming the kernels field, the rule and why; js still builds', () => {
    const { net, data } = randomProblem([2, 3, 1], ['tanh'], 'linear', 'sse', 3, 1);
    expect(() => layeredOracle(net, data, 'wasm')).toThrow(InputError);
    expect(() => layeredOracle(net, data, 'wasm')).toThrow(
      'kernels: must be "auto" or "js" where the wasm kernels cannot load; got "wasm (WebAssembly disabled for this test)"',
    );
    expect(layeredOracle(net, data, 'js').kernels).toBe('js');
  });
});

describe('LayeredOracle where the wasm kernels cannot load', () => {
  it("'wasm' is refused saying why; 'auto' runs js", async () => {
    const { LayeredOracle, chooseLayeredKernels } = await import('../../src/exact/layered/oracle.js');
    const { net, data } = randomProblem([2, 3, 1], ['tanh'], 'linear', 'sse', 3, 1);
    expect(() => new LayeredOracle(net, data, { kernels: 'wasm' })).toThrow("LayeredOracle: kernels 'wasm' requested but WebAssembly disabled for this test");
    expect(new LayeredOracle(net, data).kernels).toBe('js');
    expect(chooseLayeredKernels('auto', net, 3)).toBe('js');
  });
});

describe('layeredForward where the wasm kernels cannot load', () => {
  it("'wasm' is refused saying why; 'auto' and 'js' run the JavaScript forward pass", async () => {
    const { layeredForward } = await import('../../src/exact/layered/forward.js');
    const { net, data } = randomProblem([2, 3, 1], ['tanh'], 'linear', 'sse', 3, 1);
    expect(() => layeredForward(net, data, { kernels: 'wasm' })).toThrow("layeredForward: kernels 'wasm' requested but WebAssembly disabled for this test");
    expect(layeredForward(net, data).kernels).toBe('js');
    expect(layeredForward(net, data, { kernels: 'js' }).kernels).toBe('js');
  });
});
