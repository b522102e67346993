import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { runFigures, sweepFigures, type Figure } from './plots.js';
import { InputError } from '../errors.js';

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function table(rows: string[][], header: string[]): string {
  const head = `<tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table>\n${head}\n${body}\n</table>`;
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em}table{border-collapse:collapse;margin:.5em 0}
td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left;font-variant-numeric:tabular-nums}
pre{background:#f6f6f6;padding:1em;overflow:auto}.warning{background:#fff4e0;border-left:4px solid #e90;padding:.5em 1em}
figure{margin:1em 0}figcaption{color:#555}`;

function page(title: string, sections: string[]): string {
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>\n<body>\n<h1>${escapeHtml(title)}</h1>\n${sections.join('\n')}\n</body></html>\n`;
}

function figuresHtml(figures: Figure[]): string {
  return figures.map((f) => `<figure>${f.svg}<figcaption>${escapeHtml(f.title)}</figcaption></figure>`).join('\n');
}

/**
 * One self-contained HTML page for a run or a sweep directory: summary, warnings, figures
 * (inline SVG), the resolved scenario or the sweep table. Written to <dir>/report.html.
 */
export async function writeReport(dir: string): Promise<string> {
  const sections: string[] = [];
  let title: string;
  if (existsSync(join(dir, 'summary.json'))) {
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Record<string, unknown>;
    title = `wpsim run: ${String(summary.scenario)} (${String(summary.status)})`;
    const flat: string[][] = [];
    for (const [k, v] of Object.entries(summary)) {
      if (k === 'warnings' || k === 'files') continue;
      if (v !== null && typeof v === 'object') {
        for (const [k2, v2] of Object.entries(v as Record<string, unknown>)) flat.push([`${k}.${k2}`, String(v2)]);
      } else flat.push([k, String(v)]);
    }
    sections.push('<h2>Summary</h2>', table(flat, ['field', 'value']));
    const warnings = (summary.warnings as string[] | undefined) ?? [];
    if (warnings.length > 0) sections.push('<h2>Warnings</h2>', ...warnings.map((w) => `<p class="warning">${escapeHtml(w)}</p>`));
    sections.push('<h2>Figures</h2>', figuresHtml(await runFigures(dir)));
    sections.push('<h2>Resolved scenario</h2>', `<pre>${escapeHtml(readFileSync(join(dir, 'scenario.json'), 'utf8'))}</pre>`);
  } else if (existsSync(join(dir, 'rows.json'))) {
    const record = JSON.parse(readFileSync(join(dir, 'rows.json'), 'utf8')) as { definition: unknown; rows: { status: string }[] };
    title = `wpsim sweep (${record.rows.length} runs)`;
    const counts: Record<string, number> = {};
    for (const r of record.rows) counts[r.status] = (counts[r.status] ?? 0) + 1;
    sections.push('<h2>Summary</h2>', table(Object.entries(counts).map(([k, x]) => [k, String(x)]), ['status', 'runs']));
    sections.push('<h2>Figures</h2>', figuresHtml(await sweepFigures(dir)));
    const cells = parse(readFileSync(join(dir, 'sweep.csv'), 'utf8')) as string[][];
    sections.push('<h2>Runs</h2>', table(cells.slice(1, 501), cells[0]));
    sections.push('<h2>Sweep definition</h2>', `<pre>${escapeHtml(JSON.stringify(record.definition, null, 2))}</pre>`);
  } else {
    throw new InputError('DIR', 'must be a run directory (summary.json) or a sweep directory (rows.json)', dir);
  }
  const path = join(dir, 'report.html');
  writeFileSync(path, page(title, sections));
  return path;
}
