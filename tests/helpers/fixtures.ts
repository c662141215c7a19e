import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Dossier } from '../../core/model/dossier.js';
import { FIXTURES } from './paths.js';

/** The sample dossiers of samples/dossiers/, by file name without `.json`. */
export function fixtures(): Record<string, Dossier> {
  return Object.fromEntries(
    readdirSync(FIXTURES)
      .filter((f) => f.endsWith('.json'))
      .map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(path.join(FIXTURES, f), 'utf8')) as Dossier]),
  );
}

export function fixture(name: string): Dossier {
  const d = fixtures()[name];
  if (!d) throw new Error(`no fixture ${name}`);
  return structuredClone(d);
}

/** A fixture under a fresh dossier code (same agency and date, sequence `n`). */
export function withCode(d: Dossier, n: number): Dossier {
  return { ...structuredClone(d), code: d.code.replace(/-\d{4}$/, `-${String(n).padStart(4, '0')}`) };
}
