import { createRequire } from 'node:module';
import type { Config, TopLevelSpec } from 'vega-lite';

/**
 * Rendering a figure: Vega-Lite → Vega → SVG (headless, no browser); SVG → PNG (resvg) and
 * → PDF (PDFKit with SVG-to-PDFKit). Figures are sized for one column of a two-column paper:
 * about 3.5 in wide at 96 px per inch, with 9–10 px (7–7.5 pt) text; PNGs are rasterised at
 * 300 dpi and PDFs keep the vector drawing at 1 px = 0.75 pt. The fonts are DejaVu Sans from the
 * dejavu-fonts-ttf package, so PNG and PDF look the same on any machine.
 */
export const FONT = 'DejaVu Sans';
export const VIEW_WIDTH = 250;
export const VIEW_HEIGHT = 160;
export const PNG_DPI = 300;
const CSS_DPI = 96;

/** Vega-Lite configuration shared by every figure. */
export const CONFIG: Config = {
  font: FONT,
  view: { stroke: '#888' },
  title: { fontSize: 10, anchor: 'start', fontWeight: 'bold', offset: 6, limit: 330, subtitleFontSize: 9, subtitleColor: '#444' },
  axis: { labelFontSize: 9, titleFontSize: 9, titleFontWeight: 'normal', gridColor: '#e4e4e4', tickColor: '#888', domainColor: '#888' },
  legend: {
    orient: 'bottom', direction: 'vertical', columns: 2, labelFontSize: 9, titleFontSize: 9,
    labelLimit: 160, symbolSize: 120, rowPadding: 2, columnPadding: 10, padding: 0, offset: 8,
  },
  line: { strokeWidth: 1.4 },
  point: { size: 18, filled: true },
  range: {
    // Okabe–Ito: distinguishable with colour-vision deficiencies and in greyscale print.
    category: ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442', '#999999'],
  },
};

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(compile({ ...spec, config: CONFIG }).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** The width and height attributes of a rendered SVG, in CSS px. */
export function svgSize(svg: string): { width: number; height: number } {
  const head = /<svg[^>]*>/.exec(svg)?.[0] ?? '';
  const width = Number(/\swidth="([\d.]+)"/.exec(head)?.[1]);
  const height = Number(/\sheight="([\d.]+)"/.exec(head)?.[1]);
  if (!(width > 0 && height > 0)) throw new Error('svgSize: the SVG has no width and height');
  return { width, height };
}

/** The PNG's pixel size for an SVG of the given CSS size at PNG_DPI (resvg rounds to nearest). */
export function pngSize(size: { width: number; height: number }): { width: number; height: number } {
  const zoom = PNG_DPI / CSS_DPI;
  return { width: Math.round(size.width * zoom), height: Math.round(size.height * zoom) };
}

const require = createRequire(import.meta.url);
const fontFile = (name: string): string => require.resolve(`dejavu-fonts-ttf/ttf/${name}`);

export async function svgToPng(svg: string): Promise<Buffer> {
  const { Resvg } = await import('@resvg/resvg-js');
  const png = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: PNG_DPI / CSS_DPI },
    background: 'white',
    font: { fontFiles: [fontFile('DejaVuSans.ttf'), fontFile('DejaVuSans-Bold.ttf')], loadSystemFonts: false, defaultFontFamily: FONT },
  }).render();
  return png.asPng();
}

/** A fixed creation date keeps the PDF's bytes a function of the figure alone. */
const PDF_DATE = new Date('2000-01-01T00:00:00Z');

export async function svgToPdf(svg: string, title: string): Promise<Buffer> {
  const [{ default: PDFDocument }, { default: SVGtoPDF }] = await Promise.all([import('pdfkit'), import('svg-to-pdfkit')]);
  const { width, height } = svgSize(svg);
  const pt = 72 / CSS_DPI;
  const doc = new PDFDocument({ size: [width * pt, height * pt], margin: 0, info: { Title: title, Producer: 'wpsim', Creator: 'wpsim', CreationDate: PDF_DATE } });
  doc.registerFont('regular', fontFile('DejaVuSans.ttf'));
  doc.registerFont('bold', fontFile('DejaVuSans-Bold.ttf'));
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  SVGtoPDF(doc, svg, 0, 0, { width: width * pt, height: height * pt, fontCallback: (_family: string, bold: boolean) => (bold ? 'bold' : 'regular') });
  doc.end();
  await done;
  return Buffer.concat(chunks);
}
