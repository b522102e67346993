import { InputError } from '../errors.js';
import type { BoltzmannMachine } from '../nets/boltzmann.js';
import type { Dataset } from '../nets/dataset.js';
import { DEFAULT_RELAXATION, type GraphNet, type RelaxationOptions } from '../nets/graph.js';
import type { LayeredNet } from '../nets/layered.js';
import { wasmKernelsUnavailable } from '../wasm/kernels.js';
import { BoltzmannOracle } from './boltzmann/enumeration.js';
import { GraphOracle } from './graph.js';
import { LayeredOracle, type LayeredKernels } from './layered/oracle.js';
import type { Oracle } from './oracle.js';
import { RecurrentOracle, type RecurrentMethod } from './recurrent.js';

export interface OracleOptions {
  /** The layered pass's kernels (docs/formats.md, "Kernels and bytes"); other nets have one implementation. */
  kernels?: LayeredKernels;
}

/**
 * The exact oracle for a loaded net: batched R{backprop} for layered nets, per-unit R{backprop}
 * for feedforward graphs, R{recurrent backprop} for recurrent graphs (relaxation by default, the
 * implicit-function solves with method 'implicit').
 */
export function oracleFor(
  net: LayeredNet | GraphNet | BoltzmannMachine, data: Dataset, relaxation: RelaxationOptions = DEFAULT_RELAXATION, method: RecurrentMethod = 'relax',
  options: OracleOptions = {},
): Oracle {
  if (net.kind === 'layered') return layeredOracle(net, data, options.kernels ?? 'auto');
  if (net.kind === 'boltzmann') return new BoltzmannOracle(net);
  return net.recurrent ? new RecurrentOracle(net, data, relaxation, method) : new GraphOracle(net, data);
}

/**
 * The layered oracle on the requested kernels; asking for 'wasm' where the module cannot load
 * is bad input (the scenario's `kernels` field or `--kernels`), not an internal error.
 */
export function layeredOracle(net: LayeredNet, data: Dataset, kernels: LayeredKernels): LayeredOracle {
  if (kernels === 'wasm') {
    const reason = wasmKernelsUnavailable();
    if (reason !== null) throw new InputError('kernels', 'must be "auto" or "js" where the wasm kernels cannot load', `wasm (${reason})`);
  }
  return new LayeredOracle(net, data, { kernels });
}
