import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { runReport } from './report/run.js';
import { sweepReport } from './report/sweep.js';

/**
 * One self-contained HTML page for a run or a sweep directory (no scripts, figures as inline
 * SVG), written to <dir>/report.html: the description and the headline numbers first, rounded
 * to meaningful digits; warnings highlighted; the figures; then the tables (a sweep's per grid
 * point, mean ± sd over seeds, before every run's row) and the resolved scenario or sweep
 * definition, folded.
 */
export async function writeReport(dir: string): Promise<string> {
  let report: { html: string };
  if (existsSync(join(dir, 'summary.json'))) report = await runReport(dir);
  else if (existsSync(join(dir, 'rows.json'))) report = await sweepReport(dir);
  else throw new InputError('DIR', 'must be a run directory (summary.json) or a sweep directory (rows.json)', dir);
  const path = join(dir, 'report.html');
  writeFileSync(path, report.html);
  return path;
}
