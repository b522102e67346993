/**
 * wpsim benchmarks: `npm run bench` (builds first). Prints markdown tables, with the machine
 * they ran on, for docs/benchmarks.md. Peers run side by side in the same process, alternating
 * rounds, and results are reported as ratios: the machines are shared and noisy.
 *
 *   node bench/run.mjs [--quick] [--only oracle,simulator]
 */
import os from 'node:os';
import { createRequire } from 'node:module';
import { gemmNT } from '../dist/linalg/gemm.js';
import { instantiateKernels } from '../dist/wasm/kernels.js';
import { relErr } from '../dist/linalg/blas1.js';
import { LayeredOracle } from '../dist/exact/layered/oracle.js';
import { randomLayeredProblem } from '../dist/nets/random.js';
import { Rng } from '../dist/random/rng.js';
import { medianMs } from '../dist/perf/timing.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyArg = args.indexOf('--only');
const only = onlyArg >= 0 ? new Set(args[onlyArg + 1].split(',')) : null;
const want = (name) => only === null || only.has(name);
const version = createRequire(import.meta.url)('../package.json').version;

const print = (s = '') => process.stdout.write(`${s}\n`);
const fmt = (x, d = 3) => (x >= 100 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toPrecision(d));

print(`# wpsim ${version} benchmarks`);
print();
print(`- date: ${new Date().toISOString()}`);
print(`- machine: ${os.cpus()[0]?.model ?? 'unknown cpu'}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}`);
print(`- node ${process.version}, V8 ${process.versions.v8}`);
print();

/**
 * Alternating rounds of several timed functions (each round: a median over `inner[k]` calls of
 * function k, so each runs at its own steady state); returns the median of the rounds per
 * function.
 */
function sideBySide(fns, rounds, inner) {
  const times = fns.map(() => []);
  const counts = Array.isArray(inner) ? inner : fns.map(() => inner);
  for (let r = 0; r < rounds; r++) {
    fns.forEach((fn, k) => times[k].push(medianMs(fn, counts[k], 1)));
  }
  return times.map((t) => {
    t.sort((a, b) => a - b);
    return t[t.length >> 1];
  });
}

if (want('oracle')) {
  // gemm kernel throughput on the first layer's shape.
  {
    const m = 256, n = 256, k = 784;
    const rng = new Rng(3);
    const A = rng.fillGaussian(new Float64Array(m * k));
    const B = rng.fillGaussian(new Float64Array(n * k));
    const C = new Float64Array(m * n);
    const ms = medianMs(() => gemmNT(m, n, k, 1, A, 0, k, B, 0, k, 0, C, 0, n), quick ? 5 : 15, 3);
    // The wasm pass's product kernel on the same shape: C (m × n) = A (m × k) · Bᵀ stored k × n.
    const wk = instantiateKernels(8 * (m * k + k * n + m * n) + 64);
    const heap = new Float64Array(wk.memory.buffer);
    heap.set(A, 0);
    heap.set(B, m * k);
    const wasmMs = medianMs(() => wk.gemm_nn(m, n, k, 0, k, 8 * m * k, n, 8 * (m * k + k * n), n, 0, -1), quick ? 5 : 15, 3);
    print('## gemm kernels');
    print();
    print('256×784 times 784×256, float64, one core:');
    print();
    print(`- JavaScript gemmNT (register-blocked, scalar): ${fmt(ms)} ms, **${fmt((2 * m * n * k) / ms / 1e6)} GFLOP/s**`);
    print(`- WebAssembly gemm_nn (f64x2 SIMD): ${fmt(wasmMs)} ms, **${fmt((2 * m * n * k) / wasmMs / 1e6)} GFLOP/s**`);
    print();
  }

  const { jaxHvPeer } = await import('./jaxjs-peer.mjs');
  print('## Hv: R{backprop} against loss+gradient and against jax-js 0.1.25');
  print();
  print('Net: tanh hidden layers, linear outputs, softmax cross-entropy summed over the batch; same');
  print('weights, data and v for all. wpsim: the layered pass on its WebAssembly SIMD kernels (the');
  print('default) and on its JavaScript kernels. jax-js: float64, wasm backend, `jit(jvp(grad(E)))`.');
  print('All four timings alternate round by round in one process; ratios are of medians.');
  print();
  print('| net | batch | loss+grad ms | Hv ms | Hv/grad | Hv ms, JS kernels | jax-js Hv ms | jax-js / wpsim | ‖Hv_jax − Hv‖/‖Hv‖ | ‖Hv_js − Hv‖/‖Hv‖ |');
  print('|---|---|---|---|---|---|---|---|---|---|');
  const cases = [
    { layers: [784, 256, 10], batch: 256, rounds: quick ? 3 : 7, inner: 3 },
    { layers: [4, 10, 3], batch: 150, rounds: quick ? 7 : 15, inner: 300 },
  ];
  for (const c of cases) {
    const rng = new Rng(1);
    const acts = c.layers.slice(1).map((_, l) => (l === c.layers.length - 2 ? 'linear' : 'tanh'));
    const { net, data, w } = randomLayeredProblem(c.layers, acts, 'softmax-cross-entropy', c.batch, rng);
    const v = rng.fillGaussian(new Float64Array(net.size));
    const oracle = new LayeredOracle(net, data, { kernels: 'wasm' });
    const jsOracle = new LayeredOracle(net, data, { kernels: 'js' });
    const g = new Float64Array(net.size);
    const hv = new Float64Array(net.size);
    const hvJs = new Float64Array(net.size);
    const peer = await jaxHvPeer(net, data, w, v);
    oracle.hv(w, v, hv);
    jsOracle.hv(w, v, hvJs);
    const agreement = relErr(peer.run(), hv);
    const jsAgreement = relErr(hvJs, hv);
    // Warm everything up well past V8's and jax-js's compilation.
    for (let k = 0; k < 20; k++) { oracle.gradient(w, g); oracle.hv(w, v, hv); jsOracle.hv(w, v, hvJs); }
    for (let k = 0; k < 5; k++) peer.run();
    const jaxInner = Math.max(1, Math.round(c.inner / 20));
    const [gradMs, hvMs, jsMs, jaxMs] = sideBySide(
      [() => oracle.gradient(w, g), () => oracle.hv(w, v, hv), () => jsOracle.hv(w, v, hvJs), () => peer.run()],
      c.rounds, [c.inner, c.inner, c.inner, jaxInner],
    );
    print(`| ${c.layers.join('-')} | ${c.batch} | ${fmt(gradMs)} | ${fmt(hvMs)} | ${fmt(hvMs / gradMs)} | ${fmt(jsMs)} | ${fmt(jaxMs)} | **${fmt(jaxMs / hvMs)}×** | ${agreement.toExponential(1)} | ${jsAgreement.toExponential(1)} |`);
  }
  print();
}

