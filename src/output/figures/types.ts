import { InputError } from '../../errors.js';

/** A figure: its file name (without extension), caption and SVG. */
export interface Figure {
  name: string;
  title: string;
  svg: string;
}

/** What to draw: the probes.csv columns of learning curves (none: the mode's own) and their x axis. */
export interface FigureOptions {
  y?: string[];
  x?: XAxis;
}

export const X_AXES = ['trial', 'evaluations', 'chip_time'] as const;
export type XAxis = (typeof X_AXES)[number];

export const X_TITLES: Record<XAxis, string> = { trial: 'trials', evaluations: 'E evaluations', chip_time: 'chip time (s)' };

/** Checks that the x column exists in the probes header. */
export function checkX(x: XAxis, header: string[], source: string): void {
  if (!header.includes(x)) {
    throw new InputError('--x', `must be a column of probes.csv (${X_AXES.filter((c) => header.includes(c)).join(', ')})`, x, source);
  }
}

/** Checks that every --y column exists in the probes header. */
export function checkY(y: string[], header: string[], source: string): void {
  for (const c of y) {
    if (!header.includes(c) || X_AXES.includes(c as XAxis)) {
      throw new InputError('--y', `must name a metric column of probes.csv (${header.filter((h) => !X_AXES.includes(h as XAxis)).join(', ')})`, c, source);
    }
  }
}
