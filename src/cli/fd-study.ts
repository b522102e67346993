import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { fdStudy } from '../approx/fd-study.js';
import { GraphOracle } from '../exact/graph.js';
import { loadNetFile } from '../io/netfile.js';
import { oracleFor } from '../exact/factory.js';
import { loadVector, seededDirection } from '../io/vector.js';
import { relErr } from '../linalg/blas1.js';
import { layeredToGraph } from '../nets/graph.js';
import { InputError, NonFiniteError } from '../errors.js';
import { checkOutputFile } from '../output/run-dir.js';
import { action, firstNonFinite } from './run-action.js';
import { seed } from './options.js';

interface FdStudyOptions {
  v?: string;
  csv?: string;
  seed: number;
}

export function registerFdStudy(program: Command): void {
  program
    .command('fd-study')
    .description('finite-difference Hv error against exact R{backprop} for r = 1e-1 … 1e-12 (the U curve)')
    .argument('<net>', 'net file (layered or unit-graph JSON)')
    .option('--v <file>', 'direction v as a JSON array (default: seeded N(0, I))')
    .option('--seed <s>', 'seed for the default direction v', seed, 1)
    .option('--csv <file>', 'also write the table as CSV (r, forward_rel_err, central_rel_err)')
    .action(action((netPath: string, opts: FdStudyOptions) => {
      if (opts.csv !== undefined) checkOutputFile(opts.csv, '--csv');
      const { net, data, weights, relaxation } = loadNetFile(netPath);
      const oracle = oracleFor(net, data, relaxation);
      const n = oracle.size;
      const v = opts.v !== undefined ? loadVector(opts.v, n) : seededDirection(n, opts.seed);
      const exact = new Float64Array(n);
      const e = oracle.evaluate(weights, v, null, exact);
      if (!Number.isFinite(e)) throw new NonFiniteError('E at the given weights', e, 'an overflow in the net');
      const badExact = firstNonFinite({ hv: exact });
      if (badExact !== null) throw new NonFiniteError(`exact ${badExact.where}`, badExact.value, 'R{backprop} at these weights; no error curve exists');
      if (exact.every((x) => x === 0)) {
        throw new InputError('(net)', 'must have Hv ≠ 0 in direction v for relative errors to exist', 'Hv = 0');
      }
      const rows = fdStudy(oracle, weights, v, exact);
      const badRow = rows.findIndex((row) => !Number.isFinite(row.forwardRelErr) || !Number.isFinite(row.centralRelErr));
      if (badRow >= 0) {
        const row = rows[badRow];
        const which = Number.isFinite(row.forwardRelErr) ? 'central' : 'forward';
        throw new NonFiniteError(`${which} error at r = ${row.r.toExponential(0)}`, which === 'forward' ? row.forwardRelErr : row.centralRelErr, 'E overflows at w ± r v');
      }
      // R{backprop}'s own accuracy: against the independent unit-graph implementation.
      let ropCheck = '';
      if (net.kind === 'layered') {
        const other = new Float64Array(n);
        new GraphOracle(layeredToGraph(net), data).hv(weights, v, other);
        ropCheck = relErr(other, exact).toExponential(2);
      }
      const csv = stringify(rows.map((r) => [r.r, r.forwardRelErr, r.centralRelErr]), {
        header: true,
        columns: ['r', 'forward_rel_err', 'central_rel_err'],
      });
      if (opts.csv !== undefined) writeFileSync(opts.csv, csv);
      const best = (key: 'forwardRelErr' | 'centralRelErr'): { r: number; err: number } =>
        rows.reduce((b, row) => (row[key] < b.err ? { r: row.r, err: row[key] } : b), { r: NaN, err: Infinity });
      const lines = [`relative L2 error of finite-difference Hv against exact R{backprop} (${netPath}, ${n} weights)`, ''];
      lines.push(`${'r'.padStart(8)} ${'forward'.padStart(10)} ${'central'.padStart(10)}`);
      for (const row of rows) {
        lines.push(`${row.r.toExponential(0).padStart(8)} ${row.forwardRelErr.toExponential(2).padStart(10)} ${row.centralRelErr.toExponential(2).padStart(10)}`);
      }
      const f = best('forwardRelErr');
      const c = best('centralRelErr');
      lines.push('');
      lines.push(`best forward: ${f.err.toExponential(2)} at r = ${f.r.toExponential(0)}`);
      lines.push(`best central: ${c.err.toExponential(2)} at r = ${c.r.toExponential(0)}`);
      if (ropCheck !== '') lines.push(`R{backprop} vs independent unit-graph implementation: ${ropCheck}`);
      if (opts.csv !== undefined) lines.push(`csv: ${opts.csv}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    }));
}
