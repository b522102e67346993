/**
 * Assembles src/wasm/*.wat into dist/wasm/*.wasm with wabt (SIMD enabled, validated), as the
 * second step of `npm run build`. The loader (src/wasm/kernels.ts) reads dist/wasm/ from both
 * src/ (tests) and dist/ (the CLI), which sit at the same depth below the package root.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import wabtFactory from 'wabt';

const root = fileURLToPath(new URL('..', import.meta.url));
const srcDir = join(root, 'src', 'wasm');
const outDir = join(root, 'dist', 'wasm');
mkdirSync(outDir, { recursive: true });
const wabt = await wabtFactory();
for (const file of readdirSync(srcDir).filter((f) => f.endsWith('.wat'))) {
  const module = wabt.parseWat(file, readFileSync(join(srcDir, file)), { simd: true });
  module.validate();
  const { buffer } = module.toBinary({});
  module.destroy();
  writeFileSync(join(outDir, file.replace(/\.wat$/, '.wasm')), buffer);
}
