import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { SweepDefinition } from '../../sweep/grid.js';
import type { SweepRow } from '../../sweep/runner.js';
import { runDirOf } from '../sweep-csv.js';
import { sweepFigures } from '../figures/sweep.js';
import { estimatesZ, isZMetric, readJson } from '../figures/data.js';
import { details, escapeHtml, figures, meanSd, num, page, table, text, warnings } from './html.js';

/** Metrics of the aggregated table, in this order, where the runs have them. */
const AGGREGATED = [
  'z_rel_err', 'z_se_rel', 'g_rel_err', 'z_rel_err_live', 'g_rel_err_live', 'test_accuracy', 'gd_test_accuracy', 'accuracy', 'gd_accuracy',
  'train_error', 'gen_error', 'gd_train_error', 'gd_gen_error', 'lambda_rel_err', 'angle_deg',
];
const MAX_RUN_ROWS = 2000;

interface SweepRecord {
  definition: SweepDefinition;
  shard: { index: number; count: number } | null;
  rows: SweepRow[];
}

function baseScenario(path: string): { name?: string; description?: string } {
  try {
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { name?: string; description?: string }) : {};
  } catch {
    return {};
  }
}

export async function sweepReport(dir: string): Promise<{ title: string; html: string }> {
  const record = readJson<SweepRecord>(join(dir, 'rows.json')) as SweepRecord;
  const def = record.definition;
  const base = baseScenario(def.scenario);
  const sections: string[] = [];
  if (base.description) sections.push(`<p class="lead">${escapeHtml(base.description)}</p>`);
  const axes = def.grid.map((a) => `${a.path} ∈ {${a.values.map(text).join(', ')}}`);
  const seeds = def.seeds.length > 1 && def.seeds.every((s, k) => k === 0 || s === def.seeds[k - 1] + 1) ? `${def.seeds[0]}..${def.seeds[def.seeds.length - 1]}` : def.seeds.join(', ');
  sections.push(`<p class="muted">${escapeHtml([...axes, `seeds ${seeds}`].join(' × '))}${record.shard ? escapeHtml(` · shard ${record.shard.index}/${record.shard.count}`) : ''}</p>`);

  const counts = new Map<string, number>();
  for (const r of record.rows) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const problems = record.rows.filter((r) => r.status !== 'complete').map((r) => `run ${r.index} (${r.assignments.map((a) => `${a.path}=${text(a.value)}`).join(', ') || 'base'}, seed ${r.seed}): ${r.status}${r.error ? `: ${r.error}` : ''}`);
  sections.push(warnings(problems.length > 20 ? [...problems.slice(0, 20), `… and ${problems.length - 20} more (see the runs table)`] : problems));

  // Aggregated table: one row per grid point, mean ± sd over its complete seeds.
  const complete = record.rows.filter((r) => r.status === 'complete');
  const noZ = new Set(complete.filter((r) => !estimatesZ(join(dir, runDirOf(r)))).map((r) => r.index));
  const metrics = AGGREGATED.filter((m) => complete.some((r) => typeof r.metrics[m] === 'number'));
  const points = new Map<string, SweepRow[]>();
  for (const r of record.rows) {
    const key = JSON.stringify(r.assignments.map((a) => a.value));
    points.set(key, [...(points.get(key) ?? []), r]);
  }
  const aggregated = [...points.values()].map((runs) => {
    const done = runs.filter((r) => r.status === 'complete');
    return [
      ...runs[0].assignments.map((a) => text(a.value)),
      `${done.length}/${runs.length}`,
      ...metrics.map((m) => meanSd(done.filter((r) => !(noZ.has(r.index) && isZMetric(m)) && typeof r.metrics[m] === 'number').map((r) => r.metrics[m] as number))),
    ];
  });
  sections.push('<h2>Summary per grid point</h2>', table([...def.grid.map((a) => a.path), 'complete', ...metrics], aggregated, {
    numeric: [...def.grid.map(() => false), true, ...metrics.map(() => true)],
    caption: `final metrics, mean ± sd over seeds${noZ.size > 0 ? '; z metrics left out for estimators that do not estimate z' : ''}`,
  }));

  sections.push('<h2>Figures</h2>', figures(await sweepFigures(dir)));

  // Every run: sweep.csv with object values as readable text, numbers rounded; the box scrolls.
  const cells = parse(readFileSync(join(dir, 'sweep.csv'), 'utf8')) as string[][];
  const header = cells[0];
  const flattened = new Set(header.filter((h) => def.grid.some((a) => h.startsWith(`${a.path}.`) && !def.grid.some((b) => b.path === h))));
  const keep = header.map((h, k) => (flattened.has(h) ? -1 : k)).filter((k) => k >= 0);
  const readable = (c: string): string => {
    if (c.startsWith('{') || c.startsWith('[')) {
      try {
        return text(JSON.parse(c));
      } catch {
        return c;
      }
    }
    return c !== '' && /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(c) ? num(Number(c)) : c;
  };
  // Runs whose estimator does not estimate z show no z values (the CSV may hold placeholders).
  const runs = cells.slice(1, 1 + MAX_RUN_ROWS).map((r) => keep.map((k) => (noZ.has(Number(r[0])) && isZMetric(header[k]) ? '' : readable(r[k]))));
  sections.push('<h2>Runs</h2>', table(keep.map((k) => header[k]), runs, {
    cls: 'tall', caption: cells.length - 1 > MAX_RUN_ROWS ? `first ${MAX_RUN_ROWS} of ${cells.length - 1} runs (all in sweep.csv)` : `${cells.length - 1} runs (sweep.csv)`,
  }));
  sections.push(details('Sweep definition (rows.json)', JSON.stringify(def, null, 2)));
  const name = base.name ?? def.scenario.split('/').pop() ?? 'sweep';
  const title = `wpsim sweep: ${name}`;
  const status = [...counts].map(([k, n]) => `${n} ${k}`).join(', ');
  return { title, html: page(title, { text: status, ok: complete.length === record.rows.length }, sections) };
}
