import { describe, expect, it } from 'vitest';
import { dotFigure, errorBarFigure } from '../../src/output/figures/specs.js';
import { renderSvg, svgToPng } from '../../src/output/figures/render.js';

// Final errors of a sweep whose exact runs went down to 1e-37 while others stopped near 1e-5: on a
// log axis everything more than six decades below the largest is clipped at the floor. resvg
// (the PNG renderer) aborted the process on the dot plot when those points lay hundreds of pixels
// outside the plot; they are now drawn on its edge.
const values = [
  { x: 'exact', series: 'a', centre: 3e-37, lo: 1e-37, hi: 9e-37 },
  { x: 'chip', series: 'a', centre: 3e-5, lo: 2e-5, hi: 5e-5 },
];
const points = [
  { x: 'exact', series: 'a', value: 1e-37 }, { x: 'exact', series: 'a', value: 9e-37 },
  { x: 'chip', series: 'a', value: 2e-5 }, { x: 'chip', series: 'a', value: 5e-5 },
];
const axis = { title: 'final train_error', log: true };

/** x of every drawn point (symbols are paths translated to their position). */
function pointXs(svg: string): number[] {
  return [...svg.matchAll(/aria-roledescription="point" transform="translate\(([-0-9.e]+),/g)].map((m) => Number(m[1]));
}

describe('log axes with values below the clipped floor', () => {
  it('a dot plot draws them on the plot edge, and renders to PNG', async () => {
    const svg = await renderSvg(dotFigure('final', values, points, null, 'rule', axis, 'spread'));
    expect(svg).toContain('(below 5e-11 clipped)');
    const xs = pointXs(svg);
    expect(xs.length).toBe(6);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(xs.filter((x) => x === Math.min(...xs)).length).toBe(3); // the exact run's two seeds and its centre
    const png = await svgToPng(svg);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });

  it('error bars too', async () => {
    const numeric = values.map((v, k) => ({ ...v, x: k + 1 }));
    const svg = await renderSvg(errorBarFigure('final', numeric, null, { title: 'k', log: false }, axis, 'spread'));
    expect(Math.min(...pointXs(svg))).toBeGreaterThanOrEqual(0);
    expect((await svgToPng(svg)).subarray(1, 4).toString()).toBe('PNG');
  });
});

describe('legends of object-valued grid axes', () => {
  it('leave out the entries every value shares, and keep the rest in order', async () => {
    const { sharedEntries, shortValue } = await import('../../src/output/figures/data.js');
    const values = [
      { learningRate: 0.425, rule: 'estimator', every: 1 },
      { learningRate: 0.5, rule: 'estimator', every: 2000, curvature: { precondition: { delta: 0.01 } } },
    ];
    const shared = sharedEntries(values);
    expect([...shared]).toEqual(['rule=estimator']);
    expect(shortValue(values[0], shared)).toBe('{learningRate=0.425, every=1}');
    expect(shortValue(JSON.stringify(values[1]), shared)).toBe('{learningRate=0.5, every=2000, curvature={"precondition":{"delta":0.01}}}');
    // A named value keeps its name; one object alone, or a mix with plain values, shares nothing.
    expect(shortValue({ name: 'seed', intercept: false }, sharedEntries([{ name: 'seed', intercept: false }, { name: 'moment', intercept: false }]))).toBe('seed');
    expect(sharedEntries([values[0]]).size).toBe(0);
    expect(sharedEntries([values[0], 0.5]).size).toBe(0);
    expect(shortValue('plain')).toBe('plain');
  });
});
