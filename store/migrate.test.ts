import { describe, expect, it } from 'vitest';
import { splitStatements } from './migrate.js';

describe('splitStatements', () => {
  it('splits on ";" at line ends, ignoring comment lines even when they end with ";"', () => {
    const sql = `-- a table;\ncreate table a (\n  x int, -- inline note\n  -- state: pending; synced;\n  y text\n);\ncreate index a_x on a (x);\n`;
    const squash = (s: string) => s.replace(/\s+/g, ' ');
    expect(splitStatements(sql).map(squash)).toEqual(['create table a ( x int, -- inline note y text )', 'create index a_x on a (x)']);
  });
});
