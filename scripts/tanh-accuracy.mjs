/**
 * The accuracy of tanh_forward against a 50-digit reference: runs the kernel of a base revision
 * (default main, `git show BASE:src/wasm/kernels.wat`) and of the working tree on a sweep of x
 * (special points; 200 000 points evenly over [0, 25); 100 000 log-uniform in ±[1e-8, 100];
 * 100 000 uniform in [−4, 4]), writes x and both outputs to a file, and has
 * scripts/tanh-accuracy.py (python3 with mpmath) report each one's largest error in ulps of the
 * exact tanh and the points where a special value goes wrong. Results: docs/testing.md.
 *
 *   node scripts/tanh-accuracy.mjs [--base REV] [--out FILE]
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import wabtFactory from 'wabt';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const base = option('--base', 'main');
const out = option('--out', 'tanh-accuracy.txt');
const root = fileURLToPath(new URL('..', import.meta.url));

const special = [0, -0, 5e-324, -5e-324, 1e-300, -1e-300, 1e-8, 0.1, 0.625, 0.6249999999999999, 1, 5, 19, 19.06, 20, 22, 40, 700,
  1e300, Infinity, -Infinity, NaN];
let seed = 12345;
const uniform = () => {
  // xorshift32: a fixed, dependency-free sequence
  seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
  return (seed >>> 0) / 4294967296;
};
const xs = [...special];
for (let i = 0; i < 200_000; i++) xs.push((i * 25) / 200_000);
for (let i = 0; i < 100_000; i++) xs.push((uniform() < 0.5 ? -1 : 1) * 10 ** (uniform() * 10 - 8));
for (let i = 0; i < 100_000; i++) xs.push((uniform() * 2 - 1) * 4);
if (xs.length % 2 === 1) xs.push(0.5);
const n = xs.length;

const wabt = await wabtFactory();
function tanhOf(watText) {
  const module = wabt.parseWat('kernels.wat', new TextEncoder().encode(watText), { simd: true });
  module.validate();
  const { buffer } = module.toBinary({});
  module.destroy();
  const memory = new WebAssembly.Memory({ initial: Math.ceil((n * 8) / 65536) + 1 });
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(buffer), { env: { memory } });
  const heap = new Float64Array(memory.buffer, 0, n);
  heap.set(xs);
  exports.tanh_forward(n, 0, 0);
  return Array.from(heap);
}
const oldY = tanhOf(execFileSync('git', ['-C', root, 'show', `${base}:src/wasm/kernels.wat`], { encoding: 'utf8' }));
const newY = tanhOf(readFileSync(new URL('../src/wasm/kernels.wat', import.meta.url), 'utf8'));
const show = (v) => (Object.is(v, -0) ? '-0' : String(v));
writeFileSync(out, `x ${base} new\n${xs.map((x, i) => `${show(x)} ${show(oldY[i])} ${show(newY[i])}`).join('\n')}\n`);
process.stdout.write(`${n} points written to ${out}\n`);
execFileSync('python3', [fileURLToPath(new URL('./tanh-accuracy.py', import.meta.url)), out], { stdio: 'inherit' });
