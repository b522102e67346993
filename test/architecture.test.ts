import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './helpers/cli.js';

/** The walls of DESIGN.md: imports that must never exist. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]);
}

const SRC = join(ROOT, 'src');
const walls: [string, string[]][] = [
  ['synapse', ['exact', 'nets', 'sim', 'scenario', 'cli', 'output', 'io']],
  ['exact', ['cli', 'output', 'sim', 'synapse', 'scenario']],
  ['nets', ['exact', 'cli', 'output', 'sim', 'synapse']],
  ['sim', ['cli', 'output']],
  ['linalg', ['exact', 'nets', 'synapse', 'sim', 'cli', 'output']],
  // The wasm kernels are leaf numerics like linalg: they know nothing of nets or the simulator.
  ['wasm', ['exact', 'nets', 'synapse', 'sim', 'scenario', 'cli', 'output', 'io', 'linalg']],
];

describe('import walls', () => {
  for (const [room, forbidden] of walls) {
    it(`src/${room} never imports ${forbidden.join(', ')}`, () => {
      for (const file of sourceFiles(join(SRC, room))) {
        for (const spec of importsOf(file)) {
          if (!spec.startsWith('.')) continue;
          const target = relative(SRC, join(file, '..', spec)).split('/')[0];
          expect(forbidden, `${relative(ROOT, file)} imports ${spec}`).not.toContain(target);
        }
      }
    });
  }

  it('the checker sees imports (a synapse file imports ./broadcast.js)', () => {
    expect(importsOf(join(SRC, 'synapse', 'moment.ts'))).toContain('./broadcast.js');
  });
});
