import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { ROOT } from './helpers/cli.js';

/**
 * The walls of docs/architecture.md: imports that must never exist. The house reads one way:
 * scenario → app → (problem, oracle | chip, mode, trial loop) → rows → sinks.
 */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

interface Import {
  spec: string;
  /** `import type …` / `export type …`: erased at compile time, no runtime dependency. */
  typeOnly: boolean;
}

/** Every import of a file: static (`import … from`, `export … from`), side-effect (`import '…'`) and dynamic (`import('…')`). */
export function importsOf(text: string): Import[] {
  const found: Import[] = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?\bfrom\s+['"]([^'"]+)['"]/gm)) found.push({ spec: m[3], typeOnly: m[2] !== undefined });
  for (const m of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) found.push({ spec: m[1], typeOnly: false });
  for (const m of text.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push({ spec: m[1], typeOnly: false });
  return found;
}

const SRC = join(ROOT, 'src');
/** The room (top folder of src/) a relative import from `file` lands in. */
const roomOf = (file: string, spec: string): string => relative(SRC, join(dirname(file), spec)).split('/')[0];

const walls: [string, string[]][] = [
  // A synapse sees broadcasts and its own slots only: never the oracle, the net or the loop.
  ['synapse', ['exact', 'nets', 'sim', 'scenario', 'cli', 'output', 'io', 'app', 'approx', 'analysis']],
  ['exact', ['cli', 'output', 'sim', 'synapse', 'scenario', 'app', 'io', 'approx']],
  ['approx', ['cli', 'output', 'sim', 'synapse', 'scenario', 'app', 'io']],
  ['nets', ['exact', 'cli', 'output', 'sim', 'synapse', 'app', 'approx']],
  // The model is headless: the loop never reaches the sinks, the CLI or the app that drives it.
  ['sim', ['cli', 'output', 'app', 'scenario', 'io', 'parallel']],
  // Worker threads and shard files compute and carry blocks; the app decides where they go.
  ['parallel', ['cli', 'app', 'output']],
  ['linalg', ['exact', 'nets', 'synapse', 'sim', 'cli', 'output', 'app']],
  // Data sets are data: no oracle, no simulator.
  ['data', ['exact', 'sim', 'synapse', 'cli', 'output', 'app', 'approx', 'scenario']],
  // io parses and serialises; it never builds oracles.
  ['io', ['exact', 'sim', 'synapse', 'cli', 'output', 'app', 'approx']],
  // Sinks consume rows; they never drive the app.
  ['output', ['app', 'cli']],
  ['app', ['cli']],
  // The wasm kernels are leaf numerics like linalg: they know nothing of nets or the simulator.
  ['wasm', ['exact', 'nets', 'synapse', 'sim', 'scenario', 'cli', 'output', 'io', 'linalg', 'app']],
];

describe('import walls', () => {
  for (const [room, forbidden] of walls) {
    it(`src/${room} never imports ${forbidden.join(', ')}`, () => {
      for (const file of sourceFiles(join(SRC, room))) {
        for (const { spec } of importsOf(readFileSync(file, 'utf8'))) {
          if (!spec.startsWith('.')) continue;
          expect(forbidden, `${relative(ROOT, file)} imports ${spec}`).not.toContain(roomOf(file, spec));
        }
      }
    });
  }

  it('src/output uses the model only through types (a sink never calls it)', () => {
    for (const file of sourceFiles(join(SRC, 'output'))) {
      for (const { spec, typeOnly } of importsOf(readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('.') || typeOnly) continue;
        expect(['sim', 'exact', 'synapse', 'approx'], `${relative(ROOT, file)} imports ${spec}`).not.toContain(roomOf(file, spec));
      }
    }
  });

  it('src/exact has no import cycle', () => {
    const files = sourceFiles(join(SRC, 'exact'));
    const edges = new Map(files.map((f) => [f, importsOf(readFileSync(f, 'utf8'))
      .filter((i) => i.spec.startsWith('.'))
      .map((i) => join(dirname(f), i.spec).replace(/\.js$/, '.ts'))
      .filter((t) => files.includes(t))]));
    const state = new Map<string, 'open' | 'done'>();
    const visit = (f: string, path: string[]): void => {
      if (state.get(f) === 'done') return;
      expect(state.get(f), `cycle: ${[...path, f].map((p) => relative(SRC, p)).join(' → ')}`).not.toBe('open');
      state.set(f, 'open');
      for (const t of edges.get(f) ?? []) visit(t, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
  });

  it('the scanner sees static, type-only, side-effect and dynamic imports', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../b/b.js';",
      "export * from './c.js';",
      "import './side-effect.js';",
      "const m = await import('../dynamic/d.js');",
    ].join('\n');
    expect(importsOf(text)).toEqual([
      { spec: './a.js', typeOnly: false },
      { spec: '../b/b.js', typeOnly: true },
      { spec: './c.js', typeOnly: false },
      { spec: './side-effect.js', typeOnly: false },
      { spec: '../dynamic/d.js', typeOnly: false },
    ]);
    expect(importsOf(readFileSync(join(SRC, 'synapse', 'moment.ts'), 'utf8')).map((i) => i.spec)).toContain('./broadcast.js');
  });
});
