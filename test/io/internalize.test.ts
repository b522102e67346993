import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { internalizeStrings } from '../../src/io/internalize.js';
import { ROOT } from '../helpers/cli.js';

// docs/testing.md, "Run-to-run bytes under concurrent compilation": strings taken from a
// scenario or any JSON input must be the engine's canonical (internalised) copies.

describe('internalizeStrings', () => {
  it('returns an equal deep copy that shares no object or array with its input', () => {
    const input = { name: 'x', perturbation: { distribution: 'gaussian', sigma: 0.05 }, list: [{ a: 'b' }, 3, null, true], empty: {} };
    const out = internalizeStrings(input);
    expect(out).toEqual(input);
    expect(out).not.toBe(input);
    expect(out.perturbation).not.toBe(input.perturbation);
    expect(out.list).not.toBe(input.list);
    expect(out.list[0]).not.toBe(input.list[0]);
  });

  it('keeps a key named __proto__ as data, and passes typed arrays through', () => {
    const input = JSON.parse('{"__proto__": {"polluted": "yes"}, "v": "w"}') as Record<string, unknown>;
    const out = internalizeStrings({ ...input, arr: new Float64Array([1, 2]) });
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(out.arr).toBeInstanceOf(Float64Array);
  });

  it("makes every string of a cloned scenario, the spec's law and every string the JSON reader returns the engine's internalised copy (checked with V8's own predicate)", () => {
    // A structured clone is how a sweep worker or `--set` receives a scenario: its strings are
    // fresh, not internalised. %IsInternalizedString needs --allow-natives-syntax: a child process.
    const url = (p: string): string => pathToFileURL(join(ROOT, p)).href;
    const script = `
      const { internalizeStrings } = await import(${JSON.stringify(url('dist/io/internalize.js'))});
      const { buildSimulationSpec } = await import(${JSON.stringify(url('dist/scenario/problems.js'))});
      const { scenarioSchema } = await import(${JSON.stringify(url('dist/scenario/schema.js'))});
      const { parseJsonText } = await import(${JSON.stringify(url('dist/io/json.js'))});
      const text = '{"loss": "softmax-cross-entropy", "layers": [{"activation": "tanh"}]}';
      const raw = { name: 'intern', problem: { kind: 'quadratic', size: 4, spectrum: { min: 0.5, max: 2 } },
        perturbation: { distribution: 'gaussian', sigma: 0.05 }, estimator: { name: 'joint-lms' }, trials: 10, probeEvery: 5, seed: 1 };
      const check = (s) => %IsInternalizedString(s);
      const cloned = structuredClone(scenarioSchema.parse(raw));
      // Checked before any use of the string as a key: that would make it a forwarding (thin)
      // string, which a later garbage collection may replace by the canonical one.
      const clonedLaw = check(cloned.perturbation.distribution);
      const parsedLong = check(JSON.parse(text).loss);
      const strings = [];
      const walk = (x) => { if (typeof x === 'string') strings.push(x); else if (x && typeof x === 'object') Object.values(x).forEach(walk); };
      walk(internalizeStrings(cloned));
      const spec = buildSimulationSpec(cloned, process.cwd());
      console.log(JSON.stringify({
        clonedLaw,
        all: strings.length > 0 && strings.every(check),
        specLaw: check(spec.perturbation.law),
        parsedLong,
        readLong: check(parseJsonText(text, 'test').loss),
        readNested: check(parseJsonText(text, 'test').layers[0].activation),
      }));`;
    const r = spawnSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    // The clone's own string, and a long string from JSON.parse, are not internalised (else this
    // test would prove nothing); the spec's and the reader's are.
    expect(JSON.parse(r.stdout)).toEqual({ clonedLaw: false, all: true, specLaw: true, parsedLong: false, readLong: true, readNested: true });
  });
});
