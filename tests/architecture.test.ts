import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/paths.js';

/** The folders `npm test` cruises (package.json "scripts.test"). */
export const LAYERS = ['adapters', 'core', 'gateway', 'mappings', 'queue', 'runtime', 'store', 'bin'];

/** Cruise the code with the repository's .dependency-cruiser.cjs (docs/architecture.md, "Keeping the rules"). */
export async function cruiseLayers(): Promise<ICruiseResult> {
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    const options = await extractDepcruiseOptions(path.join(ROOT, '.dependency-cruiser.cjs'));
    const tsConfig = extractTSConfig(path.join(ROOT, 'tsconfig.json'));
    const result = await cruise(LAYERS, { ...options, validate: true }, {}, { tsConfig });
    return result.output as ICruiseResult;
  } finally {
    process.chdir(cwd);
  }
}

/** `rule: from → to` (or the cycle), one line per violation. */
const describeViolation = (v: IViolation) => `${v.rule.name}: ${v.from} → ${v.to}${v.cycle?.length ? ` (cycle ${v.cycle.map((c) => c.name).join(' → ')})` : ''}`;

describe('architecture', () => {
  it('every import follows the layering of docs/architecture.md, with no cycle between files or folders', async () => {
    const result = await cruiseLayers();
    const violations = result.summary.violations.map(describeViolation);
    if (violations.length) console.error(`dependency-cruiser found ${violations.length} violation(s):\n${violations.join('\n')}`);
    expect(violations).toEqual([]);
    // The cruise really looked at the code (a wrong path or config would find nothing and pass).
    expect(result.summary.totalCruised).toBeGreaterThan(100);
    expect(result.modules.some((m) => m.source === 'core/use-cases/dossiers.ts')).toBe(true);
  }, 60_000);
});
