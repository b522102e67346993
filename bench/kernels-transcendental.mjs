/**
 * The transcendental wasm kernels of the trial loop, old against new in one process: the kernels
 * of a base revision (default main, assembled from `git show BASE:src/wasm/kernels.wat` with wabt
 * as scripts/build-wasm.mjs does) and of the working tree's src/wasm/kernels.wat, each in its own
 * instance, timed in alternating rounds on the same inputs. Shapes are the iris 4-10-3 forward
 * pass's: tanh_forward on 10 × 152 values (hidden units × padded patterns), logistic_forward on
 * the same, softmax_cross_entropy on 3 classes × 152 patterns (forward only). Inputs: Gaussian
 * pre-activations (σ = 1.5, seed 1) and logits (σ = 3), one-hot targets. Prints the median (and
 * the spread) of ns per element over the rounds and the ratio old/new. Needs `npm run build`
 * (for dist/random/rng.js) and git.
 *
 *   node bench/kernels-transcendental.mjs [--base REV] [--rounds N]
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import wabtFactory from 'wabt';
import { Rng } from '../dist/random/rng.js';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const base = option('--base', 'main');
const rounds = Number(option('--rounds', '21'));
const root = fileURLToPath(new URL('..', import.meta.url));
const print = (s = '') => process.stdout.write(`${s}\n`);

const wabt = await wabtFactory();
function instantiate(watText, label) {
  const module = wabt.parseWat(`${label}.wat`, new TextEncoder().encode(watText), { simd: true });
  module.validate();
  const { buffer } = module.toBinary({});
  module.destroy();
  const memory = new WebAssembly.Memory({ initial: 4 });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(buffer), { env: { memory } });
  return { memory, heap: new Float64Array(memory.buffer), ...instance.exports };
}
const oldWat = execFileSync('git', ['-C', root, 'show', `${base}:src/wasm/kernels.wat`], { encoding: 'utf8' });
const newWat = readFileSync(new URL('../src/wasm/kernels.wat', import.meta.url), 'utf8');
const kernels = { old: instantiate(oldWat, 'old'), new: instantiate(newWat, 'new') };

// Layout (byte addresses): activations in and out, logits, targets, softmax scratch.
const hidden = 10 * 152;
const classes = 3;
const P = 152;
const at = { x: 0, y: hidden * 8, logits: 2 * hidden * 8, t: 2 * hidden * 8 + classes * P * 8, dx: 2 * hidden * 8 + 2 * classes * P * 8 };
const rng = new Rng(1);
const xs = Float64Array.from({ length: hidden }, () => 1.5 * rng.gaussian());
const logits = Float64Array.from({ length: classes * P }, () => 3 * rng.gaussian());
const targets = new Float64Array(classes * P);
for (let p = 0; p < 150; p++) targets[(p % classes) * P + p] = 1;
for (const k of Object.values(kernels)) {
  k.heap.set(xs, at.x / 8);
  k.heap.set(logits, at.logits / 8);
  k.heap.set(targets, at.t / 8);
}

const cases = [
  { name: 'tanh_forward', elements: hidden, run: (k) => k.tanh_forward(hidden, at.x, at.y) },
  { name: 'logistic_forward', elements: hidden, run: (k) => k.logistic_forward(hidden, at.x, at.y) },
  { name: 'softmax_cross_entropy', elements: classes * P, run: (k) => k.softmax_cross_entropy(P, classes, P, at.logits, at.t, at.dx, -1, 0) },
];

/** ns per element of `reps` calls. */
function time(c, k, reps) {
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < reps; r++) c.run(k);
  return Number(process.hrtime.bigint() - t0) / (reps * c.elements);
}

print(`- date: ${new Date().toISOString()}; ${os.cpus()[0]?.model ?? '?'}, ${os.cpus().length} cores; node ${process.version}; load average ${os.loadavg().map((x) => x.toFixed(1)).join(', ')}`);
print(`- old: ${base}:src/wasm/kernels.wat; new: the working tree's; ${rounds} alternating rounds of ~20 ms each`);
print();
print('| kernel | old ns/element | new ns/element | old/new |');
print('|---|---|---|---|');
const quantile = (v, q) => [...v].sort((a, b) => a - b)[Math.round(q * (v.length - 1))];
for (const c of cases) {
  // Warm-up (tier-up to TurboFan), then calibrate reps to ~20 ms per timing.
  for (const k of Object.values(kernels)) for (let i = 0; i < 2000; i++) c.run(k);
  const reps = Math.max(10, Math.round(20e6 / (time(c, kernels.old, 200) * c.elements)));
  const samples = { old: [], new: [] };
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ['old', 'new'] : ['new', 'old'];
    for (const label of order) samples[label].push(time(c, kernels[label], reps));
  }
  const cell = (v) => `${quantile(v, 0.5).toFixed(2)} (${quantile(v, 0.1).toFixed(2)}–${quantile(v, 0.9).toFixed(2)})`;
  print(`| ${c.name} | ${cell(samples.old)} | ${cell(samples.new)} | ${(quantile(samples.old, 0.5) / quantile(samples.new, 0.5)).toFixed(2)}× |`);
}
