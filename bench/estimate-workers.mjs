/**
 * An estimate run on 1 and on 2 worker threads (`wpsim run --workers N`): the same scenario,
 * alternating rounds in one process, wall time and CPU time (process.cpuUsage counts every
 * thread of the process), and the check that synapses.csv and probes.csv are byte-identical.
 *
 *   node bench/estimate-workers.mjs [--quick] [--trials N] [--iris]      (or npm run bench -- --only workers)
 *
 * --iris times issue 17's iris workload (one-sided moment trials of 4-10-3 on 150 patterns)
 * instead of the 1,000-synapse teacher–student.
 */
import { readFileSync, readdirSync, mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScenario } from '../dist/app/run-scenario.js';
import { RunDirectorySink } from '../dist/output/run-dir-sink.js';
import { scenarioSchema } from '../dist/scenario/schema.js';

/**
 * The bench's estimate runs. 'teacher-student': a 1,000-synapse linear teacher–student (50 inputs
 * → 20 outputs), a fresh Gaussian input every trial, antithetic moment trials. 'iris': issue 17's
 * iris workload, 4-10-3 on all 150 patterns, one-sided Gaussian moment trials (σ = 0.01).
 */
export function benchScenario(trials, kind = 'teacher-student') {
  if (kind === 'iris') {
    return scenarioSchema.parse({
      name: 'bench-workers-iris',
      problem: { kind: 'iris' },
      perturbation: { distribution: 'gaussian', sigma: 0.01, antithetic: false },
      estimator: { name: 'moment' },
      trials,
      probeEvery: trials / 4,
      seed: 1,
    });
  }
  return scenarioSchema.parse({
    name: 'bench-workers',
    problem: { kind: 'teacher-student', inputs: 50, outputs: 20, alpha: 1 },
    perturbation: { distribution: 'gaussian', sigma: 0.05, antithetic: true },
    estimator: { name: 'moment' },
    trials,
    probeEvery: 10_000,
    seed: 1,
  });
}

/**
 * CPU seconds of every thread of this process (Linux: /proc/self/task/<tid>/stat, utime + stime
 * in clock ticks of 10 ms), or null elsewhere.
 */
function threadTimes() {
  try {
    const times = new Map();
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      times.set(tid, (Number(fields[11]) + Number(fields[12])) / 100);
    }
    return times;
  } catch {
    return null;
  }
}

async function timed(scenario, workers, out) {
  const sink = new RunDirectorySink({ outDir: out });
  // Worker threads end with the run: sample every thread's CPU time while it runs.
  const before = threadTimes() ?? new Map();
  const seen = new Map();
  const sample = () => {
    for (const [tid, t] of threadTimes() ?? []) seen.set(tid, Math.max(seen.get(tid) ?? 0, t - (before.get(tid) ?? 0)));
  };
  const timer = setInterval(sample, 50);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const record = await runScenario(scenario, { baseDir: process.cwd(), sinks: [sink], workers });
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(timer);
  sample();
  if (record.result.status !== 'complete') throw new Error(`bench run ended ${record.result.status}: ${record.result.reason}`);
  // The busiest thread's CPU time bounds the wall time on idle cores from below.
  const busiest = Math.max(...seen.values());
  return { wall, cpu: (cpu.user + cpu.system) / 1e6, busiest, dir: sink.path };
}

export async function run({ quick = false, print, fmt, trialsAsked = null, kind = 'teacher-student' }) {
  const trials = trialsAsked ?? (quick ? 40_000 : 200_000);
  const scenario = benchScenario(trials, kind);
  const out = mkdtempSync(join(tmpdir(), 'wpsim-bench-workers-'));
  const rounds = quick ? 2 : 3;
  const load0 = loadavg()[0];
  const results = { 1: [], 2: [] };
  for (let r = 0; r < rounds; r++) {
    for (const w of [1, 2]) results[w].push(await timed(scenario, w, join(out, `w${w}-r${r}`)));
  }
  const load1 = loadavg()[0];
  const same = ['synapses.csv', 'probes.csv'].every((f) => results[1].every((a) => results[2].every((b) =>
    readFileSync(join(a.dir, f)).equals(readFileSync(join(b.dir, f))))));
  const best = (w) => results[w].reduce((a, b) => (b.wall < a.wall ? b : a));
  const one = best(1);
  const two = best(2);
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const cpu1 = median(results[1].map((x) => x.cpu));
  const cpu2 = median(results[2].map((x) => x.cpu));
  const busy1 = median(results[1].map((x) => x.busiest));
  const busy2 = median(results[2].map((x) => x.busiest));
  print(`## Estimate mode on worker threads (\`node bench/estimate-workers.mjs${kind === 'iris' ? ' --iris' : ''}\`)`);
  print();
  if (kind === 'iris') print(`${trials.toLocaleString('en')} one-sided Gaussian moment trials of iris 4-10-3 on all 150 patterns (83 synapses),`);
  else print(`${trials.toLocaleString('en')} antithetic moment trials of a 1,000-synapse teacher–student (50 → 20, a fresh input every trial),`);
  print(`blocks of 1000; ${rounds} alternating rounds in one process, best wall time of each;`);
  print(`CPU time of the whole process (all threads). Load average ${load0.toFixed(2)} before, ${load1.toFixed(2)} after.`);
  print();
  print('| workers | best wall s | trials/s (wall) | speed-up (wall) | CPU s, all threads | CPU s, busiest thread | speed-up (busiest thread) |');
  print('|---|---|---|---|---|---|---|');
  print(`| 1 | ${fmt(one.wall)} | ${Math.round(trials / one.wall).toLocaleString('en')} | 1.00 | ${fmt(cpu1)} | ${fmt(busy1)} | 1.00 |`);
  print(`| 2 | ${fmt(two.wall)} | ${Math.round(trials / two.wall).toLocaleString('en')} | **${fmt(one.wall / two.wall)}×** | ${fmt(cpu2)} | ${fmt(busy2)} | **${fmt(busy1 / busy2)}×** |`);
  print();
  print('CPU columns: medians over the rounds. "Busiest thread" is the largest CPU time of any one thread');
  print('(/proc/self/task, 10 ms ticks): on two idle cores the wall time cannot be shorter, so its ratio');
  print('is the speed-up the work allows when the machine is not shared; the wall ratio is what this');
  print('machine gave at its load.');
  print();
  print(`synapses.csv and probes.csv byte-identical across all ${2 * rounds} runs: **${same ? 'yes' : 'NO'}**`);
  print(`(all wall times: 1 worker ${results[1].map((x) => fmt(x.wall)).join(', ')}; 2 workers ${results[2].map((x) => fmt(x.wall)).join(', ')})`);
  print();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const fmt = (x, d = 3) => (x >= 100 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toPrecision(d));
  const at = process.argv.indexOf('--trials');
  const trialsAsked = at >= 0 ? Number(process.argv[at + 1]) : null;
  const kind = process.argv.includes('--iris') ? 'iris' : 'teacher-student';
  await run({ quick: process.argv.includes('--quick'), trialsAsked, kind, print: (s = '') => process.stdout.write(`${s}\n`), fmt });
}
