import { existsSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../errors.js';
import { readJsonFile, validate } from '../io/json.js';
import { checkPathText } from '../io/files.js';
import { scenarioSchema, type Scenario } from './schema.js';
import { checkOutputDir, runParentDir } from '../output/run-dir.js';

/** The package's ready-to-run scenarios folder. */
export const SCENARIO_DIR = resolve(fileURLToPath(new URL('../../scenarios', import.meta.url)));

/** A scenario argument is a path to a JSON file, or the name of a ready scenario. */
export function resolveScenarioPath(arg: string, field = 'SCENARIO'): string {
  checkPathText(arg, field);
  if (existsSync(arg)) return resolve(arg);
  const builtIn = join(SCENARIO_DIR, arg.endsWith('.json') ? arg : `${arg}.json`);
  if (/^[a-z0-9][a-z0-9._-]*$/.test(arg) && existsSync(builtIn)) return builtIn;
  throw new InputError(field, `must be a scenario file or one of the ready scenarios (wpsim list)`, arg);
}

/**
 * Applies one `--set path=value` override to the raw scenario object. The value is read as
 * JSON when it parses (numbers, booleans, arrays, objects, quoted strings), else as a string.
 */
export function applyOverride(raw: unknown, assignment: string): unknown {
  const eq = assignment.indexOf('=');
  if (eq <= 0) throw new InputError('--set', 'must be path=value, e.g. perturbation.sigma=0.02', assignment);
  const path = assignment.slice(0, eq).split('.');
  const text = assignment.slice(eq + 1);
  if (path.some((key) => key === '' || key === '__proto__' || key === 'constructor' || key === 'prototype')) {
    throw new InputError('--set', 'must name a field path like perturbation.sigma', assignment);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = text;
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InputError('--set', 'needs a scenario that is a JSON object', assignment);
  }
  const root = structuredClone(raw) as Record<string, unknown>;
  let cur: Record<string, unknown> = root;
  for (const key of path.slice(0, -1)) {
    const next = cur[key];
    if (next === undefined) {
      cur[key] = {};
    } else if (next === null || typeof next !== 'object' || Array.isArray(next)) {
      throw new InputError(`--set ${path.join('.')}`, `must go through objects, but ${key} is not one`, next);
    }
    cur = cur[key] as Record<string, unknown>;
  }
  cur[path[path.length - 1]] = value;
  return root;
}

export interface LoadedScenario {
  scenario: Scenario;
  path: string;
}

/** Reads, overrides and validates a scenario; errors name the field path, rule and value. */
export function loadScenario(arg: string, overrides: readonly string[] = [], extra: { seed?: number; output?: string } = {}): LoadedScenario {
  const path = resolveScenarioPath(arg);
  let raw = readJsonFile(path, 'SCENARIO');
  for (const o of overrides) raw = applyOverride(raw, o);
  if (extra.seed !== undefined) raw = applyOverride(raw, `seed=${extra.seed}`);
  if (extra.output !== undefined) raw = applyOverride(raw, `output=${JSON.stringify(extra.output)}`);
  const scenario = validate(scenarioSchema, raw, path);
  // Where runs go is checked now, before anything is built or written (docs/formats.md, "Limits").
  checkOutputDir(scenario.output, extra.output !== undefined ? '--out' : 'output');
  runParentDir(scenario.output, scenario.name);
  return { scenario, path };
}

/** The ready scenarios: name and description, sorted by name. */
export function listScenarios(dir = SCENARIO_DIR): { name: string; description: string; file: string }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
    .sort()
    .map((f) => {
      const file = join(dir, f);
      try {
        const s = validate(scenarioSchema, readJsonFile(file, 'SCENARIO'), file);
        return { name: basename(f, '.json'), description: s.description, file };
      } catch (err) {
        return { name: basename(f, '.json'), description: `INVALID: ${(err as Error).message}`, file };
      }
    });
}
