import { z } from 'zod';
import type { BoltzmannMachine } from '../nets/boltzmann.js';
import { LIMITS } from './limits.js';

/**
 * The Boltzmann machine net file (docs/formats.md, "Boltzmann machines"): told apart from the
 * other net formats by its "visible" key (netfile.ts).
 */
const finite = z.number();
const count = z.number().int('must be an integer').min(1, 'must be at least 1');

export const boltzmannFileSchema = z
  .object({
    visible: count,
    hidden: z.number().int('must be an integer').min(0, 'must be at least 0'),
    states: z.enum(['binary', 'bipolar']).default('binary'),
    energySign: z.enum(['seed', 'standard']).default('seed'),
    temperature: z.number().positive('must be greater than 0').default(1),
    connections: z.union([z.literal('full'), z.array(z.tuple([z.number().int().min(0), z.number().int().min(0)]))]),
    weights: z.array(finite),
    patterns: z.array(z.array(finite)).min(1, 'must hold at least one visible pattern'),
    patternProbabilities: z.array(z.number().min(0, 'must be non-negative')).optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    const N = f.visible + f.hidden;
    // "full" declares N(N − 1)/2 weights: checked before the pairs are listed.
    if (f.connections === 'full' && !(N * (N - 1) / 2 <= LIMITS.weights)) {
      ctx.addIssue({ code: 'custom', path: ['connections'], message: `"full" on ${N} units implies ${N * (N - 1) / 2} weights, above the limit of ${LIMITS.weights} (docs/formats.md, "Limits")` });
      return;
    }
    const pairs = f.connections === 'full' ? fullPairs(N) : f.connections;
    const seen = new Set<string>();
    pairs.forEach(([i, j], k) => {
      if (i >= N || j >= N) ctx.addIssue({ code: 'custom', path: ['connections', k], message: `must join unit ids below visible + hidden (${N})` });
      if (i === j) ctx.addIssue({ code: 'custom', path: ['connections', k], message: 'must join two different units' });
      const key = `${Math.min(i, j)}-${Math.max(i, j)}`;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['connections', k], message: 'must not repeat a pair' });
      seen.add(key);
    });
    if (f.weights.length !== pairs.length) {
      ctx.addIssue({ code: 'custom', path: ['weights'], message: `must have one entry per connection (${pairs.length}), not ${f.weights.length}` });
    }
    const allowed = f.states === 'binary' ? [0, 1] : [-1, 1];
    const keys = new Set<string>();
    f.patterns.forEach((row, p) => {
      if (row.length !== f.visible) ctx.addIssue({ code: 'custom', path: ['patterns', p], message: `must have ${f.visible} values (visible units)` });
      row.forEach((x, i) => {
        if (!allowed.includes(x)) ctx.addIssue({ code: 'custom', path: ['patterns', p, i], message: `must be ${allowed.join(' or ')} for ${f.states} units` });
      });
      if (keys.has(row.join(','))) ctx.addIssue({ code: 'custom', path: ['patterns', p], message: 'must not repeat a pattern (give it more probability instead)' });
      keys.add(row.join(','));
    });
    if (f.patternProbabilities !== undefined) {
      if (f.patternProbabilities.length !== f.patterns.length) {
        ctx.addIssue({ code: 'custom', path: ['patternProbabilities'], message: `must have one entry per pattern (${f.patterns.length})` });
      } else {
        const total = f.patternProbabilities.reduce((a, b) => a + b, 0);
        if (Math.abs(total - 1) > 1e-9) ctx.addIssue({ code: 'custom', path: ['patternProbabilities'], message: 'must sum to 1' });
      }
    }
  });

function fullPairs(N: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) out.push([i, j]);
  return out;
}

export function boltzmannFromFile(f: z.output<typeof boltzmannFileSchema>): BoltzmannMachine {
  const N = f.visible + f.hidden;
  const pairs = f.connections === 'full' ? fullPairs(N) : f.connections;
  const P = f.patterns.length;
  return {
    kind: 'boltzmann',
    visible: f.visible,
    hidden: f.hidden,
    units: N,
    states: f.states,
    energySign: f.energySign === 'seed' ? 1 : -1,
    temperature: f.temperature,
    first: Int32Array.from(pairs, ([i, j]) => Math.min(i, j)),
    second: Int32Array.from(pairs, ([i, j]) => Math.max(i, j)),
    size: pairs.length,
    patterns: Float64Array.from(f.patterns.flat()),
    patternCount: P,
    patternProbabilities: Float64Array.from(f.patternProbabilities ?? new Array<number>(P).fill(1 / P)),
  };
}

