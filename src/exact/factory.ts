import type { BoltzmannMachine } from '../nets/boltzmann.js';
import type { Dataset } from '../nets/dataset.js';
import { DEFAULT_RELAXATION, type GraphNet, type RelaxationOptions } from '../nets/graph.js';
import type { LayeredNet } from '../nets/layered.js';
import { BoltzmannOracle } from './boltzmann/enumeration.js';
import { GraphOracle } from './graph.js';
import { LayeredOracle } from './layered/oracle.js';
import type { Oracle } from './oracle.js';
import { RecurrentOracle, type RecurrentMethod } from './recurrent.js';

/**
 * The exact oracle for a loaded net: batched R{backprop} for layered nets, per-unit R{backprop}
 * for feedforward graphs, R{recurrent backprop} for recurrent graphs (relaxation by default, the
 * implicit-function solves with method 'implicit').
 */
export function oracleFor(
  net: LayeredNet | GraphNet | BoltzmannMachine, data: Dataset, relaxation: RelaxationOptions = DEFAULT_RELAXATION, method: RecurrentMethod = 'relax',
): Oracle {
  if (net.kind === 'layered') return new LayeredOracle(net, data);
  if (net.kind === 'boltzmann') return new BoltzmannOracle(net);
  return net.recurrent ? new RecurrentOracle(net, data, relaxation, method) : new GraphOracle(net, data);
}

