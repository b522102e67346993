import { spawnSync } from 'node:child_process';
import { appendFileSync, closeSync, mkdirSync, openSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from '../helpers/cli.js';
import { LIMITS } from '../../src/io/limits.js';

/** A case for the in-process harness (harness.mjs): CLI arguments, working directory and expectations. */
export interface HostileCase {
  id: string;
  args: string[];
  /** Expected exit code (2 bad input, 3 non-finite). */
  code: number;
  /** At least one of these must appear in the one stderr line: the field, option or path named. */
  names: string[];
  /** Text that must never appear in stderr (a file's content). */
  secret?: string;
}

export interface HarnessResult {
  id: string;
  code: number | 'threw';
  stdout: string;
  stderr: string;
  ms: number;
  maxRssMB: number;
  created: string[];
}

/** Marker written into files whose content must never be echoed. */
export const SECRET = 'SECRET-c4f1e8';

const XOR_NET = JSON.parse(readFileSync(join(ROOT, 'scenarios/nets/xor-2-2-1.json'), 'utf8')) as Record<string, unknown>;
const XOR_SCENARIO = JSON.parse(readFileSync(join(ROOT, 'scenarios/xor-wp-gradient.json'), 'utf8')) as Record<string, unknown>;

/** The sandbox: good inputs to combine with one hostile one, and the hostile files themselves. */
export interface Sandbox {
  dir: string;
  out: string;
  goodNet: string;
  goodScenario: string;
  goodSweepDir: string;
  aFile: string;
  aDir: string;
  /** Hostile files for any file argument, and the message text each may be named by. */
  files: { path: string; secret?: string; fields?: string[] }[];
  /** Named fixtures for the concrete cases of the issues. */
  named: Record<'fifo' | 'oversize' | 'secret' | 'deep' | 'outputEmpty' | 'outputNaN' | 'nanDescription' | 'nanSchema' | 'hidden1e9' | 'hidden30k' | 'boltzmannFull' | 'sweepLacksGrid' | 'sweepHuge' | 'sweepFifo', string>;
  /** Hostile directories for merge, plot, report. */
  dirs: string[];
  /** Hostile output paths (directories and files). */
  outs: string[];
  nextFile: (content: string | object) => string;
}

export function makeSandbox(): Sandbox {
  const dir = tempDir('wpsim-hostile-');
  const out = join(dir, 'out');
  mkdirSync(out);
  let counter = 0;
  const nextFile = (content: string | object): string => {
    const path = join(dir, `gen-${counter++}.json`);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };
  const put = (name: string, content: string | object): string => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };
  const goodNet = put('good-net.json', XOR_NET);
  const goodScenario = put('good-scenario.json', { ...XOR_SCENARIO, $schema: undefined, output: out, trials: 10, probeEvery: 5 });
  const aFile = put('afile', 'plain text');
  const aDir = join(dir, 'adir');
  mkdirSync(aDir);

  const fifo = join(dir, 'fifo');
  spawnSync('mkfifo', [fifo]);
  const oversize = join(dir, 'oversize.json');
  closeSync(openSync(oversize, 'w'));
  truncateSync(oversize, LIMITS.fileBytes + 1); // sparse: no disk, no time
  const secretFile = put('secret.json', `root:x:0:0:${SECRET}:/root:/bin/bash\n`);
  const binary = join(dir, 'binary.json');
  writeFileSync(binary, Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x80, 0x7d]));
  const deep = put('deep.json', `${'['.repeat(6000)}${']'.repeat(6000)}`);
  const deepSecret = put('deep-secret.json', `{"a": ${'['.repeat(100)}"${SECRET}"${']'.repeat(100)}}`);
  const nanDescription = put('nan-description.json', JSON.stringify(goodScenarioObject(out)).replace(/"description":"[^"]*"/, '"description":NaN'));
  const nanSchema = put('nan-schema.json', JSON.stringify({ ...goodScenarioObject(out), $schema: 'x' }).replace('"$schema":"x"', '"$schema":Infinity'));
  const hidden1e9 = put('hidden-1e9.json', { ...goodScenarioObject(out), network: { hidden: [1e9] } });
  const hidden30k = put('hidden-30k.json', { ...goodScenarioObject(out), network: { hidden: [30000, 30000] } });
  const boltzmannFull = put('boltzmann-full.json', { visible: 100000, hidden: 0, connections: 'full', weights: [0], patterns: [[0]] });
  const layeredHuge = put('layered-huge.json', { ...XOR_NET, layers: [2, 100000, 100000, 1] });
  const graphHuge = put('graph-huge.json', { units: 1e7, activations: ['linear'], inputUnits: [0], outputUnits: [0], connections: [], loss: 'sse', weights: [], inputs: [[0]], targets: [[0]] });
  const outputEmpty = put('output-empty.json', { ...goodScenarioObject(out), output: '' });
  const netFileFifo = put('net-file-fifo.json', { ...goodScenarioObject(out), problem: { kind: 'net-file', path: fifo } });
  const netFileZero = put('net-file-zero.json', { ...goodScenarioObject(out), problem: { kind: 'net-file', path: '/dev/zero' } });
  const sweepNoGrid = put('sweep-file-bad.json', { scenario: goodScenario, grid: { 'perturbation.sigma': [] } });
  const outputNaN = put('output-nan.json', JSON.stringify({ ...goodScenarioObject(out), output: 'x' }).replace('"output":"x"', '"output":NaN'));
  const manyKeys = put('many-keys.json', { ...goodScenarioObject(out), ...Object.fromEntries(Array.from({ length: 1000 }, (_, k) => [`k${k}`, k])) });

  // A valid sweep directory (for merge with a hostile --out), and broken ones.
  const goodSweepDir = join(dir, 'sweep-good');
  mkdirSync(goodSweepDir);
  writeFileSync(join(goodSweepDir, 'rows.json'), JSON.stringify({
    definition: { scenario: goodScenario, grid: [], seeds: [1] }, shard: null,
    rows: [{ index: 0, assignments: [], seed: 1, status: 'complete', error: '', trialsRun: 10, evaluations: 20, metrics: {} }],
  }));
  const sweepLacksGrid = join(dir, 'sweep-no-grid');
  mkdirSync(sweepLacksGrid);
  writeFileSync(join(sweepLacksGrid, 'rows.json'), JSON.stringify({ definition: { scenario: 'x', seeds: [1] }, shard: null, rows: [] }));
  const sweepHuge = join(dir, 'sweep-huge');
  mkdirSync(sweepHuge);
  closeSync(openSync(join(sweepHuge, 'rows.json'), 'w'));
  truncateSync(join(sweepHuge, 'rows.json'), LIMITS.fileBytes + 1);
  const sweepFifo = join(dir, 'sweep-fifo');
  mkdirSync(sweepFifo);
  spawnSync('mkfifo', [join(sweepFifo, 'rows.json')]);
  const sweepSecret = join(dir, 'sweep-secret');
  mkdirSync(sweepSecret);
  writeFileSync(join(sweepSecret, 'rows.json'), `${SECRET} not json`);
  const runSecret = join(dir, 'run-secret');
  mkdirSync(runSecret);
  writeFileSync(join(runSecret, 'summary.json'), `${SECRET} not json`);
  const sweepManyRuns = join(dir, 'sweep-many-runs');
  mkdirSync(sweepManyRuns);
  writeFileSync(join(sweepManyRuns, 'rows.json'), JSON.stringify({
    definition: { scenario: 'x', grid: Array.from({ length: 10 }, (_, k) => ({ path: `p${k}`, values: Array.from({ length: 100 }, (_, j) => j) })), seeds: [1] },
    shard: null, rows: [],
  }));

  return {
    dir, out, goodNet, goodScenario, goodSweepDir, aFile, aDir, nextFile,
    named: { fifo, oversize, secret: secretFile, deep, outputEmpty, outputNaN, nanDescription, nanSchema, hidden1e9, hidden30k, boltzmannFull, sweepLacksGrid, sweepHuge, sweepFifo },
    files: [
      { path: '/dev/zero' }, { path: '/dev/urandom' }, { path: '/dev/null' }, { path: fifo }, { path: oversize },
      { path: aDir }, { path: join(dir, 'missing.json') }, { path: join(aFile, 'below.json') }, { path: '' },
      { path: 'a\u0000b.json' }, { path: 'x'.repeat(300) }, { path: secretFile, secret: SECRET }, { path: '/etc/passwd', secret: 'root:x' },
      { path: '/proc/self/environ', secret: 'PATH=' }, { path: binary }, { path: deep }, { path: deepSecret, secret: SECRET },
      { path: nanDescription, fields: ['description', '(root)'] }, { path: nanSchema, fields: ['$schema', '(root)'] }, { path: hidden1e9, fields: ['network.hidden', '(root)'] }, { path: hidden30k, fields: ['network.hidden', '(root)'] }, { path: boltzmannFull, fields: ['connections', '(root)'] },
      { path: layeredHuge, fields: ['layers', '(root)'] }, { path: graphHuge, fields: ['units', '(root)'] }, { path: outputEmpty, fields: ['output', '(root)'] }, { path: netFileFifo, fields: ['problem.path', '(root)'] }, { path: netFileZero, fields: ['problem.path', '(root)'] },
      { path: sweepNoGrid, fields: ['grid', '(root)'] }, { path: manyKeys, fields: ['(root)'] },
      { path: outputNaN, fields: ['output', '(root)'] },
    ],
    dirs: [aFile, aDir, join(dir, 'missing'), '/dev/null', '', 'a\u0000b', sweepLacksGrid, sweepHuge, sweepFifo, sweepSecret, runSecret, sweepManyRuns],
    outs: ['', 'a\u0000b', 'x'.repeat(300), join(dir, 'y'.repeat(256), 'z'), aFile, join(aFile, 'below'), '/dev/null', '/proc/self/newdir'],
  };
}

function goodScenarioObject(out: string): Record<string, unknown> {
  return { ...XOR_SCENARIO, $schema: undefined, output: out, trials: 10, probeEvery: 5 };
}

/** Runs cases in one harness process; returns results by id (a case that hung has none). */
export function runHarness(cases: HostileCase[], watched: string[], timeoutMs: number): Map<string, HarnessResult> {
  const work = tempDir('wpsim-harness-');
  const casesPath = join(work, 'cases.json');
  const outPath = join(work, 'results.jsonl');
  writeFileSync(casesPath, JSON.stringify(cases.map((c) => ({ id: c.id, args: c.args, cwd: watched[0] }))));
  appendFileSync(outPath, '');
  spawnSync(process.execPath, [join(ROOT, 'test/cli/harness.mjs'), casesPath, outPath, join(ROOT, 'dist/cli/program.js'), ...watched], {
    encoding: 'utf8', timeout: timeoutMs, stdio: 'ignore',
  });
  const results = new Map<string, HarnessResult>();
  for (const line of readFileSync(outPath, 'utf8').split('\n')) {
    if (line === '') continue;
    const r = JSON.parse(line) as HarnessResult;
    results.set(r.id, r);
  }
  rmSync(work, { recursive: true, force: true });
  return results;
}
