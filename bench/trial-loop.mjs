/**
 * The trial loop at the kernels' speed (issue 17), with peers doing the same trials side by side:
 * bulk draws, synapse-population updates against a stream loop over the same bytes, iris
 * one-sided moment trials through the real loop (simulate()), and online antithetic WP training
 * on MNIST 7×7 (49-16-10) and 28×28 (784-100-10) built from the library pieces
 * (drawPerturbation, LayeredForward.antitheticSampleLoss, the store's step), and the real loop
 * (simulate()) on the ready MNIST scenarios, bench/scenario-loop.mjs. Peers: a plain numpy
 * loop (bench/numpy-peer.py, same nets, weights and data) and jax-js under jit
 * (bench/jaxjs-trial-peer.mjs). Both wall-clock and CPU rates are printed: the machine is shared,
 * and CPU time is what the loop itself costs. `npm run build` first.
 *
 *   node bench/trial-loop.mjs [--quick] [--no-peers]
 */
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Rng } from '../dist/random/rng.js';
import { drawPerturbation } from '../dist/synapse/perturbation.js';
import { createPopulation } from '../dist/synapse/index.js';
import { scenarioSchema } from '../dist/scenario/schema.js';
import { buildDirection, buildProblem } from '../dist/scenario/problems.js';
import { simulate } from '../dist/sim/simulate.js';
import { layeredNet } from '../dist/nets/layered.js';
import { randomLayeredWeights } from '../dist/nets/random.js';
import { layeredForward } from '../dist/exact/layered/forward.js';
import { mnistSplit } from '../dist/data/mnist.js';
import { irisDataset } from '../dist/scenario/datasets.js';
import { scenarioRate } from './scenario-loop.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const peers = !args.includes('--no-peers');
const print = (s = '') => process.stdout.write(`${s}\n`);
const e = (x) => x.toExponential(2);
const f1 = (x) => (x >= 100 ? Math.round(x).toString() : x.toPrecision(3));

/** Runs fn repeatedly for `seconds` (after a warm-up); returns {wall, cpu} calls per second. */
function rate(fn, seconds, batch = 1) {
  const warm = performance.now() + 200;
  while (performance.now() < warm) fn();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let calls = 0;
  const end = t0 + seconds * 1000;
  while (performance.now() < end) {
    for (let k = 0; k < batch; k++) fn();
    calls += batch;
  }
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { wall: calls / wall, cpu: calls / ((c.user + c.system) / 1e6), calls };
}

const seconds = quick ? 1 : 3;
print(`- date: ${new Date().toISOString()}; machine: ${os.cpus()[0]?.model ?? '?'}, ${os.cpus().length} cores; node ${process.version}`);
print(`- load average at start: ${os.loadavg().map((x) => x.toFixed(1)).join(', ')} (rates: wall clock / CPU time of this process)`);
print();

// ---- Draws ----
print('### Bulk perturbation draws (n = 100 000 per call)');
print();
print('| law | draws/s, wall | draws/s, CPU |');
print('|---|---|---|');
{
  const rng = new Rng(1);
  const out = new Float64Array(100_000);
  for (const law of ['rademacher', 'gaussian', 'uniform']) {
    const r = rate(() => drawPerturbation(law, 0.01, rng, out), seconds);
    print(`| ${law} | ${e(r.wall * out.length)} | **${e(r.cpu * out.length)}** |`);
  }
}
print();

