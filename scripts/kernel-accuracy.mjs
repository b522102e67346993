/**
 * The accuracy of a transcendental wasm kernel against a 50-digit reference: runs the kernel of a
 * base revision (default main, `git show BASE:src/wasm/kernels.wat`) and of the working tree on a
 * sweep of x, writes x and both outputs to a file, and has scripts/kernel-accuracy.py (python3
 * with mpmath) report each one's largest error in ulps of the exact value and any special value
 * that goes wrong. Results: docs/testing.md.
 *
 *   tanh: tanh_forward on special points, 200 000 points evenly over [0, 25), 100 000
 *         log-uniform in ±[1e-8, 100] and 100 000 uniform in [−4, 4];
 *   exp:  the internal $exp_nonpos (wrapped in an exported loop) on special points, 100 000
 *         uniform in [−750, 0], 100 000 in [−2, 0] and 50 000 log-uniform in −[1e-10, 100];
 *   log:  the internal $log_pos (wrapped the same way) on special points, 100 000 uniform in
 *         [1, 4], 100 000 in 2^[−1000, 1000)·[1, 2) and 50 000 within 5e-4 of 1.
 *
 *   node scripts/kernel-accuracy.mjs tanh|exp|log [--base REV] [--out FILE]
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
const which = args[0];
if (which !== 'tanh' && which !== 'exp' && which !== 'log') {
  process.stderr.write(`kernel: must be tanh, exp or log, got ${which}\n`);
  process.exit(2);
}
const base = option('--base', 'main');
const out = option('--out', `${which}-accuracy.txt`);
const root = fileURLToPath(new URL('..', import.meta.url));

let seed = 12345;
const uniform = () => {
  // xorshift32: a fixed, dependency-free sequence
  seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
  return (seed >>> 0) / 4294967296;
};
const xs = [];
if (which === 'tanh') {
  xs.push(0, -0, 5e-324, -5e-324, 1e-300, -1e-300, 1e-8, 0.1, 0.625, 0.6249999999999999, 1, 5, 19, 19.06, 20, 22, 40, 700,
    1e300, Infinity, -Infinity, NaN);
  for (let i = 0; i < 200_000; i++) xs.push((i * 25) / 200_000);
  for (let i = 0; i < 100_000; i++) xs.push((uniform() < 0.5 ? -1 : 1) * 10 ** (uniform() * 10 - 8));
  for (let i = 0; i < 100_000; i++) xs.push((uniform() * 2 - 1) * 4);
} else if (which === 'exp') {
  xs.push(0, -0, -5e-324, -1e-300, -1e-8, -0.34657359027997264, -1, -700, -708, -708.4, -709, -720, -740, -744, -745,
    -745.2, -746, -760, -800, -1e300, -Infinity, NaN);
  for (let i = 0; i < 100_000; i++) xs.push(-uniform() * 750);
  for (let i = 0; i < 100_000; i++) xs.push(-uniform() * 2);
  for (let i = 0; i < 50_000; i++) xs.push(-(10 ** (uniform() * 12 - 10)));
} else {
  xs.push(1, 2, 0.5, Math.SQRT2, 1.414213562373095, 1.4142135623730954, Math.SQRT1_2, 2.2250738585072014e-308,
    1.7976931348623157e308, 3, 10, 200, NaN);
  for (let i = 0; i < 100_000; i++) xs.push(1 + uniform() * 3);
  for (let i = 0; i < 100_000; i++) xs.push(2 ** Math.floor(uniform() * 2000 - 1000) * (1 + uniform()));
  for (let i = 0; i < 50_000; i++) xs.push(1 + (uniform() - 0.5) * 1e-3);
}
if (xs.length % 2 === 1) xs.push(which === 'log' ? 1.5 : -0.5);
const n = xs.length;

/** The text of `(func $name …)` in wat, by balanced parentheses (comments dropped first). */
function funcText(wat, name) {
  const text = wat.replace(/;;[^\n]*/g, '');
  const start = text.indexOf(`(func $${name} `);
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return text.slice(start, i + 1);
  }
  throw new Error(`no function $${name}`);
}

const wabt = await wabtFactory();
function run(watText) {
  const source = which === 'tanh'
    ? watText
    : `(module (import "env" "memory" (memory 1)) ${funcText(watText, `${which}_${which === 'exp' ? 'nonpos' : 'pos'}`)}
        (func (export "run") (param $n i32) (local $o i32)
          (block $done (loop $each
            (br_if $done (i32.ge_u (local.get $o) (i32.shl (local.get $n) (i32.const 3))))
            (v128.store (local.get $o) (call $${which === 'exp' ? 'exp_nonpos' : 'log_pos'} (v128.load (local.get $o))))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (br $each)))))`;
  const module = wabt.parseWat('kernels.wat', new TextEncoder().encode(source), { simd: true });
  module.validate();
  const { buffer } = module.toBinary({});
  module.destroy();
  const memory = new WebAssembly.Memory({ initial: Math.ceil((n * 8) / 65536) + 1 });
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(buffer), { env: { memory } });
  const heap = new Float64Array(memory.buffer, 0, n);
  heap.set(xs);
  if (which === 'tanh') exports.tanh_forward(n, 0, 0);
  else exports.run(n);
  return Array.from(heap);
}
const oldY = run(execFileSync('git', ['-C', root, 'show', `${base}:src/wasm/kernels.wat`], { encoding: 'utf8' }));
const newY = run(readFileSync(new URL('../src/wasm/kernels.wat', import.meta.url), 'utf8'));
const show = (v) => (Object.is(v, -0) ? '-0' : String(v));
writeFileSync(out, `${which} ${base} new\n${xs.map((x, i) => `${show(x)} ${show(oldY[i])} ${show(newY[i])}`).join('\n')}\n`);
process.stdout.write(`${n} points written to ${out}\n`);
execFileSync('python3', [fileURLToPath(new URL('./kernel-accuracy.py', import.meta.url)), out], { stdio: 'inherit' });