if (want('analysis')) {
  const { HessianOperator, topEigenpairs, lanczos } = await import('../dist/analysis/index.js');
  print('## Top Hessian eigenvalue of 784-256-10 (batch 256)');
  print();
  print('Deflated power iteration stopped at relative change and relative residual ≤ 1e-6, against');
  print('Lanczos with full reorthogonalisation (run until its top Ritz value has residual ≤ 1e-9·|θ|).');
  print();
  const rng = new Rng(1);
  const { net, data, w } = randomLayeredProblem([784, 256, 10], ['tanh', 'linear'], 'softmax-cross-entropy', 256, rng);
  const oracle = new LayeredOracle(net, data);
  const powerOp = new HessianOperator(oracle, w);
  let t0 = performance.now();
  const [top] = topEigenpairs(powerOp, 1, new Rng(2), { tol: 1e-6, maxIter: 2000 });
  const powerS = (performance.now() - t0) / 1000;
  let steps = 20;
  let ref;
  let lanczosS;
  let lanczosProducts;
  for (;;) {
    const op = new HessianOperator(oracle, w);
    t0 = performance.now();
    ref = lanczos(op, steps, new Rng(3));
    lanczosS = (performance.now() - t0) / 1000;
    lanczosProducts = op.products;
    const k = ref.steps - 1;
    if (ref.residuals[k] <= 1e-9 * Math.abs(ref.values[k]) || steps >= 200) break;
    steps *= 2;
  }
  const lmax = ref.values[ref.steps - 1];
  print('| method | λ_max | Hv products | seconds | relative difference |');
  print('|---|---|---|---|---|');
  print(`| power iteration (tol 1e-6) | ${top.value.toPrecision(10)} | ${powerOp.products} | ${fmt(powerS)} | ${(Math.abs(top.value - lmax) / Math.abs(lmax)).toExponential(1)} |`);
  print(`| Lanczos (${ref.steps} steps) | ${lmax.toPrecision(10)} | ${lanczosProducts} | ${fmt(lanczosS)} | reference |`);
  print();
}

const sections = [];
if (want('simulator')) sections.push(import('./simulator.mjs').then((m) => m.run({ quick, print, fmt })).catch((err) => {
  if (err?.code === 'ERR_MODULE_NOT_FOUND') return;
  throw err;
}));
await Promise.all(sections);
if (want('compare')) await (await import('./compare-estimators.mjs')).run({ quick, print, fmt });
if (want('sweep')) await (await import('./sweep.mjs')).run({ quick, print, fmt });
if (want('workers')) {
  const workers = await import('./estimate-workers.mjs');
  await workers.run({ quick, print, fmt });
  await workers.run({ quick, print, fmt, kind: 'iris', trialsAsked: quick ? 100_000 : 1_000_000 });
}
if (want('startup')) await (await import('./startup.mjs')).run({ quick, print, fmt });
