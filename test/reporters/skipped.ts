import type { Reporter, TestModule } from 'vitest/node';
import { relative } from 'node:path';

/**
 * Names every skipped test at the end of a run, so that `npm test` says what did not run and
 * why: tests that need an optional tool (Chromium, python3 with pandas) carry the reason in
 * their name, e.g. "(SKIPPED: no chromium; apt-get install chromium)". A filtered run (-t, which
 * skips most tests) gets the count only.
 */
export default class SkippedReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const skipped = testModules.flatMap((m) => [...m.children.allTests('skipped')].map((t) => `${relative(process.cwd(), m.moduleId)} > ${t.fullName}`));
    if (skipped.length === 0) return;
    const list = skipped.length <= 10 ? `:\n${skipped.map((s) => `  - ${s}`).join('\n')}` : ' (a filtered run?)';
    process.stdout.write(`\nSkipped tests (${skipped.length})${list}\n`);
  }
}
