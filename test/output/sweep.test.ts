import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, wpsim, writeFile } from '../helpers/cli.js';

const base = {
  name: 'sweeptest',
  problem: { kind: 'quadratic', size: 6, spectrum: { min: 0.5, max: 2 } },
  init: { gain: 0.02 },
  perturbation: { distribution: 'gaussian', sigma: 0.05, antithetic: true },
  estimator: { name: 'moment' },
  trials: 3000,
  probeEvery: 500,
  seed: 1,
};

function sweepDir(stdout: string): string {
  const lines = stdout.trim().split('\n');
  return lines[lines.length - 1];
}

describe('wpsim sweep and merge', () => {
  const dir = tempDir();
  const scenario = writeFile(dir, 'base.json', base);
  const grid = ['--grid', 'perturbation.sigma=0.01,0.05,-1', '--grid', 'estimator={"name":"moment"},{"name":"seed","intercept":false}', '--seeds', '1..2'];

  it('shards merged give a byte-identical sweep.csv; 2 workers give the same rows as 1; a failing run is recorded and the sweep goes on', () => {
    const one = sweepDir(wpsim(['sweep', scenario, ...grid, '--workers', '1', '--out', join(dir, 'one'), '--quiet']).stdout);
    const two = sweepDir(wpsim(['sweep', scenario, ...grid, '--workers', '2', '--out', join(dir, 'two'), '--quiet']).stdout);
    const shards = [1, 2, 3].map((i) => sweepDir(wpsim(['sweep', scenario, ...grid, '--workers', '1', '--shard', `${i}/3`, '--out', join(dir, `shard${i}`), '--quiet']).stdout));
    const merged = sweepDir(wpsim(['merge', ...shards, '--out', join(dir, 'merged')]).stdout);
    const csv = readFileSync(join(one, 'sweep.csv'));
    expect(readFileSync(join(two, 'sweep.csv'))).toEqual(csv);
    expect(readFileSync(join(merged, 'sweep.csv'))).toEqual(csv);
    const lines = csv.toString().trim().split('\n');
    expect(lines).toHaveLength(1 + 3 * 2 * 2);
    // σ = −1 is rejected by the scenario schema: recorded as invalid with the message, others complete.
    const invalid = lines.filter((l) => l.includes(',invalid,'));
    expect(invalid).toHaveLength(4);
    expect(invalid[0]).toMatch(/perturbation\.sigma: must be greater than 0/);
    expect(lines.filter((l) => l.includes(',complete,'))).toHaveLength(8);
    // Each completed run has its own directory.
    expect(readdirSync(join(one, 'runs')).filter((d) => !d.startsWith('.'))).toHaveLength(8);
  });

  it('merge refuses incomplete or mixed shards', () => {
    const s1 = sweepDir(wpsim(['sweep', scenario, ...grid, '--shard', '1/2', '--out', join(dir, 'partial1'), '--quiet', '--workers', '1']).stdout);
    const r = wpsim(['merge', s1, '--out', join(dir, 'bad')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/must together hold all 12 runs of the sweep; got "missing runs 1, 3, 5/);
  });
});
