// Time to a target error per run of a curvature sweep directory (docs/hardware.md, "Curvature in the loop"):
// node scripts/curvature-study.mjs SWEEP_DIR [relative target, default 1e-4]. E(w0) is rebuilt from each run's scenario.json.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { scenarioSchema } from '../dist/scenario/schema.js';
import { buildSimulationSpec } from '../dist/scenario/problems.js';
const dir = process.argv[2]; const rel = +process.argv[3] || 1e-4;
for (const run of readdirSync(join(dir, 'runs')).sort()) {
  const base = join(dir, 'runs', run);
  const sub = readdirSync(base).find((f) => !f.includes('.')) ?? '';
  const d = sub ? join(base, sub) : base;
  let files; try { files = readdirSync(d); } catch { continue; }
  const s = scenarioSchema.parse(JSON.parse(readFileSync(join(d, 'scenario.json'), 'utf8')));
  const spec = buildSimulationSpec(s, d);
  const e0 = spec.problem.oracle.loss(spec.problem.w0);
  const lines = readFileSync(join(d, 'probes.csv'), 'utf8').trim().split('\n');
  const h = lines[0].split(','); const rows = lines.slice(1).map((l) => l.split(',').map(Number));
  const ke = h.indexOf('train_error'), kt = h.indexOf('trial'), kv = h.indexOf('evaluations');
  const hit = rows.find((r) => r[ke] <= rel * e0);
  console.log(run, s.problem.basis ?? '', s.train?.learningRate, s.train?.every, s.train?.curvature ? JSON.stringify(s.train.curvature) : 'plain', s.seed, 'E0', e0.toFixed(3), 'to target:', hit ? `${hit[kt]} trials ${hit[kv]} evals` : 'never', 'final', rows.at(-1)[ke].toExponential(2));
}
