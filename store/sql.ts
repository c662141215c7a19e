/**
 * A small helper to write one statement out of several steps (a CTE) with
 * `$n` parameters, so that a step or a column is one line:
 *
 *   const p = new Params();
 *   const steps = [
 *     insertStep('created', 'dossiers', { code: p.add(code, 'text'), status: p.add(status, 'text') }, { returning: 'code' }),
 *     insertStep('entry', 'dossier_events', { dossier_code: 'created.code', seq: '1' }, { from: 'created' }),
 *   ];
 *   await db.query(withSteps(steps, 'select code from created'), p.values);
 *
 * Values are SQL expressions: a parameter's placeholder (from `add`, always
 * cast: in `insert … select` PostgreSQL does not infer a parameter's type
 * from the column), a literal, or a column of an earlier step.
 */
export class Params {
  readonly values: unknown[] = [];

  /** Add a value; its placeholder, cast to `type`. */
  add(value: unknown, type: string): string {
    this.values.push(value === undefined ? null : value);
    return `$${this.values.length}::${type}`;
  }

  /** A JSON value as jsonb (null stays SQL null). */
  json(value: unknown): string {
    return this.add(value === undefined || value === null ? null : JSON.stringify(value), 'jsonb');
  }
}

/**
 * `name as (insert into table (cols) select values [from …] [where …] [on conflict …] [returning …])`.
 * Without `from` the row is inserted once; with it, once per row of `from`
 * (none when an earlier step wrote nothing).
 */
export function insertStep(
  name: string,
  table: string,
  row: Record<string, string>,
  options: { from?: string; where?: string; onConflict?: string; returning?: string } = {},
): string {
  const columns = Object.keys(row);
  return (
    `${name} as (insert into ${table} (${columns.join(', ')}) select ${columns.map((c) => row[c]).join(', ')}` +
    (options.from ? ` from ${options.from}` : '') +
    (options.where ? ` where ${options.where}` : '') +
    (options.onConflict ? ` on conflict ${options.onConflict}` : '') +
    (options.returning ? ` returning ${options.returning}` : '') +
    ')'
  );
}

/** The statement: `with step, step, … <final select>`. */
export function withSteps(steps: string[], select: string): string {
  return `with ${steps.join(',\n  ')}\n${select}`;
}
