/**
 * A fixed set of training patterns, flat and row-major: pattern p's inputs are
 * inputs[p·nIn … p·nIn + nIn), its targets targets[p·nOut …). E sums over all patterns.
 */
export interface Dataset {
  readonly count: number;
  readonly nIn: number;
  readonly nOut: number;
  readonly inputs: Float64Array;
  readonly targets: Float64Array;
}

export function datasetFromRows(inputs: number[][], targets: number[][]): Dataset {
  const count = inputs.length;
  const nIn = count > 0 ? inputs[0].length : 0;
  const nOut = count > 0 ? targets[0].length : 0;
  const x = new Float64Array(count * nIn);
  const t = new Float64Array(count * nOut);
  for (let p = 0; p < count; p++) {
    x.set(inputs[p], p * nIn);
    t.set(targets[p], p * nOut);
  }
  return { count, nIn, nOut, inputs: x, targets: t };
}
