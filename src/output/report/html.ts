import type { Figure } from '../figures/types.js';

/** HTML building blocks of the reports: escaping, rounded numbers, tables, the page. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * A number rounded to meaningful digits: integers as they are (grouped by thin spaces past
 * 9999), other values to 3 significant digits, in exponent form below 1e-3 or from 1e6.
 */
export function num(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return Math.abs(x) > 9999 ? x.toString().replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009') : String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return x.toExponential(digits - 1).replace(/\.?0+e/, 'e');
  return String(Number(x.toPrecision(digits)));
}

/**
 * mean ± sd of a sample (sd with n − 1), the mean rounded to the last digit the sd's two
 * significant digits reach: 0.096 ± 0.014, not 0.0956 ± 0.014.
 */
export function meanSd(xs: number[]): string {
  if (xs.length === 0) return '';
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  if (xs.length === 1) return num(m);
  const s = Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
  const decimals = s > 0 ? 1 - Math.floor(Math.log10(s)) : 0;
  const a = Math.max(Math.abs(m), s);
  if (s > 0 && decimals >= 0 && decimals <= 6 && a >= 1e-3 && a < 1e6) return `${m.toFixed(decimals)} ± ${s.toFixed(decimals)}`;
  return `${num(m)} ± ${num(s, 2)}`;
}

/** A value of any kind as readable text: numbers rounded, objects as name(key=value, …). */
export function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return num(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(text).join(', ')}]`;
  const { name, ...rest } = v as Record<string, unknown>;
  const args = Object.entries(rest).map(([k, x]) => `${k}=${text(x)}`).join(', ');
  return name !== undefined ? `${String(name)}${args ? `(${args})` : ''}` : `{${args}}`;
}

/** A table; numeric columns align right. Wide tables scroll inside their box, not the page. */
export function table(header: string[], rows: string[][], options: { numeric?: boolean[]; caption?: string; cls?: string } = {}): string {
  const numeric = options.numeric ?? header.map((_, k) => rows.length > 0 && rows.every((r) => r[k] === '' || /^[-+−]?[\d.\u2009]+(e[-+]?\d+)?( ± [\d.e+-]+)?$/.test(r[k])));
  const td = (c: string, k: number, tag: string): string => `<${tag}${numeric[k] ? ' class="n"' : ''}>${escapeHtml(c)}</${tag}>`;
  const head = `<thead><tr>${header.map((h, k) => td(h, k, 'th')).join('')}</tr></thead>`;
  const body = `<tbody>${rows.map((r) => `<tr>${r.map((c, k) => td(c, k, 'td')).join('')}</tr>`).join('\n')}</tbody>`;
  const caption = options.caption !== undefined ? `<caption>${escapeHtml(options.caption)}</caption>` : '';
  return `<div class="scroll${options.cls ? ` ${options.cls}` : ''}"><table>${caption}${head}\n${body}</table></div>`;
}

/** Headline numbers as large figures with a label each. */
export function headline(items: [string, string][]): string {
  return `<dl class="headline">${items.map(([k, v]) => `<div><dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd></div>`).join('')}</dl>`;
}

export function warnings(list: string[]): string {
  if (list.length === 0) return '';
  return `<section class="warnings" role="alert"><h2>Warnings</h2><ul>${list.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul></section>`;
}

export function figures(list: Figure[]): string {
  if (list.length === 0) return '<p class="muted">No figures: nothing to draw yet.</p>';
  return `<div class="figures">${list.map((f) => `<figure>${f.svg}<figcaption>${escapeHtml(f.title)}</figcaption></figure>`).join('\n')}</div>`;
}

export function details(summary: string, body: string): string {
  return `<details><summary>${escapeHtml(summary)}</summary><pre>${escapeHtml(body)}</pre></details>`;
}

const STYLE = `*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;padding:1.5em 2em 3em;max-width:1180px;color:#1d1d1f}
h1{font-size:1.55em;margin:.2em 0 .1em}h2{font-size:1.15em;margin:1.8em 0 .5em;border-bottom:1px solid #ddd;padding-bottom:.2em}
.lead{font-size:1.05em;color:#333;max-width:60em}.muted{color:#666}
.status{display:inline-block;font-size:.6em;vertical-align:middle;padding:.15em .6em;border-radius:1em;background:#e6f4ea;color:#135c2a;margin-left:.5em}
.status.bad{background:#fde8e8;color:#8a1c1c}
.headline{display:flex;flex-wrap:wrap;gap:.8em;margin:1em 0;padding:0}
.headline div{border:1px solid #ddd;border-radius:6px;padding:.5em .9em;min-width:9em}
.headline dt{font-size:.8em;color:#555}.headline dd{margin:0;font-size:1.35em;font-variant-numeric:tabular-nums}
.warnings{background:#fff4e0;border-left:5px solid #e08a00;padding:.3em 1em;margin:1em 0}
.warnings h2{border:0;margin:.4em 0;font-size:1em;color:#8a4b00}.warnings ul{margin:.2em 0 .6em;padding-left:1.2em}
.scroll{overflow:auto;max-width:100%;margin:.5em 0}.scroll.tall{max-height:32em}
table{border-collapse:collapse;font-size:.9em}caption{text-align:left;color:#555;padding:.2em 0}
td,th{border:1px solid #d6d6d6;padding:.25em .6em;text-align:left;white-space:nowrap}
th{background:#f4f4f4;position:sticky;top:0}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(430px,1fr));gap:1.2em}
figure{margin:0}figure svg{width:100%;height:auto;max-width:640px}figcaption{color:#555;font-size:.9em}
details{margin:.6em 0}summary{cursor:pointer;color:#333}pre{background:#f6f6f6;padding:1em;overflow:auto;font-size:.85em}`;

export function page(title: string, status: { text: string; ok: boolean } | null, sections: string[]): string {
  const badge = status === null ? '' : `<span class="status${status.ok ? '' : ' bad'}">${escapeHtml(status.text)}</span>`;
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>\n<body>\n<h1>${escapeHtml(title)}${badge}</h1>\n${sections.filter((s) => s !== '').join('\n')}\n</body></html>\n`;
}
