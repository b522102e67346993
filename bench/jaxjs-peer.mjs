/**
 * The peer: jax-js (float64, wasm backend, jit) computing the same Hv by forward-over-reverse
 * autodiff, jvp(grad(E)), on the same net, weights, data and v as wpsim's R{backprop}.
 * Net: layers n0-…-nL, tanh hidden units, linear outputs, softmax cross-entropy summed over
 * patterns (the layout of src/nets/layered.ts).
 */
if (globalThis.Float16Array === undefined) {
  // jax-js references Float16Array at load time; Node 20 has none. Float64 paths never use it.
  globalThis.Float16Array = class Float16Array extends Float32Array {};
}
const jax = await import('@jax-js/jax');
const { numpy: np, nn, grad, jvp, jit, init, defaultDevice } = jax;

let ready = false;
async function ensureInit() {
  if (ready) return;
  await init('wasm');
  defaultDevice('wasm');
  ready = true;
}

/** Splits wpsim's flat vector into jax-js arrays {W_l, b_l}. */
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

/** Flattens jax-js {W_l, b_l} back into wpsim's layout. */
function fromParams(net, params) {
  const out = new Float64Array(net.size);
  params.forEach((p, l) => {
    out.set(p.W.dataSync(), net.weightOffsets[l]);
    out.set(p.b.dataSync(), net.biasOffsets[l]);
  });
  return out;
}

/**
 * Builds a jitted Hv for the problem and returns { hv(): Float64Array, time(repeats) }.
 */
export async function jaxHvPeer(net, data, w, v) {
  await ensureInit();
  const X = np.array(data.inputs, { dtype: np.float64 }).reshape([data.count, data.nIn]);
  const T = np.array(data.targets, { dtype: np.float64 }).reshape([data.count, data.nOut]);
  const L = net.layers.length - 1;

  function loss(params, x, t) {
    let y = x;
    for (let l = 0; l < L; l++) {
      const z = np.matmul(y, params[l].W.transpose()).add(params[l].b);
      y = l < L - 1 ? np.tanh(z) : z;
    }
    // E = Σ_p [lse(x_p) Σ_k t_pk − t_p·x_p]
    const lse = nn.logsumexp(y.ref, -1);
    return lse.mul(np.sum(t.ref, -1)).sum().sub(np.sum(t.mul(y)));
  }
  const gradLoss = grad(loss);
  const hvp = jit((params, dir, x, t) => jvp((p) => gradLoss(p, x, t), [params], [dir])[1]);

  const params = toParams(net, w);
  const dir = toParams(net, v);
  const run = () => {
    const out = hvp(tree(params), tree(dir), X.ref, T.ref);
    // dataSync() takes ownership of each output array (jax-js move semantics).
    return fromParams(net, out);
  };
  return { run };
}

/** A fresh reference to every leaf (jax-js arguments are consumed). */
function tree(params) {
  return params.map((p) => ({ W: p.W.ref, b: p.b.ref }));
}
