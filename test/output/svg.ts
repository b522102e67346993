import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * Reading Vega's SVG output in tests: every leaf mark is a group `<g class="mark-TYPE role-ROLE">`
 * holding one element per item (a path per line, band or legend symbol, a text per label).
 */
export interface LeafMark {
  type: string;
  role: string;
  items: string[];
}

export function leafMarks(svg: string): LeafMark[] {
  const out: LeafMark[] = [];
  for (const m of svg.matchAll(/<g class="mark-(\w+) role-([\w-]+)[^"]*"[^>]*>((?:(?!<g[\s>]).)*?)<\/g>/gs)) {
    const items = [...m[3].matchAll(/<(path|text|line|rect)\b[^>]*?(?:\/>|>[^<]*<\/\1>)/g)].map((x) => x[0]);
    out.push({ type: m[1], role: m[2], items });
  }
  return out;
}

/** Items of the marks of one type and role, over all groups. */
export function items(svg: string, type: string, role: string): string[] {
  return leafMarks(svg).filter((m) => m.type === type && m.role === role).flatMap((m) => m.items);
}

/** The text of visible text items (Vega hides overlapping axis labels with opacity 0). */
export function texts(svg: string, role: string): string[] {
  return items(svg, 'text', role).filter((t) => !/opacity="0"/.test(t)).map((t) => /<text[^>]*>([^<]*)<\/text>/.exec(t)?.[1] ?? '')
    .map((t) => t.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>'));
}

/** Valid XML whose root is an <svg> with a positive width and height. */
export function parseSvg(svg: string): { width: number; height: number } {
  const valid = XMLValidator.validate(svg);
  if (valid !== true) throw new Error(`invalid SVG: ${JSON.stringify(valid)}`);
  const root = new XMLParser({ ignoreAttributes: false }).parse(svg) as { svg?: Record<string, string> };
  if (root.svg === undefined) throw new Error('no <svg> root');
  return { width: Number(root.svg['@_width']), height: Number(root.svg['@_height']) };
}
