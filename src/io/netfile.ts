import { z } from 'zod';
import { InputError } from '../errors.js';
import { ACTIVATION_NAMES } from '../nets/activations.js';
import { LOSS_NAMES, loss as lossByName } from '../nets/losses.js';
import { datasetFromRows, type Dataset } from '../nets/dataset.js';
import { layeredNet, layeredSize, type LayeredNet } from '../nets/layered.js';
import { DEFAULT_RELAXATION, graphNet, GraphCycleError, type GraphNet, type RelaxationOptions } from '../nets/graph.js';
import type { BoltzmannMachine } from '../nets/boltzmann.js';
import { boltzmannFileSchema, boltzmannFromFile } from './boltzmann-file.js';
import { readJsonFile, validate } from './json.js';
import { LIMITS } from './limits.js';

/**
 * Net files (docs/formats.md). Two JSON formats, told apart by their keys:
 *  - layered: {"layers", "activations", "loss", "weights", "inputs", "targets"}
 *  - graph:   {"units", "activations", "inputUnits", "biasUnit"?, "outputUnits",
 *              "connections": [{"from", "to"}], "loss", "weights", "inputs", "targets"}
 * Every rule is checked here, once, so the kernels can trust their sizes (docs/architecture.md, "Walls").
 */
const finite = z.number();
const count = z.number().int('must be an integer').min(1, 'must be at least 1');
const activationName = z.enum(ACTIVATION_NAMES);
const lossName = z.enum(LOSS_NAMES);
const matrix = z.array(z.array(finite)).min(1, 'must hold at least one pattern');

export const layeredFileSchema = z
  .object({
    layers: z.array(count).min(2, 'must list at least an input and an output layer'),
    activations: z.array(activationName),
    loss: lossName,
    weights: z.array(finite),
    inputs: matrix,
    targets: matrix,
  })
  .strict()
  .superRefine((f, ctx) => {
    const L = f.layers.length - 1;
    if (f.activations.length !== L) {
      ctx.addIssue({ code: 'custom', path: ['activations'], message: `must have one name per weight layer (${L})` });
      return;
    }
    const expected = layeredSize(f.layers);
    // The size budget (docs/formats.md, "Limits"), from the declared sizes alone.
    if (!(expected <= LIMITS.weights)) {
      ctx.addIssue({ code: 'custom', path: ['layers'], message: `implies ${expected} weights, above the limit of ${LIMITS.weights} (docs/formats.md, "Limits")` });
      return;
    }
    if (!overCells(ctx, ['layers'], f.inputs.length, f.layers.slice(1).reduce((a, b) => a + b, 0))) return;
    if (f.weights.length !== expected) {
      ctx.addIssue({
        code: 'custom',
        path: ['weights'],
        message: `must have ${expected} entries for layers [${f.layers.join(',')}] (W out×in then b per layer), not ${f.weights.length}`,
      });
    }
    checkPatterns(ctx, f.inputs, f.targets, f.layers[0], f.layers[L]);
    checkLossActivation(ctx, f.loss, f.activations[L - 1], ['activations', L - 1]);
  });

const connection = z.object({ from: z.number().int().min(0), to: z.number().int().min(0) }).strict();

export const graphFileSchema = z
  .object({
    units: count,
    activations: z.array(activationName),
    inputUnits: z.array(z.number().int().min(0)),
    biasUnit: z.number().int().min(0).optional(),
    outputUnits: z.array(z.number().int().min(0)).min(1, 'must name at least one output unit'),
    connections: z.array(connection),
    loss: lossName,
    weights: z.array(finite),
    inputs: matrix,
    targets: matrix,
    recurrent: z.boolean().optional(),
    relaxation: z
      .object({
        step: z.number().positive('must be greater than 0').max(1, 'must be at most 1').default(DEFAULT_RELAXATION.step),
        tolerance: z.number().positive('must be greater than 0').default(DEFAULT_RELAXATION.tolerance),
        maxSteps: z.number().int('must be an integer').min(1, 'must be at least 1').default(DEFAULT_RELAXATION.maxSteps),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    if (f.relaxation !== undefined && f.recurrent !== true) {
      ctx.addIssue({ code: 'custom', path: ['relaxation'], message: 'applies only to recurrent nets ("recurrent": true)' });
    }
    if (!overCells(ctx, ['units'], f.inputs.length, f.units)) return;
    if (f.activations.length !== f.units) {
      ctx.addIssue({ code: 'custom', path: ['activations'], message: `must have one name per unit (${f.units})` });
      return;
    }
    const inRange = (id: number, path: (string | number)[]): boolean => {
      if (id < f.units) return true;
      ctx.addIssue({ code: 'custom', path, message: `must be a unit id below units (${f.units})` });
      return false;
    };
    f.inputUnits.forEach((u, k) => inRange(u, ['inputUnits', k]));
    f.outputUnits.forEach((u, k) => inRange(u, ['outputUnits', k]));
    if (f.biasUnit !== undefined) inRange(f.biasUnit, ['biasUnit']);
    f.connections.forEach((c, k) => {
      inRange(c.from, ['connections', k, 'from']);
      inRange(c.to, ['connections', k, 'to']);
    });
    const seen = new Set<string>();
    f.connections.forEach((c, k) => {
      const key = `${c.from}>${c.to}`;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['connections', k], message: 'must not repeat a connection' });
      seen.add(key);
    });
    if (f.weights.length !== f.connections.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['weights'],
        message: `must have one entry per connection (${f.connections.length}), not ${f.weights.length}`,
      });
    }
    checkPatterns(ctx, f.inputs, f.targets, f.inputUnits.length, f.outputUnits.length);
    f.outputUnits.forEach((u) => {
      if (u < f.units) checkLossActivation(ctx, f.loss, f.activations[u], ['activations', u]);
    });
  });

