/**
 * The README's report screenshot: renders DIR/report.html in headless Chromium at 1280 × 900
 * and writes the visible part to OUT (docs/report-screenshot.png).
 *
 *   node dist/cli/main.js sweep scenarios/sweeps/seed-vs-moment-sigma.json --out /tmp/svm
 *   node dist/cli/main.js report /tmp/svm
 *   node scripts/report-screenshot.mjs /tmp/svm docs/report-screenshot.png
 */
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';

const [dir, out] = process.argv.slice(2);
if (dir === undefined || out === undefined) {
  process.stderr.write('usage: node scripts/report-screenshot.mjs DIR OUT.png\n');
  process.exit(2);
}
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`file://${resolve(dir, 'report.html')}`);
  await page.screenshot({ path: out });
} finally {
  await browser.close();
}
