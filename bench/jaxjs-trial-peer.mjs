/**
 * The jax-js peer of bench/trial-loop.mjs (jax-js 0.1.25, float64, wasm backend, jit): the same
 * trials on the same nets, weights and data. jax-js evaluates E under jit; Δw is drawn in
 * JavaScript by the same bulk draws and uploaded each trial (jax-js's own random streams would
 * change the draws, not the cost, which is the per-call overhead).
 *
 *  - iris one-sided: jit(E(params + Δparams)) over all patterns; the moment update in plain JS.
 *  - online antithetic WP: jit(step) returns E(w ± Δw) on one pattern and the updated params
 *    w − (η/σ²)·½(E⁺ − E⁻)·Δw, so w stays in jax-js between trials.
 */
if (globalThis.Float16Array === undefined) {
  globalThis.Float16Array = class Float16Array extends Float32Array {};
}
const jax = await import('@jax-js/jax');
const { numpy: np, nn, jit, init, defaultDevice } = jax;
await init('wasm');
defaultDevice('wasm');

function toParams(net, flat) {
  const params = [];
  for (let l = 1; l < net.layers.length; l++) {
    const nIn = net.layers[l - 1];
    const nOut = net.layers[l];
    const wOff = net.weightOffsets[l - 1];
    const bOff = net.biasOffsets[l - 1];
    params.push({
      W: np.array(flat.slice(wOff, wOff + nOut * nIn), { dtype: np.float64 }).reshape([nOut, nIn]),
      b: np.array(flat.slice(bOff, bOff + nOut), { dtype: np.float64 }),
    });
  }
  return params;
}

const refs = (params) => params.map((p) => ({ W: p.W.ref, b: p.b.ref }));

function lossOf(L, params, x, t) {
  let y = x;
  for (let l = 0; l < L; l++) {
    const z = np.matmul(y, params[l].W.ref.transpose()).add(params[l].b.ref);
    y = l < L - 1 ? np.tanh(z) : z;
  }
  const lse = nn.logsumexp(y.ref, -1);
  return lse.mul(np.sum(t.ref, -1)).sum().sub(np.sum(t.mul(y)));
}

function perturbed(params, dparams, sign) {
  return params.map((p, l) => ({
    W: sign > 0 ? p.W.ref.add(dparams[l].W.ref) : p.W.ref.sub(dparams[l].W.ref),
    b: sign > 0 ? p.b.ref.add(dparams[l].b.ref) : p.b.ref.sub(dparams[l].b.ref),
  }));
}

/** E(w + Δw) on the whole data set, jitted; returns (dwFlat) => number. */
export function jaxBatchLoss(net, data, w) {
  const L = net.layers.length - 1;
  const X = np.array(data.inputs, { dtype: np.float64 }).reshape([data.count, data.nIn]);
  const T = np.array(data.targets, { dtype: np.float64 }).reshape([data.count, data.nOut]);
  const params = toParams(net, w);
  const f = jit((p, dp, x, t) => lossOf(L, perturbed(p, dp, 1), x, t));
  return (dwFlat) => f(refs(params), toParams(net, dwFlat), X.ref, T.ref).dataSync()[0];
}

/** One online antithetic WP step on pattern p, jitted; w lives in jax-js. Returns (dwFlat, p) => a. */
export function jaxOnlineStep(net, data, w, eta, sigma) {
  const L = net.layers.length - 1;
  let params = toParams(net, w);
  const k = eta / (sigma * sigma);
  const step = jit((p, dp, x, t) => {
    const ePlus = lossOf(L, perturbed(p, dp, 1), x.ref, t.ref);
    const eMinus = lossOf(L, perturbed(p, dp, -1), x, t);
    const a = ePlus.sub(eMinus).mul(0.5);
    const next = p.map((q, l) => ({ W: q.W.sub(dp[l].W.ref.mul(a.ref).mul(k)), b: q.b.sub(dp[l].b.ref.mul(a.ref).mul(k)) }));
    return [a, next];
  });
  return (dwFlat, p) => {
    const x = np.array(data.inputs.subarray(p * data.nIn, (p + 1) * data.nIn), { dtype: np.float64 }).reshape([1, data.nIn]);
    const t = np.array(data.targets.subarray(p * data.nOut, (p + 1) * data.nOut), { dtype: np.float64 }).reshape([1, data.nOut]);
    const [a, next] = step(params, toParams(net, dwFlat), x, t);
    params = next;
    return a.dataSync()[0];
  };
}
