import path from 'node:path';

/** The repository root. */
export const ROOT = path.resolve(import.meta.dirname, '../..');
/** shared/ lies beside the clone (locally and in CI). */
export const SHARED = path.resolve(ROOT, '../shared');
export const FIXTURES = path.join(SHARED, 'fixtures/dossiers');
