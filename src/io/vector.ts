import { z } from 'zod';
import { InputError } from '../errors.js';
import { Rng } from '../random/rng.js';
import { readJsonFile, validate } from './json.js';

const vectorSchema = z.array(z.number());

/** Reads a direction vector v: a JSON array of n finite numbers. */
export function loadVector(path: string, n: number, field = '--v'): Float64Array {
  const values = validate(vectorSchema, readJsonFile(path, field), path);
  if (values.length !== n) {
    throw new InputError('(root)', `must be an array of ${n} numbers (one per weight)`, `${values.length} numbers`, path);
  }
  return Float64Array.from(values);
}

/** The default direction: v ~ N(0, I) from the run seed's "direction" stream. */
export function seededDirection(n: number, seed: number): Float64Array {
  return Rng.derive(seed, 'direction').fillGaussian(new Float64Array(n));
}
