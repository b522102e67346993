import { InputError } from '../errors.js';
import type { Rng } from '../random/rng.js';
import { CdmaCode, TdmaCode, WalshCode, type PerturbationCode } from './codes.js';
import { FdmaCode } from './fdma.js';

/**
 * What a scenario says about its perturbation code (docs/theory.md, "Perturbation codes").
 * fdma needs the chip's step dt (seconds) and its band [fMin, fMax] (Hz).
 */
export type CodeSpec =
  | { name: 'tdma' }
  | { name: 'cdma'; rho: number }
  | { name: 'walsh' }
  | { name: 'fdma'; fMin: number; fMax: number; dt: number };

/**
 * Checked constructor: validates the spec once (InputError naming the field, the rule and the
 * value) and builds the code for n synapses with scale σ. The rng is the perturbation stream:
 * cdma draws from it every step; walsh and fdma draw their per-synapse constants from it once.
 */
export function makeCode(spec: CodeSpec, size: number, sigma: number, rng: Rng): PerturbationCode {
  if (!Number.isInteger(size) || size < 1) throw new InputError('synapses', 'must be a positive integer', size);
  if (!(Number.isFinite(sigma) && sigma > 0)) throw new InputError('perturbation.sigma', 'must be a finite number > 0', sigma);
  switch (spec.name) {
    case 'tdma':
      return new TdmaCode(size, sigma);
    case 'cdma':
      if (!(spec.rho > 0 && spec.rho <= 1)) throw new InputError('perturbation.rho', 'must lie in (0, 1]', spec.rho);
      return new CdmaCode(size, sigma, spec.rho, rng);
    case 'walsh':
      return new WalshCode(size, sigma, rng);
    case 'fdma': {
      const { fMin, fMax, dt } = spec;
      if (!(Number.isFinite(dt) && dt > 0)) throw new InputError('chip.dt', 'must be a finite number of seconds > 0', dt);
      if (!(Number.isFinite(fMin) && fMin > 0)) throw new InputError('perturbation.fMin', 'must be a finite frequency > 0 Hz', fMin);
      if (!(Number.isFinite(fMax) && fMax >= fMin)) throw new InputError('perturbation.fMax', `must be finite and ≥ fMin (${fMin} Hz)`, fMax);
      if (size > 1 && !(fMax > fMin)) throw new InputError('perturbation.fMax', `must exceed fMin (${fMin} Hz) to give ${size} distinct frequencies`, fMax);
      if (!(2 * fMax * dt < 1)) throw new InputError('perturbation.fMax', `must lie below the Nyquist frequency 1/(2·chip.dt) = ${1 / (2 * dt)} Hz`, fMax);
      return new FdmaCode(size, sigma, fMin, fMax, dt, rng);
    }
  }
}
