import { describe, expect, it } from 'vitest';
import { downsample, loadMnistRaw, mnistSplit, MNIST_PIXELS, type MnistRaw } from '../../src/data/mnist.js';
import { InputError } from '../../src/errors.js';

describe('mnist raw data (shipped by the mnist package, offline)', () => {
  it('has 10,000 28×28 images in [0, 1] with labels 0 … 9 in the package counts', () => {
    const raw = loadMnistRaw();
    expect(raw.count).toBe(10000);
    expect(raw.images.length).toBe(10000 * 784);
    const counts = new Array<number>(10).fill(0);
    for (const label of raw.labels) counts[label]++;
    expect(counts).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    let min = Infinity;
    let max = -Infinity;
    for (const x of raw.images) {
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    expect([min, max]).toEqual([0, 1]);
    expect(loadMnistRaw()).toBe(raw);
  });
});

describe('downsample', () => {
  it('averages f×f blocks exactly on a synthetic image', () => {
    // pixel (r, c) = 28r + c: the mean of the block with top-left (f R, f C) is
    // 28(fR + (f−1)/2) + fC + (f−1)/2, exactly representable for f = 2, 4.
    const image = Float64Array.from({ length: 784 }, (_, k) => k);
    for (const [side, f] of [[14, 2], [7, 4]] as const) {
      const out = downsample(image, 0, 28, side, new Float64Array(side * side + 3), 3);
      for (let r = 0; r < side; r++) {
        for (let c = 0; c < side; c++) expect(out[3 + r * side + c]).toBe(28 * (f * r + (f - 1) / 2) + f * c + (f - 1) / 2);
      }
    }
    const same = downsample(image, 0, 28, 28, new Float64Array(784), 0);
    expect([...same]).toEqual([...image]);
  });

  it('keeps one bright pixel as 1/f² of its block and nothing elsewhere', () => {
    const image = new Float64Array(2 * 784);
    image[784 + 9 * 28 + 13] = 1; // second image, row 9, column 13
    const out = downsample(image, 784, 28, 7, new Float64Array(49), 0);
    for (let k = 0; k < 49; k++) expect(out[k]).toBe(k === 2 * 7 + 3 ? 1 / 16 : 0);
  });
});

describe('mnistSplit', () => {
  const seven = mnistSplit({ resolution: 7 });

  it('returns Datasets of the requested shapes with one-hot targets', () => {
    for (const resolution of [7, 14, 28] as const) {
      const s = resolution === 7 ? seven : mnistSplit({ resolution, trainCount: 500, testCount: 300 });
      const [nTrain, nTest] = resolution === 7 ? [8000, 2000] : [500, 300];
      expect([s.train.count, s.train.nIn, s.train.nOut]).toEqual([nTrain, resolution ** 2, 10]);
      expect([s.test.count, s.test.nIn, s.test.nOut]).toEqual([nTest, resolution ** 2, 10]);
      expect(s.train.inputs.length).toBe(nTrain * resolution ** 2);
      expect(s.test.targets.length).toBe(nTest * 10);
      for (let p = 0; p < nTrain; p++) {
        let sum = 0;
        for (let k = 0; k < 10; k++) sum += s.train.targets[p * 10 + k];
        expect(sum).toBe(1);
        expect(s.train.targets[p * 10 + s.trainLabels[p]]).toBe(1);
      }
    }
  });

  it('standardises with the training statistics: train mean 0 and sd 1 per feature where sd > 0', () => {
    for (const s of [seven, mnistSplit({ resolution: 28, trainCount: 3000, testCount: 100 })]) {
      const { count, nIn, inputs } = s.train;
      let constant = 0;
      for (let f = 0; f < nIn; f++) {
        let m = 0;
        for (let p = 0; p < count; p++) m += inputs[p * nIn + f];
        m /= count;
        let v = 0;
        for (let p = 0; p < count; p++) v += (inputs[p * nIn + f] - m) ** 2;
        v /= count;
        expect(Math.abs(m)).toBeLessThan(1e-12);
        if (s.sd[f] > 0) expect(Math.abs(Math.sqrt(v) - 1)).toBeLessThan(1e-12);
        else {
          constant++;
          expect(v).toBe(0);
        }
      }
      // Blank border pixels never vary in training: they are set to 0 in both splits.
      expect(constant).toBeGreaterThan(0);
      expect(constant).toBeLessThan(nIn / 4);
      for (let f = 0; f < nIn; f++) {
        if (s.sd[f] > 0) continue;
        for (let p = 0; p < s.test.count; p++) expect(s.test.inputs[p * nIn + f]).toBe(0);
      }
    }
  });

  it('scales test features by the training statistics (not their own)', () => {
    const raw = loadMnistRaw();
    const s = mnistSplit({ resolution: 28, trainCount: 1000, testCount: 50, splitSeed: 3 });
    // Find each test image among the raw ones by its label and standardised pixels.
    const f = 400; // a central pixel
    expect(s.sd[f]).toBeGreaterThan(0);
    let matched = 0;
    for (let p = 0; p < 50; p++) {
      const pixel = s.test.inputs[p * 784 + f] * s.sd[f] + s.mean[f];
      expect(pixel).toBeGreaterThanOrEqual(-1e-12);
      expect(pixel).toBeLessThanOrEqual(1 + 1e-12);
      for (let q = 0; q < raw.count; q++) {
        if (raw.labels[q] !== s.testLabels[p]) continue;
        let same = true;
        for (let k = 0; k < 784 && same; k++) {
          const back = s.sd[k] > 0 ? s.test.inputs[p * 784 + k] * s.sd[k] + s.mean[k] : raw.images[q * MNIST_PIXELS + k];
          same = Math.abs(back - raw.images[q * MNIST_PIXELS + k]) < 1e-12;
        }
        if (same) {
          matched++;
          break;
        }
      }
    }
    expect(matched).toBe(50);
  });

  it('is deterministic for a seed, different across seeds, and never shares an image between splits', () => {
    const a = mnistSplit({ resolution: 7, splitSeed: 5 });
    // A copy of the raw set is not the cached one, so b is built afresh (not the kept split).
    const b = mnistSplit({ resolution: 7, splitSeed: 5 }, { ...loadMnistRaw() });
    expect(b).not.toBe(a);
    const c = mnistSplit({ resolution: 7, splitSeed: 6 });
    expect(Buffer.from(a.train.inputs.buffer).equals(Buffer.from(b.train.inputs.buffer))).toBe(true);
    expect(Buffer.from(a.test.inputs.buffer).equals(Buffer.from(b.test.inputs.buffer))).toBe(true);
    expect([...a.trainLabels]).toEqual([...b.trainLabels]);
    expect([...a.trainLabels]).not.toEqual([...c.trainLabels]);
    // Disjointness on a synthetic raw set whose pixel 0 is the image's own index.
    const count = 300;
    const images = new Float64Array(count * MNIST_PIXELS);
    for (let q = 0; q < count; q++) images.fill(q, q * MNIST_PIXELS, (q + 1) * MNIST_PIXELS);
    const raw: MnistRaw = { count, images, labels: Uint8Array.from({ length: count }, (_, q) => q % 10) };
    const s = mnistSplit({ resolution: 7, trainCount: 200, testCount: 100, splitSeed: 1 }, raw);
    const ids = (d: { inputs: Float64Array; count: number }): number[] =>
      Array.from({ length: d.count }, (_, p) => Math.round(d.inputs[p * 49] * s.sd[0] + s.mean[0]));
    const all = [...ids(s.train), ...ids(s.test)];
    expect(new Set(all).size).toBe(300);
    expect(all.slice(0, 10)).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('keeps the last split of the package\'s images: the same options give the same arrays, other options or another raw set a new build', () => {
    const a = mnistSplit({ resolution: 7, trainCount: 400, testCount: 100, splitSeed: 9 });
    expect(mnistSplit({ resolution: 7, trainCount: 400, testCount: 100, splitSeed: 9 })).toBe(a);
    // Defaults filled in are the same options.
    const d = mnistSplit({ resolution: 7 });
    expect(mnistSplit({ resolution: 7, trainCount: d.train.count, testCount: d.test.count, splitSeed: 0 })).toBe(d);
    const other = mnistSplit({ resolution: 7, trainCount: 400, testCount: 100, splitSeed: 10 });
    expect(other).not.toBe(a);
    expect(mnistSplit({ resolution: 7, trainCount: 400, testCount: 100, splitSeed: 10 }, { ...loadMnistRaw() })).not.toBe(other);
  });

  it('has plausible class counts in each split (each class 7–13% of the split)', () => {
    for (const labels of [seven.trainLabels, seven.testLabels]) {
      const counts = new Array<number>(10).fill(0);
      for (const label of labels) counts[label]++;
      for (const n of counts) {
        expect(n / labels.length).toBeGreaterThan(0.07);
        expect(n / labels.length).toBeLessThan(0.13);
      }
    }
  });

  it('rejects bad options naming the field', () => {
    const cases: [Parameters<typeof mnistSplit>[0], RegExp][] = [
      [{ resolution: 8 as 7 }, /data\.resolution: must be 7, 14 or 28; got 8/],
      [{ resolution: 7, trainCount: 0 }, /data\.trainCount: must be a positive integer; got 0/],
      [{ resolution: 7, testCount: 1.5 }, /data\.testCount/],
      [{ resolution: 7, trainCount: 9000, testCount: 2000 }, /data\.trainCount: plus data\.testCount \(2000\) must not exceed the 10000 images; got 9000/],
      [{ resolution: 7, splitSeed: -1 }, /data\.splitSeed/],
    ];
    for (const [options, pattern] of cases) {
      expect(() => mnistSplit(options)).toThrow(InputError);
      expect(() => mnistSplit(options)).toThrow(pattern);
    }
  });
});
