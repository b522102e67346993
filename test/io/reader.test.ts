import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseJsonText, validate } from '../../src/io/json.js';
import { readInputFile } from '../../src/io/files.js';
import { LIMITS } from '../../src/io/limits.js';
import { netFromJson } from '../../src/io/netfile.js';
import { describeValue, InputError, listForMessage } from '../../src/errors.js';
import { checkOutputDir, checkOutputFile, RunDirectory, runParentDir } from '../../src/output/run-dir.js';
import { outlineProblem } from '../../src/scenario/outline.js';
import { scenarioSchema } from '../../src/scenario/schema.js';
import { tempDir } from '../helpers/cli.js';

const messageOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as Error).message;
  }
  throw new Error('expected an InputError');
};

describe('the JSON reader', () => {
  it('reports a syntax error by line and column and never quotes the text', () => {
    expect(messageOf(() => parseJsonText('{\n  "a": 1,\n  "b": secret-token\n}', 'f.json')))
      .toBe('f.json: (file): must be valid JSON: invalid symbol at line 3, column 8');
    expect(messageOf(() => parseJsonText('root:x:0:0:hunter2', 'f'))).not.toMatch(/root|hunter2/);
    expect(messageOf(() => parseJsonText('', 'f'))).toBe('f: (file): must be valid JSON: value expected at line 1, column 1');
  });

  it('maps positions back across NaN/Infinity tokens it tolerated', () => {
    // The error (a missing comma) is after two replaced tokens: its column is in the original text.
    expect(messageOf(() => parseJsonText('[NaN, -Infinity, 1 2]', 'f'))).toBe('f: (file): must be valid JSON: comma expected at line 1, column 20');
    expect(parseJsonText('{"w": [NaN]}', 'f')).toEqual({ w: ['\u0000nonfinite:NaN'] });
  });

  it('rejects nesting deeper than the limit before parsing, and accepts it at the limit', () => {
    const at = (d: number): string => `${'['.repeat(d)}${']'.repeat(d)}`;
    expect(() => parseJsonText(at(LIMITS.jsonDepth), 'f')).not.toThrow();
    expect(messageOf(() => parseJsonText(at(LIMITS.jsonDepth + 1), 'f'))).toMatch(/deeper than 64 levels .*line 1, column 65$/);
    // Brackets inside strings do not count.
    expect(() => parseJsonText(`["${'['.repeat(1000)}"]`, 'f')).not.toThrow();
  });

  it('rejects NaN and Infinity that a string field would otherwise take', () => {
    const raw = parseJsonText('{"name": "x", "description": NaN, "problem": {"kind": "xor"}, "perturbation": {"sigma": 0.1}, "estimator": {"name": "wp"}, "trials": 1, "probeEvery": 1, "seed": 1}', 's.json');
    expect(messageOf(() => validate(scenarioSchema, raw, 's.json'))).toBe('s.json: description: must be a JSON value (NaN and Infinity are not JSON); got NaN');
  });
});

describe('input files', () => {
  it('reads a /proc file whose stat size is 0, and stops one byte past the limit', () => {
    expect(readInputFile('/proc/self/status', 'F')).toMatch(/^Name:/m);
    expect(messageOf(() => readInputFile('/proc/self/status', 'F', 10))).toMatch(/^F: must be a file of at most 10 bytes .*; it has more than 10 bytes/);
  });
});

describe('messages stay short and on one line', () => {
  it('cuts long lists with a count, summarises objects, escapes control characters', () => {
    expect(listForMessage(Array.from({ length: 1000 }, (_, k) => `k${k}`))).toBe('k0, k1, k2, k3, k4, … and 995 more');
    expect(describeValue({ a: 1, b: { secret: 'x' } })).toBe('an object with keys "a", "b"');
    expect(describeValue(Array.from({ length: 100 }, () => 123456))).toBe('an array of 100 items');
    expect(new InputError('a\nb', 'rule', 'v\u0000').message).toBe('a\\nb: rule; got "v\\u0000"');
  });
});

