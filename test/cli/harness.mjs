// Runs many wpsim invocations in one Node process (each CLI spawn costs about a second of
// start-up): argv[2] is a JSON file of cases {id, args, cwd}; one JSON line per case is appended
// to argv[3] as it finishes, so a case that hangs is identified by the last line written.
// Per case: exit code, stdout, stderr, wall time, the process's peak RSS so far, and the paths
// created anywhere under the watched directories (the sandbox and /).
import { appendFileSync, readdirSync, readFileSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [casesPath, outPath, programPath, ...watched] = process.argv.slice(2);
const { runCli } = await import(pathToFileURL(programPath).href);
const cases = JSON.parse(readFileSync(casesPath, 'utf8'));

/** Every path under dir (depth-first, not following links), or the top level only for '/'. */
function listing(dir) {
  const out = [];
  const walk = (d, depth) => {
    let names;
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const name of names) {
      const p = join(d, name);
      out.push(p);
      if (depth > 0) {
        try {
          if (lstatSync(p).isDirectory()) walk(p, depth - 1);
        } catch { /* vanished */ }
      }
    }
  };
  walk(dir, dir === '/' ? 0 : 20);
  return out;
}

const realOut = process.stdout.write.bind(process.stdout);
const realErr = process.stderr.write.bind(process.stderr);
for (const c of cases) {
  const before = new Set(watched.flatMap(listing));
  let stdout = '';
  let stderr = '';
  process.stdout.write = (chunk, ...rest) => { stdout += String(chunk); const cb = rest.find((x) => typeof x === 'function'); if (cb) cb(); return true; };
  process.stderr.write = (chunk, ...rest) => { stderr += String(chunk); const cb = rest.find((x) => typeof x === 'function'); if (cb) cb(); return true; };
  process.chdir(c.cwd);
  const t0 = performance.now();
  let code;
  try {
    code = await runCli(['node', 'wpsim', ...c.args]);
  } catch (err) {
    code = 'threw';
    stderr += `HARNESS: runCli threw ${err && err.stack}`;
  } finally {
    process.stdout.write = realOut;
    process.stderr.write = realErr;
  }
  const ms = performance.now() - t0;
  const created = watched.flatMap(listing).filter((p) => !before.has(p));
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  appendFileSync(outPath, `${JSON.stringify({ id: c.id, code, stdout, stderr, ms, maxRssMB, created })}\n`);
}
process.exitCode = 0;