// ---- Population updates against a stream loop ----
print('### Population updates: one trial of the whole population, against a stream loop on as many bytes');
print();
print('Bytes per synapse-update: wp 56 (reads Δw and 3 sums, writes 3), moment 88 (Δw, v, 5 sums read; 5 written);');
print('the reference is memcpy (TypedArray.set) of a buffer of as many bytes, counted as read + write.');
print();
print('| estimator | n | ns/synapse, CPU | GB/s, CPU | memcpy GB/s, CPU |');
print('|---|---|---|---|---|');
for (const n of [10_000, 79_510, 1_000_000]) {
  const rng = new Rng(9);
  const v = rng.fillGaussian(new Float64Array(n));
  const dw = rng.fillGaussian(new Float64Array(n), 0.05);
  for (const [spec, bytes] of [[{ name: 'wp' }, 56], [{ name: 'moment' }, 88]]) {
    const pop = createPopulation(spec, { size: n, law: 'gaussian', sigma: 0.05, kappa: 3, antithetic: false }, v);
    let t = 0;
    const b = { trial: 0, dEPlus: 0.01, dEMinus: NaN, p: 0.3, sums: new Float64Array(0) };
    const r = rate(() => { b.trial = ++t; b.dEPlus = 0.01 + 1e-3 * Math.sin(t); pop.update(b, dw); }, seconds / 2);
    const src = new Float64Array((n * bytes) / 16);
    const dst = new Float64Array(src.length);
    const stream = rate(() => dst.set(src), seconds / 2);
    const streamBytes = n * bytes;
    print(`| ${spec.name} | ${n} | ${f1(1e9 / (r.cpu * n))} | ${f1((r.cpu * n * bytes) / 1e9)} | ${f1((stream.cpu * streamBytes) / 1e9)} |`);
  }
}
print();

// ---- iris through the real loop ----
const irisScenario = { name: 'bench', problem: { kind: 'iris' }, perturbation: { sigma: 0.01, distribution: 'gaussian' }, estimator: { name: 'moment' }, trials: 1e9, probeEvery: 1e9, seed: 1 };
const s = scenarioSchema.parse(irisScenario);
const irisProblem = buildProblem(s, '.');
const irisV = buildDirection(s, irisProblem);
const irisData = irisDataset();
async function irisLoop(budget) {
  const spec = {
    problem: irisProblem, v: irisV,
    perturbation: { law: 'gaussian', sigma: 0.01, antithetic: false },
    estimator: s.estimator, trials: s.trials, probeEvery: s.trials, seed: s.seed,
  };
  // The setup (exact reference: n Hv products) is timed by a one-trial run and left out.
  const t1 = performance.now();
  const c1 = process.cpuUsage();
  await simulate({ ...spec, trials: 1, probeEvery: 1 });
  const setup = performance.now() - t1;
  const cs = process.cpuUsage(c1);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const result = await simulate(spec, { signal: AbortSignal.timeout(Math.ceil(setup + budget * 1000)), chunkMs: 20 });
  const c = process.cpuUsage(c0);
  const cpuSeconds = (c.user + c.system - cs.user - cs.system) / 1e6;
  return { wall: result.trialsRun / ((performance.now() - t0 - setup) / 1000), cpu: result.trialsRun / cpuSeconds };
}

// ---- MNIST online antithetic WP ----
function onlineTrainer(resolution, hidden, law, trainCount) {
  const split = mnistSplit({ resolution, trainCount, testCount: 1000 });
  const net = layeredNet([resolution * resolution, hidden, 10], ['tanh', 'linear'], 'softmax-cross-entropy');
  const forward = layeredForward(net, split.train, { batchCapacity: 0 });
  const { w, dw } = forward.weightStore();
  w.set(randomLayeredWeights(net, Rng.derive(1, 'init'), 1));
  const w0 = Float64Array.from(w);
  const testForward = layeredForward(net, split.test);
  const sigma = 1e-3;
  // 784-100-10: at η = 1e-4 the test loss falls for ~10 000 trials and then climbs back above its start;
  // 5e-5 keeps falling over 40 000 (measured 2026-11-28), as long runs of this loop need.
  const eta = resolution === 7 ? 5e-4 : 5e-5;
  const pert = Rng.derive(1, 'perturbation');
  const data = Rng.derive(1, 'data');
  const pair = new Float64Array(2);
  const count = split.train.count;
  const k = -eta / (sigma * sigma);
  // The store's sweeps (drawSigns, stepWeights) on the wasm kernels; the same trial with the
  // JavaScript pieces (drawPerturbation, a scalar loop for the step) as `trialJs`.
  const trial = () => {
    const p = data.int(count);
    if (law === 'rademacher') forward.drawSigns(pert, sigma);
    else drawPerturbation(law, sigma, pert, dw);
    forward.antitheticSampleLoss(w, dw, p, pair);
    forward.stepWeights(k * 0.5 * (pair[0] - pair[1]));
  };
  const trialJs = () => {
    const p = data.int(count);
    drawPerturbation(law, sigma, pert, dw);
    forward.antitheticSampleLoss(w, dw, p, pair);
    const step = k * 0.5 * (pair[0] - pair[1]);
    for (let i = 0; i < w.length; i++) w[i] += step * dw[i];
  };
  return { net, split, w, w0, trial, trialJs, sigma, eta, testLoss: (x) => testForward.loss(x, null, 0) / split.test.count };
}

