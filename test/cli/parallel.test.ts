import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, tempDir, wpsim, writeFile } from '../helpers/cli.js';

/**
 * `wpsim run --workers N`, `--shard i/N` and `wpsim merge` of run shards (docs/formats.md,
 * "Shard directories"): the same bytes for 1, 2 and 3 workers, and for 3 shards merged; bad
 * inputs exit 2 with nothing written. These spawn the built CLI (worker threads run dist/).
 */
function quadratic(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    problem: { kind: 'quadratic', size: 24, spectrum: { min: 0.5, max: 2 } },
    perturbation: { distribution: 'gaussian', sigma: 0.05, antithetic: true },
    estimator: { name: 'moment' },
    trials: 7000,
    probeEvery: 700,
    blockSize: 500,
    seed: 5,
    ...extra,
  };
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines[lines.length - 1];
}

const read = (dir: string, f: string): Buffer => readFileSync(join(dir, f));

/** summary.json without what depends on the clock. */
function summaryOf(dir: string): Record<string, unknown> {
  const { wallSeconds: _w, startedAt: _s, ...rest } = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Record<string, unknown>;
  return rest;
}

describe('an estimate run on worker threads', () => {
  it('writes byte-identical probes.csv and synapses.csv for 1, 2 and 3 workers', { timeout: 120_000 }, () => {
    const dir = tempDir();
    const path = writeFile(dir, 's.json', quadratic('workers'));
    const runs = [1, 2, 3].map((w) => {
      const r = wpsim(['run', path, '--out', join(dir, `w${w}`), '--quiet', '--workers', String(w)]);
      expect(r.status, r.stderr).toBe(0);
      return lastLine(r.stdout);
    });
    for (const f of ['probes.csv', 'synapses.csv', 'scenario.json']) {
      if (f === 'scenario.json') continue; // its "output" differs
      expect(read(runs[1], f)).toEqual(read(runs[0], f));
      expect(read(runs[2], f)).toEqual(read(runs[0], f));
    }
    expect(summaryOf(runs[2])).toEqual(summaryOf(runs[0]));
    // Rows every 700 trials cross the 500-trial blocks: they come from merged statistics.
    const trials = read(runs[0], 'probes.csv').toString().trim().split('\n').slice(1).map((l) => Number(l.split(',')[0]));
    expect(trials).toEqual([700, 1400, 2100, 2800, 3500, 4200, 4900, 5600, 6300, 7000]);
    expect(summaryOf(runs[0])).toMatchObject({ blockSize: 500, evaluations: 2 * 7000 + 14 });
  });
});

