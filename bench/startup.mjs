/**
 * Start-up time of the CLI: `wpsim --version` and `wpsim validate <ready scenario>` as whole
 * processes, against a bare `node -e 0` on the same machine in the same rounds (the floor no CLI
 * can beat). vega and the figure renderers are loaded only by `plot` and `report`
 * (src/cli/plot.ts), so these two commands must stay under 0.3 s.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

function seconds(args) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'ignore'] });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
  return (performance.now() - t0) / 1000;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run({ quick, print, fmt }) {
  const cases = [
    ['node -e 0 (floor)', ['-e', '0']],
    ['wpsim --version', [MAIN, '--version']],
    ['wpsim validate xor-wp-gradient', [MAIN, 'validate', 'xor-wp-gradient']],
  ];
  const rounds = quick ? 5 : 15;
  const times = cases.map(() => []);
  seconds(cases[1][1]); // warm the file cache
  for (let r = 0; r < rounds; r++) cases.forEach(([, args], k) => times[k].push(seconds(args)));
  print('## CLI start-up');
  print();
  print(`Whole processes, median of ${rounds} alternating rounds. Target: under 0.3 s for --version and validate.`);
  print();
  print('| command | median s | min s |');
  print('|---|---|---|');
  cases.forEach(([name], k) => print(`| ${name} | ${fmt(median(times[k]))} | ${fmt(Math.min(...times[k]))} |`));
  print();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const fmt = (x) => x.toFixed(3);
  await run({ quick: process.argv.includes('--quick'), print: (s = '') => process.stdout.write(`${s}\n`), fmt });
}
