/**
 * Functions every mapping expression may call, besides JSONata's own.
 * Kept small on purpose: each one is part of the mapping language that
 * department configs are written in, so it can never be renamed or removed.
 */

/** Vietnam's time zone: dates sent to departments are local dates. */
export const TIME_ZONE = 'Asia/Ho_Chi_Minh';

/** Patterns `$formatDate` understands. */
export const DATE_PATTERNS = ['yyyyMMddHHmmss', 'dd/MM/yyyy', 'iso'] as const;
export type DatePattern = (typeof DATE_PATTERNS)[number];

const parts = new Intl.DateTimeFormat('en-US', {
  timeZone: TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

function localParts(date: Date) {
  const p: Record<string, string> = {};
  for (const { type, value } of parts.formatToParts(date)) p[type] = value;
  const n = (k: string) => Number(p[k]);
  return { year: p.year ?? '', month: p.month ?? '', day: p.day ?? '', hour: p.hour ?? '', minute: p.minute ?? '', second: p.second ?? '', n };
}

/**
 * `$formatDate(value, pattern)`: an ISO 8601 date-time (or epoch milliseconds)
 * as local time in Asia/Ho_Chi_Minh. `yyyyMMddHHmmss` → `20261128091500`,
 * `dd/MM/yyyy` → `28/11/2026`, `iso` → `2026-11-28T09:15:00+07:00`.
 * Nothing in, nothing out (`undefined`). Throws on a value that is not a
 * date-time (without echoing it) or an unknown pattern.
 */
export function formatDate(value: string | number | undefined, pattern: string = 'iso'): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (!(DATE_PATTERNS as readonly string[]).includes(pattern)) {
    throw new Error(`$formatDate: unknown pattern "${pattern}" (use ${DATE_PATTERNS.join(', ')})`);
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error('$formatDate: the value is not an ISO 8601 date-time');
  const p = localParts(date);
  if (pattern === 'yyyyMMddHHmmss') return `${p.year}${p.month}${p.day}${p.hour}${p.minute}${p.second}`;
  if (pattern === 'dd/MM/yyyy') return `${p.day}/${p.month}/${p.year}`;
  const wall = Date.UTC(p.n('year'), p.n('month') - 1, p.n('day'), p.n('hour'), p.n('minute'), p.n('second'));
  const offset = Math.round((wall - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
  const sign = offset < 0 ? '-' : '+';
  const hh = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
  const mm = String(Math.abs(offset) % 60).padStart(2, '0');
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${sign}${hh}:${mm}`;
}

/**
 * `$removeDiacritics(text)`: Vietnamese text without tone and vowel marks, for
 * departments whose systems only take ASCII: `Nguyễn Thị Đào` → `Nguyen Thi Dao`.
 */
export function removeDiacritics(text: string | undefined): string | undefined {
  if (text === undefined || text === null) return undefined;
  return String(text)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .normalize('NFC');
}

/** `$normalize(text, form)`: Unicode normalisation (`NFC` by default; `NFD`, `NFKC`, `NFKD`) for legacy systems. */
export function normalize(text: string | undefined, form: string = 'NFC'): string | undefined {
  if (text === undefined || text === null) return undefined;
  if (!['NFC', 'NFD', 'NFKC', 'NFKD'].includes(form)) throw new Error(`$normalize: unknown form "${form}" (use NFC, NFD, NFKC or NFKD)`);
  return String(text).normalize(form);
}

/**
 * `$toNumber(value)`: a number from what departments write, or nothing when it
 * is not one (never an error): `1250000`, `"1250000"`, `"1.250.000"` (dots
 * group thousands, as written in Vietnam), `"1.250.000,5"` and `"12,5"` (comma
 * decimals), `"1,250,000.5"`.
 */
export function toNumber(value: string | number | undefined): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  let t = value.trim().replace(/\s|₫|đ|VND/gi, '');
  if (/^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(t) || /^-?\d+,\d+$/.test(t)) t = t.replace(/\./g, '').replace(',', '.');
  else if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) t = t.replace(/,/g, '');
  if (!/^-?\d+(\.\d+)?$/.test(t)) return undefined;
  return Number(t);
}

const vnd = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 });

/**
 * `$formatMoney(amount, unit)`: an amount in Vietnamese notation, `1250000` →
 * `1.250.000`; with a unit, `$formatMoney(1250000, 'đồng')` → `1.250.000 đồng`.
 * Whole đồng unless the amount has decimals. Nothing in (or not a number),
 * nothing out.
 */
export function formatMoney(amount: string | number | undefined, unit?: string): string | undefined {
  const n = toNumber(amount);
  if (n === undefined) return undefined;
  const text = (Number.isInteger(n) ? vnd : decimal).format(n);
  return unit ? `${text} ${unit}` : text;
}

/** A helper as registered with JSONata: its name (without `$`), implementation and signature. */
export interface Helper {
  name: string;
  implementation: (...args: never[]) => unknown;
  signature: string;
}

/** The helpers registered on every compiled expression. */
export const HELPERS: readonly Helper[] = [
  { name: 'formatDate', implementation: formatDate, signature: '<(sn)-s?:s>' },
  { name: 'removeDiacritics', implementation: removeDiacritics, signature: '<s-:s>' },
  { name: 'normalize', implementation: normalize, signature: '<s-s?:s>' },
  { name: 'toNumber', implementation: toNumber, signature: '<(sn)-:n>' },
  { name: 'formatMoney', implementation: formatMoney, signature: '<(sn)-s?:s>' },
];

/**
 * `$code(table, value, fallback)`: look `value` up in one of the department's
 * own code tables (`codeTables` in its config): `$code("gioiTinh", "Nữ")` → `"2"`.
 * An unknown value gives `fallback` when one is given, else an error naming the
 * table (so a missing code fails the delivery visibly instead of sending junk).
 */
export function codeLookup(tables: Record<string, Record<string, string | number>> | undefined) {
  return (table: string, value: unknown, fallback?: unknown): unknown => {
    if (value === undefined || value === null) return fallback;
    const t = tables?.[table];
    if (!t) throw new Error(`$code: no code table "${table}" in the department's codeTables`);
    const key = String(value);
    if (Object.hasOwn(t, key)) return t[key];
    if (fallback !== undefined) return fallback;
    throw new Error(`$code: "${table}" has no code for this value`);
  };
}