describe('size limits from declared sizes', () => {
  it('refuse nets too large before building them', () => {
    expect(messageOf(() => netFromJson({ visible: 100000, hidden: 0, connections: 'full', weights: [0], patterns: [[0]] }, 'b.json')))
      .toMatch(/^b\.json: connections: "full" on 100000 units implies 4999950000 weights, above the limit of 10000000/);
    expect(messageOf(() => netFromJson({ layers: [2, 100000, 100000, 1], activations: ['tanh', 'tanh', 'linear'], loss: 'sse', weights: [0], inputs: [[0, 0]], targets: [[0]] }, 'l.json')))
      .toMatch(/^l\.json: layers: implies 10000500001 weights/);
    expect(messageOf(() => netFromJson({ layers: [2, 2000, 1], activations: ['tanh', 'linear'], loss: 'sse', weights: [0], inputs: Array.from({ length: 2001 }, () => [0, 0]), targets: [[0]] }, 'p.json')))
      .toMatch(/^p\.json: layers: implies 2001 patterns × 2001 units = 4004001 activation cells, above the limit of 4000000/);
  });

  it('refuse scenario problems too large from their declared sizes (validate builds nothing)', () => {
    const s = validate(scenarioSchema, { name: 'x', problem: { kind: 'xor' }, network: { hidden: [30000, 30000] }, perturbation: { sigma: 0.1 }, estimator: { name: 'wp' }, trials: 1, probeEvery: 1, seed: 1 }, 's');
    expect(messageOf(() => outlineProblem(s, '.'))).toMatch(/^network\.hidden: implies 900150001 weights for layers 2-30000-30000-1, above the limit of 10000000/);
    const ok = validate(scenarioSchema, { name: 'x', problem: { kind: 'parity', bits: 4 }, perturbation: { sigma: 0.1 }, estimator: { name: 'wp' }, trials: 1, probeEvery: 1, seed: 1 }, 's');
    expect(outlineProblem(ok, '.')).toMatchObject({ size: 4 * 4 + 4 + 4 * 1 + 1, description: 'parity 4-4-1 tanh/logistic, cross-entropy, 16 patterns' });
  });
});

describe('output paths', () => {
  const dir = tempDir('wpsim-outdir-');
  const file = join(dir, 'file');
  writeFileSync(file, 'x');
  mkdirSync(join(dir, 'sub'));

  it('accept an existing or creatable directory, refuse the rest naming the field', () => {
    expect(checkOutputDir(join(dir, 'sub'), '--out')).toBe(join(dir, 'sub'));
    expect(checkOutputDir(join(dir, 'new', 'deeper'), 'output')).toBe(join(dir, 'new', 'deeper'));
    expect(messageOf(() => checkOutputDir('', 'output'))).toBe('output: must name a path (it is empty); got ""');
    expect(messageOf(() => checkOutputDir(file, '--out'))).toMatch(/^--out: must be a directory, not a file/);
    expect(messageOf(() => checkOutputDir(join(file, 'x', 'y'), '--out'))).toMatch(/^--out: must not lie below a file \(.*file\)/);
    expect(messageOf(() => checkOutputDir('/dev/null', '--out'))).toMatch(/^--out: must be a directory, not a device/);
    expect(messageOf(() => checkOutputDir(`${dir}/${'n'.repeat(256)}`, '--out'))).toMatch(/^--out: must have path components of at most 255 bytes/);
    expect(messageOf(() => checkOutputFile(join(dir, 'sub'), '--csv'))).toMatch(/^--csv: must be a regular file/);
  });

  it('keep runs inside the output directory whatever the name', () => {
    expect(runParentDir(dir, 'xor')).toBe(join(dir, 'xor'));
    for (const name of ['..', '.', '', 'a/b', '../x']) expect(() => runParentDir(dir, name), name).toThrow(InputError);
    expect(() => new RunDirectory(dir, '..')).toThrow(InputError);
  });
});
