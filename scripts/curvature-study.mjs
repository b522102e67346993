// Time to target per run of a curvature sweep directory (docs/hardware.md, "Curvature in the loop"):
//   node scripts/curvature-study.mjs SWEEP_DIR [relative target, default 1e-4] [--write STEPS] [--budget TRIALS] [--summary]
// Fixed-data regression problems: the first row with train_error ≤ target·E(w0) (E(w0) rebuilt from each
// run's scenario.json). Classification: the first row whose accuracy reaches train.targetAccuracy.
// For each run: trials, evaluations, weight updates (writes) and chip seconds at that row, or "never" and
// the error / accuracy at the end of the run.
//   updates: Newton–CG steps (newton_steps column); the estimator rule: ⌊trial/every⌋; the WP rule:
//            ⌊trial/τθ⌋ (a write per integration window).
//   chip seconds = dt·(pre-phase trials + trials + STEPS·updates): one chip step dt per trial (the
//            scenario's chip.dt, 1 µs where it has no chip block) and STEPS chip steps per weight write
//            (default 0; --write models a slow weight write, e.g. floating-gate programming).
// --budget ignores rows past TRIALS (a run with a larger budget, or interrupted past it, read as one
// with this budget). --summary prints one line per setting (seeds pooled: min–max).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { scenarioSchema } from '../dist/scenario/schema.js';
import { buildSimulationSpec } from '../dist/scenario/problems.js';

const args = process.argv.slice(2);
const flag = (name) => { const k = args.indexOf(name); if (k < 0) return null; const v = args[k + 1]; args.splice(k, 2); return v; };
const summary = args.includes('--summary'); if (summary) args.splice(args.indexOf('--summary'), 1);
const write = Number(flag('--write') ?? 0);
const budget = Number(flag('--budget') ?? Infinity);
const dir = args[0]; const rel = Number(args[1]) || 1e-4;
if (!dir || !Number.isFinite(write) || write < 0 || !(budget > 0)) {
  console.error('usage: node scripts/curvature-study.mjs SWEEP_DIR [relative target] [--write STEPS] [--budget TRIALS] [--summary]');
  process.exit(2);
}

function setting(s) {
  const t = s.train ?? {};
  const c = t.curvature;
  const kind = c?.newton ? `newton ${c.newton.iterations}x${c.newton.productTrials}` : c?.precondition ? `precondition δ=${c.precondition.delta}` : c?.track ? `track s=${c.track.safety}` : 'plain';
  const law = s.perturbation.code ? s.perturbation.code.name : s.perturbation.distribution;
  const window = t.rule === 'wp' ? `τθ=${s.chip?.tauTheta ?? 1}` : `K=${t.every}`;
  return `${s.problem.basis ?? s.problem.kind} ${law} ${t.rule} ${window} η=${t.learningRate} ${kind}`;
}

const results = [];
for (const run of readdirSync(join(dir, 'runs')).filter((f) => !f.startsWith('.')).sort()) {
  const d = join(dir, 'runs', run);
  let files; try { files = readdirSync(d); } catch { continue; }
  if (!files.includes('probes.csv')) continue;
  const s = scenarioSchema.parse(JSON.parse(readFileSync(join(d, 'scenario.json'), 'utf8')));
  const lines = readFileSync(join(d, 'probes.csv'), 'utf8').trim().split('\n');
  const h = lines[0].split(',');
  const col = (name) => h.indexOf(name);
  const rows = lines.slice(1).map((l) => l.split(',').map((x) => (x === '' ? NaN : Number(x)))).filter((r) => r[col('trial')] <= budget);
  const accuracyCol = col('test_accuracy') >= 0 ? col('test_accuracy') : col('accuracy');
  const t = s.train;
  let hit; let score;
  if (t.targetAccuracy !== undefined && accuracyCol >= 0) {
    hit = rows.find((r) => r[accuracyCol] >= t.targetAccuracy);
    score = (r) => `accuracy ${r[accuracyCol].toFixed(3)}`;
  } else {
    const spec = buildSimulationSpec(s, d);
    const e0 = spec.problem.oracle.loss(spec.problem.w0);
    hit = rows.find((r) => r[col('train_error')] <= rel * e0);
    score = (r) => `error/E0 ${(r[col('train_error')] / e0).toExponential(2)}`;
  }
  const last = rows.at(-1);
  if (last === undefined) {
    const summary = JSON.parse(readFileSync(join(d, 'summary.json'), 'utf8'));
    results.push({ run, setting: setting(s), seed: s.seed, hit: false, trial: 0, evaluations: summary.evaluations, updates: 0, seconds: 0, score: `no rows: ${summary.status} (${summary.reason})` });
    continue;
  }
  const r = hit ?? last;
  const trial = r[col('trial')];
  const updates = col('newton_steps') >= 0 ? r[col('newton_steps')] : Math.floor(trial / (t.rule === 'wp' ? (s.chip?.tauTheta ?? 1) : t.every));
  const pre = t.learningRate === 'auto' ? (s.eigen?.every ?? 2000) * (s.eigen?.updates ?? 10) : 0;
  const dt = s.chip?.dt ?? 1e-6;
  const seconds = dt * (pre + trial + write * updates);
  results.push({ run, setting: setting(s), seed: s.seed, hit: hit !== undefined, trial, evaluations: r[col('evaluations')], updates, seconds, score: score(last) });
}

const range = (x) => { const lo = Math.min(...x); const hi = Math.max(...x); return lo === hi ? `${lo}` : `${lo} – ${hi}`; };
const sec = (x) => x.toPrecision(3);
if (!summary) {
  for (const r of results) {
    console.log(r.run, r.setting, `seed ${r.seed}`, r.hit ? `to target: ${r.trial} trials, ${r.evaluations} evaluations, ${r.updates} updates, ${sec(r.seconds)} chip s` : `never (${r.trial} trials, ${r.updates} updates, ${sec(r.seconds)} chip s)`, `| end: ${r.score}`);
  }
} else {
  console.log(`setting | reached | trials | evaluations | updates | chip s (write = ${write} steps) | at the end`);
  for (const name of [...new Set(results.map((r) => r.setting))]) {
    const g = results.filter((r) => r.setting === name);
    const ok = g.filter((r) => r.hit);
    const ends = g.map((r) => r.score).join('; ');
    if (ok.length === 0) { console.log(`${name} | 0/${g.length} | | | | | ${ends}`); continue; }
    const lo = Math.min(...ok.map((r) => r.seconds)); const hi = Math.max(...ok.map((r) => r.seconds));
    console.log(`${name} | ${ok.length}/${g.length} | ${range(ok.map((r) => r.trial))} | ${range(ok.map((r) => r.evaluations))} | ${range(ok.map((r) => r.updates))} | ${lo === hi ? sec(lo) : `${sec(lo)} – ${sec(hi)}`} | ${ends}`);
  }
}
