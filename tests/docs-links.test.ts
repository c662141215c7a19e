import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { settingsSchema } from '../core/config.js';
import { ROOT } from './helpers/paths.js';

/** README.md and docs/*.md: the pages a user reads. */
const PAGES = ['README.md', ...readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to "-". */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .replace(/\s/g, '-');
}

function anchors(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const [, h] of text.matchAll(/^#{1,6}\s+(.+)$/gm)) {
    const base = slug(h!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n ? `${base}-${n}` : base);
  }
  return out;
}

/** Every relative link target of a page: [text](target), outside code blocks and code spans. */
function links(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8')
    .replace(/```[\s\S]*?```/g, '')
    .replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t));
}

describe('documentation links', () => {
  it.each(PAGES)('every relative link of %s resolves to a file (and heading)', (page) => {
    const broken: string[] = [];
    for (const target of links(page)) {
      const [file, anchor] = target.split('#') as [string, string | undefined];
      const resolved = file ? path.resolve(ROOT, path.dirname(page), decodeURIComponent(file)) : path.join(ROOT, page);
      if (!existsSync(resolved)) {
        broken.push(`${target}: no such file`);
        continue;
      }
      if (anchor && resolved.endsWith('.md') && statSync(resolved).isFile() && !anchors(resolved).has(anchor)) {
        broken.push(`${target}: no heading #${anchor}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('nothing points outside the repository', () => {
    for (const page of PAGES) {
      for (const target of links(page)) {
        const file = target.split('#')[0]!;
        if (file) expect(path.resolve(ROOT, path.dirname(page), file).startsWith(ROOT + path.sep), `${page}: ${target}`).toBe(true);
      }
      expect(readFileSync(path.join(ROOT, page), 'utf8'), page).not.toMatch(/\.\.\/shared\//);
    }
  });

  it('docs/settings.md lists every setting of core/config.ts', () => {
    const text = readFileSync(path.join(ROOT, 'docs/settings.md'), 'utf8');
    const names = Object.keys((settingsSchema as unknown as { in?: { shape: object }; shape?: object }).in?.shape ?? (settingsSchema as unknown as { shape: object }).shape);
    expect(names.length).toBeGreaterThan(30);
    expect(names.filter((n) => !text.includes(`\`${n}\``))).toEqual([]);
  });

  it('the README is a short way in', () => {
    const lines = readFileSync(path.join(ROOT, 'README.md'), 'utf8').split('\n').length;
    expect(lines).toBeGreaterThanOrEqual(150);
    expect(lines).toBeLessThanOrEqual(250);
  });
});
