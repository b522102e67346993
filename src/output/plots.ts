import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { runFigures } from './figures/run.js';
import { sweepFigures } from './figures/sweep.js';
import { svgToPdf, svgToPng } from './figures/render.js';
import type { Figure, FigureOptions } from './figures/types.js';

/**
 * Figures for a run or a sweep directory (figures/run.ts, figures/sweep.ts), rendered headless
 * from Vega-Lite specifications to SVG, and from SVG to PNG or PDF (figures/render.ts).
 */
export { runFigures, sweepFigures };
export type { Figure, FigureOptions };
export { X_AXES, type XAxis } from './figures/types.js';

export const FORMATS = ['svg', 'png', 'pdf'] as const;
export type Format = (typeof FORMATS)[number];

/** The figures of a directory; a directory that is neither a run nor a sweep is bad input. */
export async function directoryFigures(dir: string, options: FigureOptions = {}): Promise<{ kind: 'run' | 'sweep'; figures: Figure[] }> {
  if (existsSync(join(dir, 'summary.json'))) return { kind: 'run', figures: await runFigures(dir, options) };
  if (existsSync(join(dir, 'rows.json'))) return { kind: 'sweep', figures: await sweepFigures(dir, options) };
  throw new InputError('DIR', 'must be a run directory (summary.json) or a sweep directory (rows.json)', dir);
}

/**
 * Renders a run's or sweep's figures into <dir>/plots/<name>.<format>; returns the written
 * paths. A directory with nothing to draw (no probes yet, no complete run) is bad input.
 */
export async function writeFigures(dir: string, options: FigureOptions & { format?: Format } = {}): Promise<{ figures: Figure[]; paths: string[] }> {
  const { kind, figures } = await directoryFigures(dir, options);
  if (figures.length === 0) {
    const why = kind === 'run' ? 'a run with probe rows in probes.csv' : 'a sweep with at least one complete run';
    throw new InputError('DIR', `has nothing to draw (needs ${why})`, dir);
  }
  const format = options.format ?? 'svg';
  mkdirSync(join(dir, 'plots'), { recursive: true });
  const paths: string[] = [];
  for (const f of figures) {
    const path = join(dir, 'plots', `${f.name}.${format}`);
    writeFileSync(path, format === 'svg' ? f.svg : format === 'png' ? await svgToPng(f.svg) : await svgToPdf(f.svg, f.title));
    paths.push(path);
  }
  return { figures, paths };
}
