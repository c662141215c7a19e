/** Plain-text tables for the benchmark's output. */
export function table(rows: Array<[string, ...string[]]>, header?: string[]): string {
  const all = header ? [header, ...rows] : rows;
  const widths = all[0]!.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  const line = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
  const fmt = (r: string[]) => `| ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(' | ')} |`;
  return [line, ...(header ? [fmt(header), line] : []), ...rows.map(fmt), line].join('\n');
}

export const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '-');
export const int = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : '-');
export const two = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '-');
