import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from '../helpers/cli.js';
import { fixtures } from './fixtures.js';

/** The first python3 that imports pandas and matplotlib: $PYTHON, python3 on PATH, Debian's. */
function findPython(): string | null {
  for (const candidate of [process.env.PYTHON, 'python3', '/usr/bin/python3']) {
    if (candidate === undefined) continue;
    const r = spawnSync(candidate, ['-c', 'import pandas, matplotlib'], { encoding: 'utf8' });
    if (r.status === 0) return candidate;
  }
  return null;
}

const python = findPython();
const fx = fixtures();

describe('docs/python.md', () => {
  it.skipIf(python === null)(`its snippets run on a real run and sweep and write the figure${python === null ? ' (SKIPPED: no python3 with pandas and matplotlib; apt-get install python3-pandas python3-matplotlib)' : ''}`, () => {
    const doc = readFileSync(join(ROOT, 'docs/python.md'), 'utf8');
    const blocks = [...doc.matchAll(/```python\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks.length).toBe(3);
    let script = blocks.join('\n');
    // The only change: the two example paths become the test's own directories.
    const paths: [RegExp, string][] = [
      [/^run_dir = Path\("[^"]*"\)/m, `run_dir = Path(${JSON.stringify(fx.runs.get('iris-moment-antithetic'))})`],
      [/^sweep_dir = Path\("[^"]*"\)/m, `sweep_dir = Path(${JSON.stringify(fx.categorical)})`],
    ];
    for (const [pattern, line] of paths) {
      expect(script).toMatch(pattern);
      script = script.replace(pattern, line);
    }
    const cwd = tempDir('wpsim-python-');
    writeFileSync(join(cwd, 'snippet.py'), script);
    const r = spawnSync(python as string, ['snippet.py'], { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, MPLBACKEND: 'Agg', MPLCONFIGDIR: cwd } });
    expect(r.stderr).not.toMatch(/Traceback/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^complete after 400 trials$/m);
    // The per-estimator table names every estimator of the sweep.
    for (const name of ['moment', 'seed', 'wp']) expect(r.stdout).toMatch(new RegExp(`^${name}\\b`, 'm'));
    const figure = join(cwd, 'curves-z_rel_err.pdf');
    expect(existsSync(figure)).toBe(true);
    expect(readFileSync(figure).subarray(0, 5).toString()).toBe('%PDF-');
  });
});