print('### Trials per second');
print();
print('| workload | wpsim, wall | wpsim, CPU | floor | numpy, CPU | wpsim / numpy | jax-js, CPU | wpsim / jax-js |');
print('|---|---|---|---|---|---|---|---|');
const rows = [];
const ir = await irisLoop(seconds * 2);
rows.push({ label: 'iris 4-10-3, 150 patterns, one-sided moment (simulate())', r: ir, floor: 1e5, key: 'iris' });
// The real loop on the ready MNIST scenarios: simulate() with exact SGD alongside, E(w) read
// every trial (a new sample), train mode's rows (test accuracy on 2000 images, E over the 8000
// training images) every 20 000 trials on 49-16-10; 784-100-10 without rows (one costs ~1 s).
const gaussian = 'perturbation={"sigma":0.01,"antithetic":true}';
const realLoops = [
  ['MNIST 7×7 49-16-10 online antithetic cdma (±1) WP, simulate() on mnist-wp-cdma', 'mnist-wp-cdma', [], 2e5, 'mnist7r'],
  ['MNIST 7×7 49-16-10 online antithetic Gaussian WP, simulate() on mnist-wp-cdma', 'mnist-wp-cdma', [gaussian], 2e5, 'mnist7'],
  ['MNIST 784-100-10 online antithetic cdma (±1) WP, simulate() on mnist-784-wp-cdma', 'mnist-784-wp-cdma', ['probeEvery=100000000'], 5e3, 'mnist28r'],
  ['MNIST 784-100-10 online antithetic Gaussian WP, simulate() on mnist-784-wp-cdma', 'mnist-784-wp-cdma', ['probeEvery=100000000', gaussian.replace('0.01', '0.001')], 5e3, 'mnist28'],
];
for (const [label, name, overrides, floor, key] of realLoops) {
  const r = await scenarioRate(name, seconds * 2, overrides);
  rows.push({ label, r, floor, key, real: true });
}
const trainers = {
  mnist7: onlineTrainer(7, 16, 'gaussian', 8000),
  mnist7r: onlineTrainer(7, 16, 'rademacher', 8000),
  mnist28: onlineTrainer(28, 100, 'gaussian', 8000),
  mnist28r: onlineTrainer(28, 100, 'rademacher', 8000),
};
const labels = {
  mnist7: ['MNIST 7×7 49-16-10 online antithetic WP, Gaussian', 2e5],
  mnist7r: ['MNIST 7×7 49-16-10 online antithetic WP, ±1', 2e5],
  mnist28: ['MNIST 784-100-10 online antithetic WP, Gaussian', 5e3],
  mnist28r: ['MNIST 784-100-10 online antithetic WP, ±1', 5e3],
};
const learned = {};
for (const [key, t] of Object.entries(trainers)) {
  const before = t.testLoss(t.w);
  const r = rate(t.trial, seconds, 64);
  learned[key] = { before, after: t.testLoss(t.w), trials: r.calls };
  rows.push({ label: labels[key][0], r, floor: labels[key][1], key });
  if (key.endsWith('r')) {
    const rJs = rate(t.trialJs, seconds, 64);
    rows.push({ label: `${labels[key][0]}, JS sweeps (fillSigns, scalar step loop)`, r: rJs, floor: labels[key][1], key: `${key}-js` });
  }
}

