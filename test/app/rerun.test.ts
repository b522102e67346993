import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runScenario } from '../../src/app/run-scenario.js';
import { RunDirectorySink } from '../../src/output/run-dir-sink.js';
import { listScenarios, loadScenario } from '../../src/scenario/load.js';
import { scenarioBaseDir } from '../../src/scenario/problems.js';
import { tempDir } from '../helpers/cli.js';

/** Runs a scenario file into `out` and returns the run directory. */
async function runInto(path: string, overrides: string[], out: string): Promise<string> {
  const { scenario } = loadScenario(path, overrides);
  const sink = new RunDirectorySink({ outDir: out });
  const record = await runScenario(scenario, { baseDir: scenarioBaseDir(path), sinks: [sink] });
  expect(record.result.status, record.result.reason ?? '').toBe('complete');
  return sink.path as string;
}

/**
 * A run directory reproduces its run: `wpsim run <dir>/scenario.json` (net files are copied in
 * as net.json) gives byte-identical probes.csv and final tables. Every ready scenario, shortened.
 */
describe('run directories are rerunnable', () => {
  for (const { name, file } of listScenarios()) {
    it(`${name}: rerun from its own scenario.json gives the same bytes`, { timeout: 60_000 }, async () => {
      const raw = JSON.parse(readFileSync(file, 'utf8')) as { mode?: string; eigen?: unknown };
      const shorten = ['trials=2000', 'probeEvery=500'];
      if (raw.eigen !== undefined) shorten.push('eigen={"every":250,"updates":4}');
      if (raw.mode === 'train') shorten.push('train.every=250');
      const first = await runInto(file, shorten, tempDir());
      const again = await runInto(join(first, 'scenario.json'), [], tempDir());
      for (const f of ['probes.csv', 'synapses.csv', 'weights.csv', 'direction.csv']) {
        let a: Buffer | null = null;
        try {
          a = readFileSync(join(first, f));
        } catch {
          continue;
        }
        expect(readFileSync(join(again, f)).equals(a), f).toBe(true);
      }
      const summary = JSON.parse(readFileSync(join(again, 'summary.json'), 'utf8')) as { trialsRun: number };
      expect(summary.trialsRun).toBe(2000);
    });
  }
});
