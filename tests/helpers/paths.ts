import path from 'node:path';

/** The repository root. */
export const ROOT = path.resolve(import.meta.dirname, '../..');
/** The sample dossiers the tests, benchmarks and README use (in the repository). */
export const FIXTURES = path.join(ROOT, 'samples/dossiers');
