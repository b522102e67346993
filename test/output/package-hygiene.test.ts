import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli.js';
import { scenarioJsonSchema, SCENARIO_SCHEMA_ID } from '../../src/scenario/schema.js';

/** Paths of every property (in any `properties` object) of a JSON Schema that has no description. */
function undocumented(node: unknown, path = ''): string[] {
  if (node === null || typeof node !== 'object') return [];
  if (Array.isArray(node)) return node.flatMap((x, k) => undocumented(x, `${path}[${k}]`));
  const o = node as Record<string, unknown>;
  const own = o.properties !== undefined
    ? Object.entries(o.properties as Record<string, Record<string, unknown>>).filter(([, p]) => typeof p.description !== 'string').map(([k]) => `${path}.${k}`)
    : [];
  return [...own, ...Object.entries(o).flatMap(([k, v]) => undocumented(v, `${path}/${k}`))];
}

describe('package hygiene', () => {
  it('the scenario JSON Schema has an $id and a description on every field, and the committed copy is current', () => {
    const schema = scenarioJsonSchema() as Record<string, unknown>;
    expect(schema.$id).toBe(SCENARIO_SCHEMA_ID);
    expect(undocumented(schema)).toEqual([]);
    // The checker sees a missing description.
    expect(undocumented({ properties: { a: { type: 'string' }, b: { description: 'x' } } })).toEqual(['.a']);
    expect(JSON.parse(readFileSync(join(ROOT, 'scenarios/scenario.schema.json'), 'utf8'))).toEqual(schema);
  });

  it('LICENSE is the MIT licence package.json names; CITATION.cff names the version; package.json has keywords', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { license: string; version: string; keywords: string[] };
    expect(pkg.license).toBe('MIT');
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/);
    const cff = readFileSync(join(ROOT, 'CITATION.cff'), 'utf8');
    expect(cff).toMatch(/^cff-version: 1\.2\.0$/m);
    expect(cff).toContain(`\nversion: ${pkg.version}\n`);
    expect(cff).toMatch(/^license: MIT$/m);
    expect(pkg.keywords.length).toBeGreaterThan(3);
  });
});
