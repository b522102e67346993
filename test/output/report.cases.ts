import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { wpsim } from '../helpers/cli.js';
import { writeReport } from '../../src/output/report.js';

/** The page up to the folded resolved scenario / sweep definition (raw JSON lives there). */
const visible = (path: string): string => readFileSync(path, 'utf8').split('<details>')[0];
import { fixtures } from './fixtures.js';

const fx = fixtures();
let runHtml: string;
let wpHtml: string;
let sweepHtml: string;

describe('wpsim report', () => {
beforeAll(async () => {
  // In-process (vega is loaded once); the CLI's report command is the same function.
  runHtml = await writeReport(fx.runs.get('hardware-noise-adc') as string);
  wpHtml = await writeReport(fx.runs.get('xor-wp-gradient') as string);
  sweepHtml = await writeReport(fx.categorical);
}, 120_000);

it('wpsim report prints the path of the page it wrote', () => {
  const r = wpsim(['report', fx.seedsOnly]);
  expect(r.status).toBe(0);
  expect(r.stdout).toBe(`${fx.seedsOnly}/report.html\n`);
  expect(readFileSync(r.stdout.trim(), 'utf8')).toMatch(/^<!doctype html>/);
});

  it('a run: description and headline numbers first, rounded; warnings highlighted; no raw nulls or zero counters', () => {
    const html = visible(runHtml);
    const scenario = JSON.parse(readFileSync(runHtml.replace(/report\.html$/, 'scenario.json'), 'utf8')) as { description: string };
    const at = (s: string): number => html.indexOf(s);
    expect(at('<p class="lead">')).toBeGreaterThan(0);
    expect(html).toContain(scenario.description.slice(0, 40));
    expect(at('class="headline"')).toBeGreaterThan(at('<p class="lead">'));
    expect(at('class="warnings"')).toBeGreaterThan(at('class="headline"'));
    expect(at('<h2>Figures</h2>')).toBeGreaterThan(at('class="warnings"'));
    expect(html).toMatch(/<li>2 dead synapse\(s\)/);
    expect(html).toContain('dead synapses: 2');
    expect(html).not.toMatch(/null|ΔE converter clips: 0/);
    // Rounded: no 16-digit values outside the figures and the folded JSON.
    expect(html.replace(/<svg[\s\S]*?<\/svg>/g, '')).not.toMatch(/\d\.\d{6,}/);
  });

  it('a run whose estimator does not estimate z shows no z values and says why', () => {
    const html = visible(wpHtml);
    expect(html).toContain('does not estimate z = Hv');
    expect(html).not.toMatch(/<td>z_rel_err<\/td>/);
  });

  it('a sweep: the per-grid-point table (mean ± sd) before the runs table; estimators as readable text', () => {
    const html = visible(sweepHtml);
    expect(html.indexOf('Summary per grid point')).toBeLessThan(html.indexOf('<h2>Runs</h2>'));
    expect(html).toMatch(/<td>seed\(intercept=false\)<\/td><td class="n">2\/2<\/td><td class="n">[\d.]+ ± [\d.]+<\/td>/);
    expect(html).not.toContain('{&quot;name&quot;');
  });

  // Debian's chromium is installed by .ci/run, so CI always runs this; on a machine without it the
  // test is skipped (and says so in the test name) rather than failing the quick start.
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  const haveChromium = existsSync(executablePath);
  it.skipIf(!haveChromium)(`opens in headless Chromium: no console errors, figures shown, no horizontal overflow at 1280 px${haveChromium ? '' : ' (SKIPPED: no chromium; apt-get install chromium)'}`, async () => {
    const browser = await chromium.launch({
      executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      for (const [html, figureCount, h1] of [[runHtml, 3, /wpsim run: hardware-noise-adc/], [sweepHtml, 4, /wpsim sweep: figtest/]] as const) {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        const problems: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error') problems.push(m.text());
        });
        page.on('pageerror', (e) => problems.push(e.message));
        await page.goto(`file://${html}`);
        const sizes = await page.$$eval('figure svg', (svgs) => svgs.map((s) => {
          const b = s.getBoundingClientRect();
          return [b.width, b.height];
        }));
        expect(problems).toEqual([]);
        expect(sizes.length).toBe(figureCount);
        for (const [w, h] of sizes) {
          expect(w).toBeGreaterThan(300);
          expect(h).toBeGreaterThan(80);
        }
        expect(await page.textContent('h1')).toMatch(h1);
        const [scrollWidth, clientWidth] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
        expect(clientWidth).toBe(1280);
        expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
        await page.close();
      }
      // The sweep's wide runs table scrolls inside its own box instead of widening the page.
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(`file://${sweepHtml}`);
      const box = await page.$eval('.scroll.tall', (d) => [d.scrollWidth, d.clientWidth]);
      expect(box[0]).toBeGreaterThan(box[1]);
      await page.close();
    } finally {
      await browser.close();
    }
  });
});
