import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chiSquare, runScenario } from '../helpers/sim.js';
import { scenarioSchema } from '../../src/scenario/schema.js';
import { SCENARIO_DIR } from '../../src/scenario/load.js';
import { nrm2 } from '../../src/linalg/blas1.js';

describe('weight perturbation on the seed\'s other systems', () => {
  it('the ready scenario\'s moment estimates converge to the exact R{recurrent backprop} Hv within their standard errors', async () => {
    const raw = JSON.parse(readFileSync(join(SCENARIO_DIR, 'recurrent-moment.json'), 'utf8'));
    const s = scenarioSchema.parse({ ...raw, trials: 20_000, probeEvery: 20_000 });
    const r = await runScenario(s);
    const ex = r.exact;
    const n = ex.z.length;
    // σ = 0.01 makes the O(σ²) third-derivative bias ~1e-4 relative, far below the standard errors.
    expect(chiSquare(r.z, ex.z, r.zSe as Float64Array)).toBeLessThan(n + 5 * Math.sqrt(2 * n));
    expect(chiSquare(r.g, ex.g, r.gSe as Float64Array)).toBeLessThan(n + 5 * Math.sqrt(2 * n));
    expect(nrm2(n, r.zSe as Float64Array) / nrm2(n, ex.z)).toBeLessThan(0.15);
  });

  it('on a Boltzmann machine (E = G) the moment estimates converge to the enumerated Hv within their standard errors', async () => {
    const raw = JSON.parse(readFileSync(join(SCENARIO_DIR, 'boltzmann-moment.json'), 'utf8'));
    const r = await runScenario(scenarioSchema.parse(raw));
    const ex = r.exact;
    const n = ex.z.length;
    expect(chiSquare(r.z, ex.z, r.zSe as Float64Array)).toBeLessThan(n + 5 * Math.sqrt(2 * n));
    expect(chiSquare(r.g, ex.g, r.gSe as Float64Array)).toBeLessThan(n + 5 * Math.sqrt(2 * n));
    expect(nrm2(n, r.zSe as Float64Array) / nrm2(n, ex.z)).toBeLessThan(0.1);
  });
});
