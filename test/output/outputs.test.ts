import { beforeAll } from 'vitest';
import { setUpFixtures } from './fixtures.js';

/**
 * The figure, report and Python tests share one set of small run and sweep directories
 * (fixtures.ts), made once here; the cases live in *.cases.ts.
 */
beforeAll(setUpFixtures, 180_000);

await import('./figures.cases.js');
await import('./report.cases.js');
await import('./python.cases.js');