/** Adds an issue and returns false when patterns × units activation cells exceed the budget. */
function overCells(ctx: z.RefinementCtx, path: string[], patterns: number, units: number): boolean {
  const cells = patterns * units;
  if (cells <= LIMITS.cells) return true;
  ctx.addIssue({
    code: 'custom',
    path,
    message: `implies ${patterns} patterns × ${units} units = ${cells} activation cells, above the limit of ${LIMITS.cells} (docs/formats.md, "Limits")`,
  });
  return false;
}

function checkPatterns(ctx: z.RefinementCtx, inputs: number[][], targets: number[][], nIn: number, nOut: number): void {
  inputs.forEach((row, p) => {
    if (row.length !== nIn) ctx.addIssue({ code: 'custom', path: ['inputs', p], message: `must have ${nIn} values (input width)` });
  });
  targets.forEach((row, p) => {
    if (row.length !== nOut) ctx.addIssue({ code: 'custom', path: ['targets', p], message: `must have ${nOut} values (output width)` });
  });
  if (inputs.length !== targets.length) {
    ctx.addIssue({ code: 'custom', path: ['targets'], message: `must have one row per input pattern (${inputs.length})` });
  }
}

function checkLossActivation(ctx: z.RefinementCtx, loss: string, act: string, path: (string | number)[]): void {
  const required = lossByName(loss as (typeof LOSS_NAMES)[number]).requiresActivation;
  if (required !== null && act !== required) {
    ctx.addIssue({ code: 'custom', path, message: `must be "${required}" on output units for loss "${loss}"` });
  }
}

export { boltzmannFileSchema } from './boltzmann-file.js';

export interface LoadedNet {
  readonly net: LayeredNet | GraphNet | BoltzmannMachine;
  readonly data: Dataset;
  readonly weights: Float64Array;
  /** Relaxation settings of a recurrent net (undefined for feedforward nets). */
  readonly relaxation?: RelaxationOptions;
}

/** Validates a parsed net file of either format. `source` names it in error messages. */
export function netFromJson(value: unknown, source: string): LoadedNet {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError('(root)', 'must be a JSON object with "layers" (layered net), "units" (unit graph) or "visible" (Boltzmann machine)', value, source);
  }
  if ('visible' in value) {
    const f = validate(boltzmannFileSchema, value, source);
    const machine = boltzmannFromFile(f);
    // The Boltzmann "data" are the visible patterns; there are no targets.
    const data: Dataset = { count: machine.patternCount, nIn: machine.visible, nOut: 0, inputs: machine.patterns, targets: new Float64Array(0) };
    return { net: machine, data, weights: Float64Array.from(f.weights) };
  }
  if ('units' in value) {
    const f = validate(graphFileSchema, value, source);
    let net: GraphNet;
    try {
      net = graphNet({
        units: f.units,
        activations: f.activations,
        inputs: f.inputUnits,
        bias: f.biasUnit ?? -1,
        outputs: f.outputUnits,
        connections: f.connections,
        loss: f.loss,
        recurrent: f.recurrent === true,
      });
    } catch (err) {
      if (err instanceof GraphCycleError) {
        throw new InputError(
          'connections',
          'must form an acyclic graph (feedforward net; set "recurrent": true for a relaxation net)',
          `cycle ${err.cycle.join(' -> ')}`,
          source,
        );
      }
      throw err;
    }
    return {
      net,
      data: datasetFromRows(f.inputs, f.targets),
      weights: Float64Array.from(f.weights),
      relaxation: f.relaxation ?? (net.recurrent ? DEFAULT_RELAXATION : undefined),
    };
  }
  if (!('layers' in value)) {
    throw new InputError('(root)', 'must have "layers" (layered net), "units" (unit graph) or "visible" (Boltzmann machine)', Object.keys(value), source);
  }
  const f = validate(layeredFileSchema, value, source);
  return {
    net: layeredNet(f.layers, f.activations, f.loss),
    data: datasetFromRows(f.inputs, f.targets),
    weights: Float64Array.from(f.weights),
  };
}

/** Reads a net file; `field` names the argument or scenario field that gave the path. */
export function loadNetFile(path: string, field = 'NET'): LoadedNet {
  return netFromJson(readJsonFile(path, field), path);
}

/** A layered net in its file form (weights as a plain array). */
export function layeredNetToJson(net: LayeredNet, data: Dataset, weights: Float64Array): object {
  const rows = (flat: Float64Array, width: number): number[][] =>
    Array.from({ length: data.count }, (_, p) => Array.from(flat.subarray(p * width, (p + 1) * width)));
  return {
    layers: net.layers,
    activations: net.activationNames,
    loss: net.lossName,
    weights: Array.from(weights),
    inputs: rows(data.inputs, data.nIn),
    targets: rows(data.targets, data.nOut),
  };
}

/** A one-line description of a loaded net for logs and tables. */
export function describeNet(net: LayeredNet | GraphNet | BoltzmannMachine): string {
  switch (net.kind) {
    case 'layered':
      return `layered ${net.layers.join('-')}, loss ${net.lossName}`;
    case 'graph':
      return `${net.recurrent ? 'recurrent ' : ''}unit graph, ${net.units} units, loss ${net.lossName}`;
    case 'boltzmann':
      return `Boltzmann machine, ${net.visible} visible + ${net.hidden} hidden ${net.states} units, ${net.energySign > 0 ? 'seed' : 'standard'} energy sign, T = ${net.temperature}, objective G = KL(P+ || P-)`;
  }
}
