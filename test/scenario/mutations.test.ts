import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { InputError, NON_FINITE_SENTINEL } from '../../src/errors.js';
import { validate } from '../../src/io/json.js';
import { listScenarios, SCENARIO_DIR } from '../../src/scenario/load.js';
import { buildDirection, buildProblem } from '../../src/scenario/problems.js';
import { scenarioSchema, type Scenario } from '../../src/scenario/schema.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const valid = listScenarios().map((s) => JSON.parse(readFileSync(s.file, 'utf8')) as Json);

/** Every path into a JSON value (objects and arrays), the root included. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out = [prefix];
  if (Array.isArray(value)) value.forEach((v, k) => out.push(...paths(v, [...prefix, k])));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

const junk = fc.oneof(
  fc.jsonValue() as fc.Arbitrary<Json>,
  fc.constantFrom<Json>(-1, 0, 1e308, -1e-300, 0.5, 2 ** 53, '', 'gaussian', 'quadratic', [], {}, true, null,
    `${NON_FINITE_SENTINEL}NaN`, `${NON_FINITE_SENTINEL}Infinity`),
);

type Mutation = { kind: 'replace'; value: Json } | { kind: 'delete' } | { kind: 'add'; key: string; value: Json };

const mutationArb = fc.record({
  base: fc.nat(valid.length - 1),
  pathPick: fc.nat(),
  mutation: fc.oneof(
    junk.map((value): Mutation => ({ kind: 'replace', value })),
    fc.constant<Mutation>({ kind: 'delete' }),
    fc.record({ key: fc.string({ maxLength: 8 }), value: junk }).map((r): Mutation => ({ kind: 'add', ...r })),
  ),
});

function mutate(base: Json, pathPick: number, m: Mutation): Json {
  const root = structuredClone(base);
  const all = paths(root);
  const path = all[pathPick % all.length];
  if (path.length === 0) return m.kind === 'replace' ? m.value : root;
  let parent: Json = root;
  for (const key of path.slice(0, -1)) parent = (parent as Record<string, Json>)[key as string];
  const last = path[path.length - 1];
  const container = parent as Record<string | number, Json>;
  if (m.kind === 'replace') container[last] = m.value;
  else if (m.kind === 'delete') {
    if (Array.isArray(container)) container.splice(last as number, 1);
    else delete container[last];
  } else if (container[last] !== null && typeof container[last] === 'object' && !Array.isArray(container[last])) {
    (container[last] as Record<string, Json>)[m.key] = m.value;
  } else container[last] = { [m.key]: m.value };
  return root;
}

/** Small enough to build in a unit test (a 2000-weight quadratic costs an O(n³) orthogonalisation). */
function cheap(s: Scenario): boolean {
  const p = s.problem;
  if (p.kind === 'quadratic') return (p.eigenvalues?.length ?? p.size ?? 0) <= 64;
  if (p.kind === 'parity') return p.bits <= 8;
  if (p.kind === 'encoder') return p.k <= 16;
  if (p.kind === 'teacher-student') return p.inputs * p.outputs <= 10_000;
  if (s.network?.hidden !== undefined) return s.network.hidden.every((h) => h <= 64);
  return true;
}

describe('scenario validation under 10,000 random mutations of the ready scenarios', () => {
  it('never crashes: either valid (and buildable) or one InputError naming a field path', () => {
    expect(valid.length).toBeGreaterThanOrEqual(6);
    let rejected = 0;
    fc.assert(
      fc.property(mutationArb, ({ base, pathPick, mutation }) => {
        const candidate = mutate(valid[base], pathPick, mutation);
        try {
          const s = validate(scenarioSchema, candidate, 'mutant.json');
          if (cheap(s)) buildDirection(s, buildProblem(s, SCENARIO_DIR));
        } catch (err) {
          if (!(err instanceof InputError)) throw err;
          rejected++;
          expect(err.field.length).toBeGreaterThan(0);
          expect(err.message).toContain(`${err.field}: `);
          expect(err.message).toMatch(/; got /);
        }
      }),
      { numRuns: 10_000, seed: 424242 },
    );
    // The mutations do exercise the validator.
    expect(rejected).toBeGreaterThan(5000);
  });
});
