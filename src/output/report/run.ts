import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runFigures } from '../figures/run.js';
import { estimatesZ, isZMetric, readJson } from '../figures/data.js';
import { details, escapeHtml, figures, headline, num, page, table, text, warnings } from './html.js';

interface RunSummary {
  status: string;
  reason: string | null;
  scenario: string;
  seed: number;
  version?: string;
  problem?: string;
  synapses?: number;
  trials?: number;
  trialsRun?: number;
  evaluations?: number;
  final?: Record<string, number | string | null> | null;
  mode?: string;
  hardware?: Record<string, number>;
  results?: Record<string, number | string | null>;
  warnings?: string[];
  wallSeconds?: number;
  startedAt?: string;
}

/** The final metrics a reader looks for first, per mode, with their meaning. */
const HEADLINE: Record<string, [string, string][]> = {
  estimate: [
    ['z_rel_err', 'ẑ error ‖ẑ − Hv‖/‖Hv‖'], ['z_se_rel', 'ẑ standard error /‖Hv‖'], ['g_rel_err', 'ĝ error ‖ĝ − ∇E‖/‖∇E‖'],
    ['z_rel_err_live', 'ẑ error, live synapses'], ['g_rel_err_live', 'ĝ error, live synapses'], ['h_diag_rel_err', 'diag H error'],
    ['spsa_z_rel_err', '2SPSA ẑ error (same evaluations)'],
  ],
  train: [
    ['test_accuracy', 'test accuracy (WP)'], ['gd_test_accuracy', 'test accuracy (exact GD)'], ['accuracy', 'accuracy (WP)'], ['gd_accuracy', 'accuracy (exact GD)'],
    ['train_error', 'training error (WP)'], ['gen_error', 'generalization error (WP)'], ['gd_train_error', 'training error (exact GD)'], ['gd_gen_error', 'generalization error (exact GD)'],
  ],
  eigen: [['lambda_est', 'λ̂ (on chip)'], ['lambda_exact', 'λ_max (exact)'], ['lambda_rel_err', 'λ̂ relative error'], ['angle_deg', 'angle to top eigenvector (°)']],
};

/** Counter names of summary.json's hardware block, as a reader says them. */
const COUNTERS: Record<string, string> = {
  deltaEClips: 'ΔE converter clips', sumClips: 'sum converter clips', dead: 'dead synapses', stuck: 'stuck synapses', weightClips: 'weight clips',
};

export async function runReport(dir: string): Promise<{ title: string; html: string }> {
  const s = readJson<RunSummary>(join(dir, 'summary.json')) as RunSummary;
  const scenario = readJson<{ description?: string; estimator?: unknown; perturbation?: unknown; hardware?: unknown }>(join(dir, 'scenario.json'));
  const mode = s.mode ?? 'estimate';
  const final = s.final ?? {};
  const zShown = estimatesZ(dir);
  const sections: string[] = [];
  if (scenario?.description) sections.push(`<p class="lead">${escapeHtml(scenario.description)}</p>`);
  const facts = [
    s.problem, s.synapses !== undefined ? `${s.synapses} synapses` : undefined,
    scenario?.estimator !== undefined ? `estimator ${text(scenario.estimator)}` : undefined,
    scenario?.perturbation !== undefined ? `perturbation ${text(scenario.perturbation)}` : undefined, `seed ${s.seed}`,
  ].filter((f): f is string => f !== undefined);
  sections.push(`<p class="muted">${escapeHtml(facts.join(' · '))}</p>`);

  const items: [string, string][] = [];
  for (const [key, label] of HEADLINE[mode] ?? []) {
    const v = final[key];
    if (typeof v === 'number' && Number.isFinite(v) && (zShown || !isZMetric(key))) items.push([label, num(v)]);
  }
  for (const [k, v] of Object.entries(s.results ?? {})) if (typeof v === 'number') items.push([k, num(v)]);
  if (s.trialsRun !== undefined) items.push(['trials', s.trials !== undefined && s.trials !== s.trialsRun ? `${num(s.trialsRun)} of ${num(s.trials)}` : num(s.trialsRun)]);
  if (s.evaluations !== undefined) items.push(['E evaluations', num(s.evaluations)]);
  sections.push(headline(items));
  const warned = [...(s.reason ? [`${s.status}: ${s.reason}`] : []), ...(s.warnings ?? [])];
  if (!zShown) warned.push(`the estimator ${text(scenario?.estimator)} does not estimate z = Hv: z metrics are not shown`);
  sections.push(warnings(warned));

  sections.push('<h2>Figures</h2>', figures(await runFigures(dir)));

  sections.push('<h2>Final probe</h2>', table(['metric', 'value'], Object.entries(final)
    .filter(([k, v]) => typeof v === 'number' && (zShown || !isZMetric(k)))
    .map(([k, v]) => [k, num(v as number)])));
  const counters = Object.entries(s.hardware ?? {}).filter(([k, v]) => k !== 'measurements' && v !== 0);
  const chip = scenario?.hardware === undefined ? 'ideal chip (no hardware block)'
    : counters.length === 0 ? 'no converter clips, dead, stuck or clipped synapses' : counters.map(([k, v]) => `${COUNTERS[k] ?? k}: ${num(v)}`).join(', ');
  const run: [string, string][] = [
    ['status', s.status], ['mode', mode], ['hardware', chip],
    ...(s.hardware?.measurements !== undefined ? [['E measurements', num(s.hardware.measurements)] as [string, string]] : []),
    ...(s.wallSeconds !== undefined ? [['wall time', `${num(s.wallSeconds)} s`] as [string, string]] : []),
    ...(s.startedAt !== undefined ? [['started', s.startedAt] as [string, string]] : []),
    ...(s.version !== undefined ? [['wpsim', s.version] as [string, string]] : []),
  ];
  sections.push('<h2>Run</h2>', table(['field', 'value'], run, { numeric: [false, false] }));
  if (existsSync(join(dir, 'scenario.json'))) sections.push(details('Resolved scenario (scenario.json)', readFileSync(join(dir, 'scenario.json'), 'utf8')));
  const title = `wpsim run: ${s.scenario}`;
  return { title, html: page(title, { text: s.status, ok: s.status === 'complete' }, sections) };
}