let numpy = null;
let jaxRates = {};
if (peers) {
  const py = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
  if (py.status === 0) {
    const t7 = trainers.mnist7;
    const t28 = trainers.mnist28;
    const layout = (net) => ({ layers: net.layers, woff: net.weightOffsets, boff: net.biasOffsets });
    const job = {
      seconds,
      jobs: {
        iris: { kind: 'iris', ...layout(irisProblem.oracle.net), X: Array.from(irisData.inputs), T: Array.from(irisData.targets), w: Array.from(irisProblem.w0), v: Array.from(irisV), sigma: 0.01 },
        mnist7: { kind: 'online', ...layout(t7.net), X: Array.from(t7.split.train.inputs), T: Array.from(t7.split.train.targets), w: Array.from(t7.w0), sigma: t7.sigma, eta: t7.eta },
        mnist28: { kind: 'online', ...layout(t28.net), X: Array.from(t28.split.train.inputs.subarray(0, 784 * 2000)), T: Array.from(t28.split.train.targets.subarray(0, 20000)), w: Array.from(t28.w0), sigma: t28.sigma, eta: t28.eta },
      },
    };
    job.jobs.mnist7r = { ...job.jobs.mnist7, law: 'rademacher' };
    job.jobs.mnist28r = { ...job.jobs.mnist28, law: 'rademacher' };
    const script = fileURLToPath(new URL('./numpy-peer.py', import.meta.url));
    const out = spawnSync('python3', [script], { input: JSON.stringify(job), encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' } });
    if (out.status === 0) numpy = JSON.parse(out.stdout);
    else print(`numpy peer failed: ${out.stderr.split('\n').slice(-3).join(' ')}`);
  } else {
    print('numpy is not available to python3 here: no numpy peer.');
  }
  try {
    const { jaxBatchLoss, jaxOnlineStep } = await import('./jaxjs-trial-peer.mjs');
    const jLoss = jaxBatchLoss(irisProblem.oracle.net, irisData, irisProblem.w0);
    const pop = createPopulation({ name: 'moment' }, { size: irisProblem.size, law: 'gaussian', sigma: 0.01, kappa: 3, antithetic: false }, irisV);
    const jr = new Rng(5);
    const jdw = new Float64Array(irisProblem.size);
    const E0 = irisProblem.loss(irisProblem.w0);
    let jt = 0;
    const b = { trial: 0, dEPlus: 0, dEMinus: NaN, p: 0, sums: new Float64Array(0) };
    jaxRates.iris = rate(() => {
      drawPerturbation('gaussian', 0.01, jr, jdw);
      b.trial = ++jt;
      b.dEPlus = jLoss(jdw) - E0;
      let p = 0;
      for (let i = 0; i < jdw.length; i++) p += jdw[i] * irisV[i];
      b.p = p;
      pop.update(b, jdw);
    }, seconds);
    for (const key of ['mnist7', 'mnist7r', 'mnist28', 'mnist28r']) {
      const t = trainers[key];
      const step = jaxOnlineStep(t.net, t.split.train, t.w0, t.eta, t.sigma);
      const dwj = new Float64Array(t.net.size);
      const dr = new Rng(3);
      const law = key.endsWith('r') ? 'rademacher' : 'gaussian';
      jaxRates[key] = rate(() => {
        drawPerturbation(law, t.sigma, dr, dwj);
        step(dwj, dr.int(t.split.train.count));
      }, seconds);
    }
  } catch (err) {
    print(`jax-js peer failed: ${err.message}`);
    jaxRates = {};
  }
}

for (const { label, r, floor, key } of rows) {
  const np = numpy?.[key]?.cpu;
  const jx = jaxRates[key]?.cpu;
  print(`| ${label} | ${f1(r.wall)} | **${f1(r.cpu)}** | ${floor} | ${np ? f1(np) : '–'} | ${np ? `${(r.cpu / np).toFixed(1)}×` : '–'} | ${jx ? f1(jx) : '–'} | ${jx ? `${(r.cpu / jx).toFixed(0)}×` : '–'} |`);
}
print();
if (numpy) print(`numpy ${numpy.numpy} (one BLAS thread). numpy's 784-100-10 loop samples from the first 2000 training images (the cost does not depend on which).`);
print();
print('Learning check (mean test loss per image, 1000 test images, before → after the timed trials):');
for (const [key, l] of Object.entries(learned)) print(`- ${labels[key][0]}: ${l.before.toFixed(4)} → ${l.after.toFixed(4)} after ${l.calls ?? l.trials} trials`);
