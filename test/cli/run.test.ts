import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir, wpsim, writeFile } from '../helpers/cli.js';

const MAIN = join(ROOT, 'dist/cli/main.js');

function quadratic(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    problem: { kind: 'quadratic', size: 6, spectrum: { min: 0.5, max: 2 } },
    perturbation: { distribution: 'gaussian', sigma: 0.05 },
    estimator: { name: 'moment' },
    trials: 20_000,
    probeEvery: 2000,
    seed: 5,
    ...extra,
  };
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines[lines.length - 1];
}

describe('wpsim run', () => {
  it('prints the run directory last; the directory holds every output and a complete summary', () => {
    const dir = tempDir();
    const path = writeFile(dir, 's.json', quadratic('basic'));
    const r = wpsim(['run', path, '--out', join(dir, 'out')]);
    expect(r.status).toBe(0);
    const runDir = lastLine(r.stdout);
    expect(runDir.startsWith(join(dir, 'out', 'basic'))).toBe(true);
    expect(readdirSync(runDir).sort()).toEqual(['probes.csv', 'scenario.json', 'summary.json', 'synapses.csv', 'timing.csv']);
    const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8'));
    // 20 blocks of 1000 trials (the default blockSize), each measuring E(w) once before its trials.
    expect(summary).toMatchObject({ status: 'complete', seed: 5, scenario: 'basic', trialsRun: 20_000, evaluations: 20_020, blockSize: 1000 });
    expect(summary.version).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    const resolved = JSON.parse(readFileSync(join(runDir, 'scenario.json'), 'utf8'));
    expect(resolved.perturbation).toEqual({ distribution: 'gaussian', sigma: 0.05, antithetic: false });
    const probes = readFileSync(join(runDir, 'probes.csv'), 'utf8').trim().split('\n');
    expect(probes[0]).toBe('trial,evaluations,g_rel_err,g_cos,z_rel_err,z_cos,z_se_rel,h_diag_rel_err,g_chi2_dof,z_chi2_dof');
    expect(probes).toHaveLength(11);
    const synapses = readFileSync(join(runDir, 'synapses.csv'), 'utf8').trim().split('\n');
    expect(synapses[0]).toBe('index,w,v,g_exact,g_est,z_exact,z_est,h_diag_exact,h_diag_est,g_se,z_se');
    expect(synapses).toHaveLength(7);
    // No temporary directory is left behind.
    expect(readdirSync(join(dir, 'out', 'basic')).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('is reproducible: same scenario and seed give byte-identical CSVs; another seed does not', () => {
    const dir = tempDir();
    const path = writeFile(dir, 's.json', quadratic('repro', { estimator: { name: 'joint-lms' } }));
    const out = join(dir, 'out');
    const a = lastLine(wpsim(['run', path, '--out', out, '--quiet']).stdout);
    const b = lastLine(wpsim(['run', path, '--out', out, '--quiet']).stdout);
    const c = lastLine(wpsim(['run', path, '--out', out, '--quiet', '--seed', '6']).stdout);
    expect(a).not.toBe(b);
    for (const f of ['probes.csv', 'synapses.csv']) {
      expect(readFileSync(join(a, f))).toEqual(readFileSync(join(b, f)));
      expect(readFileSync(join(a, f))).not.toEqual(readFileSync(join(c, f)));
    }
    expect(JSON.parse(readFileSync(join(c, 'summary.json'), 'utf8')).seed).toBe(6);
  });

  it('--set overrides any field and the resolved value is recorded', () => {
    const dir = tempDir();
    const path = writeFile(dir, 's.json', quadratic('set'));
    const r = wpsim(['run', path, '--out', join(dir, 'out'), '--quiet', '--set', 'perturbation.antithetic=true', '--set', 'trials=4000', '--set', 'estimator={"name":"seed","intercept":false}']);
    expect(r.status).toBe(0);
    const runDir = lastLine(r.stdout);
    const resolved = JSON.parse(readFileSync(join(runDir, 'scenario.json'), 'utf8'));
    expect(resolved.perturbation.antithetic).toBe(true);
    expect(resolved.trials).toBe(4000);
    expect(resolved.estimator).toEqual({ name: 'seed', intercept: false });
    expect(readFileSync(join(runDir, 'probes.csv'), 'utf8')).toMatch(/z_limit_rel_err/);
  });

  it('warns in summary.json that rademacher perturbations cannot see the Hessian diagonal', () => {
    const dir = tempDir();
    const path = writeFile(dir, 's.json', quadratic('rad', { perturbation: { distribution: 'rademacher', sigma: 0.05 } }));
    const runDir = lastLine(wpsim(['run', path, '--out', join(dir, 'out'), '--quiet']).stdout);
    const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8'));
    expect(summary.warnings.join(' ')).toMatch(/cannot see the Hessian diagonal/);
    expect(readFileSync(join(runDir, 'probes.csv'), 'utf8')).toMatch(/z_offdiag_rel_err/);
    const synapses = readFileSync(join(runDir, 'synapses.csv'), 'utf8').trim().split('\n');
    // h_diag_est is empty: not estimable from ±σ trials.
    expect(synapses[1].split(',')[8]).toBe('');
  });

  it('a diverging run stops with status diverged, exit code 3, and keeps what it computed', () => {
    const dir = tempDir();
    const path = writeFile(dir, 's.json', quadratic('boom', { problem: { kind: 'quadratic', eigenvalues: [1e300, 1] }, perturbation: { sigma: 1e10 } }));
    const r = wpsim(['run', path, '--out', join(dir, 'out')]);
    expect(r.status).toBe(3);
    const runDir = lastLine(r.stdout);
    expect(runDir.endsWith('-diverged')).toBe(true);
    const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8'));
    expect(summary.status).toBe('diverged');
    expect(summary.reason).toMatch(/non-finite ΔE at trial 1/);
    expect(readFileSync(join(runDir, 'probes.csv'), 'utf8').trim().split('\n')).toHaveLength(1);
  });

  for (const workers of [[], ['--workers', '2']]) it(`Ctrl-C ends with status interrupted, exit code 130 and complete CSV rows${workers.length > 0 ? ' (blocks on 2 worker threads)' : ''}`, async () => {
    const dir = tempDir();
    const path = writeFile(dir, 's.json', quadratic('long', { trials: 500_000_000, probeEvery: 10_000 }));
    const out = join(dir, 'out');
    const child = spawn(process.execPath, [MAIN, 'run', path, '--out', out, ...workers], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    // Wait (poll, bounded) until the hidden partial run directory (output/run-dir.ts:
    // `<out>/<scenario>/.<id>.partial`) holds ROWS complete probe rows, however slow the
    // machine; then interrupt.
    const ROWS = 3;
    const partialProbes = join(out, 'long');
    const completeRows = (): number => {
      if (!existsSync(partialProbes)) return 0;
      const partial = readdirSync(partialProbes).find((name) => name.startsWith('.') && name.endsWith('.partial'));
      if (partial === undefined || !existsSync(join(partialProbes, partial, 'probes.csv'))) return 0;
      const text = readFileSync(join(partialProbes, partial, 'probes.csv'), 'utf8');
      return Math.max(0, text.split('\n').length - 2); // lines ending in \n, less the header
    };
    const deadline = Date.now() + 50_000;
    while (completeRows() < ROWS) {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill('SIGKILL');
        throw new Error(`no ${ROWS} probe rows in the partial run directory within 50 s (child exit ${child.exitCode})`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    const runDir = lastLine(stdout);
    expect(runDir.endsWith('-interrupted')).toBe(true);
    const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8'));
    expect(summary.status).toBe('interrupted');
    expect(summary.trialsRun).toBeLessThan(500_000_000);
    const lines = readFileSync(join(runDir, 'probes.csv'), 'utf8').split('\n');
    expect(lines[lines.length - 1]).toBe('');
    const width = lines[0].split(',').length;
    for (const line of lines.slice(1, -1)) expect(line.split(',')).toHaveLength(width);
    // Every row seen before the signal survives the interruption: header + ≥ ROWS rows + ''.
    expect(lines.length).toBeGreaterThanOrEqual(ROWS + 2);
    // The rows end at the last trial run, as summary.json and synapses.csv describe it.
    expect(Number(lines[lines.length - 2].split(',')[0])).toBe(summary.trialsRun);
    expect(summary.final.trial).toBe(summary.trialsRun);
  });
});

describe('wpsim list, validate, schema', () => {
  it('list shows at least six ready scenarios, all valid', () => {
    const r = wpsim(['list']);
    expect(r.status).toBe(0);
    const rows = r.stdout.trim().split('\n');
    expect(rows.length).toBeGreaterThanOrEqual(6);
    expect(r.stdout).not.toMatch(/INVALID/);
  });

  it('validate prints the resolved scenario with defaults filled in', () => {
    const r = wpsim(['validate', 'joint-lms-quadratic']);
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.estimator).toEqual({ name: 'joint-lms', step: 0.5, decay: 1000 });
    expect(r.stderr).toMatch(/^ok: /);
  });

  it('the committed JSON Schema matches `wpsim schema`', () => {
    const r = wpsim(['schema']);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(readFileSync(join(ROOT, 'scenarios/scenario.schema.json'), 'utf8')));
  });
});

describe('bad scenarios: one message with the field path, exit code 2, no output', () => {
  const dir = tempDir();
  const cases: [string, unknown, RegExp][] = [
    ['negative sigma', quadratic('x', { perturbation: { sigma: -1 } }), /perturbation\.sigma: must be greater than 0; got -1/],
    ['unknown estimator', quadratic('x', { estimator: { name: 'newton' } }), /estimator\.name: must be one of .*"moment".*; got "newton"/],
    ['unknown problem', quadratic('x', { problem: { kind: 'cifar' } }), /problem\.kind: must be one of .*; got "cifar"/],
    ['NaN trials', JSON.stringify(quadratic('x')).replace('"trials":20000', '"trials":NaN'), /trials: must be a finite number; got NaN/],
    ['fractional trials', quadratic('x', { trials: 10.5 }), /trials: must be an integer; got 10.5/],
    ['unknown field', quadratic('x', { sigma: 0.1 }), /\(root\): unknown field\(s\) sigma/],
    ['impossible quadratic', quadratic('x', { problem: { kind: 'quadratic', size: 3 } }), /problem: must give either "eigenvalues" or both "size" and "spectrum"/],
    ['network on a quadratic', quadratic('x', { network: { hidden: [3] } }), /network: is not used by problem kind "quadratic"/],
    ['missing net file', quadratic('x', { problem: { kind: 'net-file', path: 'nope.json' } }), /problem.path: must name an existing net file.*nope.json/],
  ];
  for (const [name, content, pattern] of cases) {
    it(name, () => {
      const path = writeFile(dir, `${name.replace(/\W+/g, '-')}.json`, content);
      const out = join(dir, 'out');
      const r = wpsim(['run', path, '--out', out]);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
      expect(existsSync(out)).toBe(false);
    });
  }

  it('bad --set and unknown scenario names', () => {
    for (const [args, pattern] of [
      [['run', 'no-such-scenario'], /SCENARIO: must be a scenario file or one of the ready scenarios/],
      [['run', 'antithetic-gain', '--set', 'perturbation.sigma'], /--set: must be path=value/],
      [['run', 'antithetic-gain', '--set', 'perturbation.sigma=abc'], /perturbation\.sigma: must be a finite number; got "abc"/],
      [['run', 'antithetic-gain', '--seed', '-3'], /--seed.*must be a non-negative integer/],
    ] as [string[], RegExp][]) {
      const r = wpsim(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(pattern);
    }
  });
});
