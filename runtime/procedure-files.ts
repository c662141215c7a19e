import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import type { CatalogItem } from '../core/use-cases/procedures.js';

/**
 * Procedure catalog files (docs/deadlines.md):
 * - JSON or YAML: a list of procedures, or `{procedures: [...]}`, each
 *   `{code, name, sector?, processingTime: {value, unit}, fees?, supplementPolicy?}`;
 * - CSV (UTF-8, optional BOM, `,` separated, `"` quoted): a header row with
 *   `code,name,sector,value,unit,supplementPolicy,fees`; `fees` is
 *   `CODE:amount:name` entries separated by `;` (the name may hold `:`).
 */
export async function loadCatalogFile(file: string): Promise<{ items: CatalogItem[]; problems: string[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return { items: [], problems: [`cannot read ${file}: ${(err as Error).message}`] };
  }
  text = text.replace(/^\uFEFF/, '');
  if (/\.csv$/i.test(file)) return fromCsv(text);
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 100 });
  } catch (err) {
    return { items: [], problems: [`${path.basename(file)} is not valid YAML/JSON: ${(err as Error).message.split('\n')[0]}`] };
  }
  const list = Array.isArray(doc) ? doc : doc && typeof doc === 'object' ? (doc as { procedures?: unknown }).procedures : undefined;
  if (!Array.isArray(list)) return { items: [], problems: ['the file must hold a list of procedures, or {procedures: [...]}'] };
  const items = list.map((entry, i): CatalogItem => {
    const { code, ...body } = entry && typeof entry === 'object' ? (entry as Record<string, unknown>) : { code: undefined };
    return { code, body, where: `procedures[${i}]${typeof code === 'string' ? ` (${code})` : ''}` };
  });
  return { items, problems: [] };
}

/** RFC 4180 rows: quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field), rows.push(row), (row = []), (field = '');
    } else field += ch;
  }
  if (field !== '' || row.length) row.push(field), rows.push(row);
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

const COLUMNS = ['code', 'name', 'sector', 'value', 'unit', 'supplementPolicy', 'fees'] as const;

function fromCsv(text: string): { items: CatalogItem[]; problems: string[] } {
  const [header, ...rows] = parseCsv(text);
  if (!header) return { items: [], problems: ['the CSV file is empty'] };
  const names = header.map((h) => h.trim());
  const missing = ['code', 'name', 'value', 'unit'].filter((c) => !names.includes(c));
  const unknown = names.filter((n) => !(COLUMNS as readonly string[]).includes(n));
  const problems = [
    ...(missing.length ? [`the header lacks column(s) ${missing.join(', ')} (columns: ${COLUMNS.join(',')})`] : []),
    ...(unknown.length ? [`unknown column(s) ${unknown.join(', ')} (columns: ${COLUMNS.join(',')})`] : []),
  ];
  if (problems.length) return { items: [], problems };
  const items = rows.map((cells, i): CatalogItem => {
    const get = (c: string) => {
      const v = cells[names.indexOf(c)]?.trim();
      return v === undefined || v === '' ? undefined : v;
    };
    const value = get('value');
    const body: Record<string, unknown> = {
      name: get('name'),
      ...(get('sector') ? { sector: get('sector') } : {}),
      processingTime: { value: value === undefined || Number.isNaN(Number(value)) ? value : Number(value), unit: get('unit') },
      ...(get('supplementPolicy') ? { supplementPolicy: get('supplementPolicy') } : {}),
      fees: (get('fees') ?? '')
        .split(';')
        .map((f) => f.trim())
        .filter(Boolean)
        .map((f) => {
          const [code, amount, ...name] = f.split(':');
          return { code: code?.trim(), amount: amount === undefined ? undefined : Number(amount.trim()), name: name.join(':').trim() };
        }),
    };
    const code = get('code');
    return { code, body, where: `row ${i + 2}${code ? ` (${code})` : ''}` };
  });
  return { items, problems: [] };
}

/** A calendar file: `{ "2027": {daysOff: [...], workingDays: [...]}, ... }` (YAML or JSON). */
export async function loadCalendarFile(file: string): Promise<Record<string, unknown>> {
  const doc = parse((await readFile(file, 'utf8')).replace(/^\uFEFF/, ''), { maxAliasCount: 100 }) as unknown;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Error(`${file}: must map years to {daysOff, workingDays}`);
  return doc as Record<string, unknown>;
}