describe('an estimate run in shards', () => {
  it('3 shards merged give the run directory of one run, byte for byte (summary but for the clock)', { timeout: 120_000 }, () => {
    const dir = tempDir();
    writeFile(dir, 's.json', quadratic('shards', { estimator: { name: 'seed', intercept: true }, perturbation: { distribution: 'gaussian', sigma: 0.05, antithetic: false } }));
    const one = wpsim(['run', 's.json', '--out', 'out', '--quiet'], { cwd: dir });
    expect(one.status, one.stderr).toBe(0);
    // Shards given out of order, one of them on two workers.
    const shards = [3, 1, 2].map((i) => {
      const r = wpsim(['run', 's.json', '--out', 'shards', '--quiet', '--shard', `${i}/3`, ...(i === 2 ? ['--workers', '2'] : [])], { cwd: dir });
      expect(r.status, r.stderr).toBe(0);
      const shardDir = resolve(dir, lastLine(r.stdout));
      expect(shardDir).toMatch(new RegExp(`-shard-${i}-of-3$`));
      expect(readdirSync(shardDir).sort()).toEqual(['scenario.json', 'shard.json', 'stats.f64']);
      return shardDir;
    });
    const merged = wpsim(['merge', ...shards, '--out', 'out', '--quiet'], { cwd: dir });
    expect(merged.status, merged.stderr).toBe(0);
    const a = resolve(dir, lastLine(one.stdout));
    const b = resolve(dir, lastLine(merged.stdout));
    expect(b).not.toBe(a);
    for (const f of ['probes.csv', 'synapses.csv', 'scenario.json']) expect(read(b, f), f).toEqual(read(a, f));
    expect(summaryOf(b)).toEqual(summaryOf(a));
  });

  it('rejects bad shard specs, missing, duplicate and foreign shards, and runs that cannot be cut: exit 2, nothing written', { timeout: 120_000 }, () => {
    const dir = tempDir();
    writeFile(dir, 's.json', quadratic('bad'));
    writeFile(dir, 'other.json', quadratic('bad', { seed: 6 }));
    writeFile(dir, 'lms.json', quadratic('lms', { estimator: { name: 'joint-lms' }, blockSize: undefined }));
    writeFile(dir, 'train.json', quadratic('train', { mode: 'train', train: { learningRate: 0.1 }, blockSize: undefined }));
    const bad = (args: string[], pattern: RegExp): void => {
      const r = wpsim(args, { cwd: dir });
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
    };
    for (const spec of ['0/3', '4/3', 'x']) bad(['run', 's.json', '--out', 'o', '--shard', spec], /--shard: must be i\/N/);
    bad(['run', 's.json', '--out', 'o', '--shard', '1/15'], /--shard: must split the run into at most 14 parts/);
    bad(['run', 'lms.json', '--out', 'o', '--workers', '2'], /estimator\.name: must be wp, moment or seed .*--workers.*joint-lms/);
    bad(['run', 'lms.json', '--out', 'o', '--shard', '1/2'], /estimator\.name: .*--shard/);
    bad(['run', 'train.json', '--out', 'o', '--workers', '2'], /--workers: applies to mode "estimate" only/);
    bad(['run', 's.json', '--out', 'o', '--workers', '0'], /--workers/);
    bad(['run', 's.json', '--out', 'o', '--set', 'estimator={"name":"joint-lms","step":0.5,"decay":100}'], /blockSize: applies to estimate runs in blocks only/);
    expect(existsSync(join(dir, 'o'))).toBe(false);

    const shard = (file: string, i: number): string => lastLine(wpsim(['run', file, '--out', 'sh', '--quiet', '--shard', `${i}/2`], { cwd: dir }).stdout);
    const [s1, s2] = [shard('s.json', 1), shard('s.json', 2)];
    const foreign = shard('other.json', 2);
    bad(['merge', s1, '--out', 'm'], /DIR: must together hold all 2 shards of the run; got "missing shard\(s\) 2"/);
    bad(['merge', s1, s1, s2, '--out', 'm'], /shard 1\/2 is given twice/);
    bad(['merge', s1, foreign, '--out', 'm'], /must be a shard of the same run/);
    bad(['merge', s1, join(dir, 'sh'), '--out', 'm'], /DIR/);
    expect(existsSync(join(dir, 'm'))).toBe(false);
    const good = wpsim(['merge', s2, s1, '--out', 'm', '--quiet'], { cwd: dir });
    expect(good.status, good.stderr).toBe(0);
  });
});

describe('a block worker that throws', () => {
  it('fails the run (status failed, its reason), with the rows of the blocks before it kept', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    const real = pathToFileURL(join(ROOT, 'dist/parallel/worker.js')).href;
    const workerPath = writeFile(dir, 'worker.mjs', `import run from '${real}';\nexport default async function (task) {\n  if (task.index === 5) throw new Error('worker threw on purpose');\n  return run(task);\n}\n`);
    // The pool runs compiled workers: import the built modules (npm test builds first).
    const dist = (p: string): string => pathToFileURL(join(ROOT, 'dist', p)).href;
    const { runScenario } = await import(dist('app/run-scenario.js')) as typeof import('../../src/app/run-scenario.js');
    const { poolBlocks } = await import(dist('parallel/pool.js')) as typeof import('../../src/parallel/pool.js');
    const { RunDirectorySink } = await import(dist('output/run-dir-sink.js')) as typeof import('../../src/output/run-dir-sink.js');
    const { scenarioSchema } = await import(dist('scenario/schema.js')) as typeof import('../../src/scenario/schema.js');
    const scenario = scenarioSchema.parse(quadratic('throws'));
    const sink = new RunDirectorySink({ outDir: join(dir, 'out') });
    const record = await runScenario(scenario, { baseDir: dir, sinks: [sink], blocks: poolBlocks(scenario, dir, 2, { workerFile: pathToFileURL(workerPath) }) });
    expect(record.result.status).toBe('failed');
    expect(record.result.reason).toMatch(/block 5 on a worker: .*worker threw on purpose/);
    expect(record.result.trialsRun).toBe(2500);
    expect(sink.path).toMatch(/-failed$/);
    const rows = readFileSync(join(sink.path as string, 'probes.csv'), 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[0]));
    expect(rows).toEqual([700, 1400, 2100, 2500]);
  });
});
