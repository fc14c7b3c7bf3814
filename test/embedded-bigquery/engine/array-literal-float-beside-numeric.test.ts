/**
 * An array literal's element type is the supertype of its elements, a floating-point literal coercing
 * to NUMERIC (conversion_rules#supertypes, "Supertypes and literals"): [1.5, numeric_column] is
 * ARRAY<NUMERIC> in BigQuery, where DuckDB makes the list DOUBLE, so the embedded BigQuery refuses it
 * loudly; beside INT64 or FLOAT64 expressions the literal makes the array FLOAT64, as BigQuery does.
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();

const schemaAndRow = async (sql: string): Promise<{ types: string[]; row: unknown[] }> => {
  const r = await engine().query(sql, opts);
  return { types: r.schema.fields.map((f) => `${f.type}${f.mode === 'REPEATED' ? '[]' : ''}`), row: r.rows[0]!.f.map((c) => c.v) };
};
const failure = async (sql: string): Promise<string> => engine().query(sql, opts).then(() => 'answered', (e: Error) => e.message);

describe('a floating-point literal beside an expression in an array literal', () => {
  test('beside a NUMERIC or BIGNUMERIC expression: loud, also over no rows', async () => {
    expect(await failure("SELECT [1.5, n] FROM (SELECT NUMERIC '2' AS n)")).toMatch(/is not supported by the embedded BigQuery$/);
    expect(await failure("SELECT [1.5, n] FROM (SELECT NUMERIC '2' AS n) WHERE FALSE")).toMatch(/is not supported by the embedded BigQuery$/);
    expect(await failure("SELECT [1.5, CAST('2' AS BIGNUMERIC) * 1]")).toMatch(/is not supported by the embedded BigQuery$/);
  });

  test('beside FLOAT64 and INT64 expressions: ARRAY<FLOAT64>; literal-only and literal-free arrays as before', async () => {
    expect(await schemaAndRow('SELECT [1.5, f], [1.5, i] FROM (SELECT 2.5 AS f, 3 AS i)')).toEqual({ types: ['FLOAT[]', 'FLOAT[]'], row: [[{ v: '1.5' }, { v: '2.5' }], [{ v: '1.5' }, { v: '3' }]] });
    expect(await schemaAndRow("SELECT [1.5, NUMERIC '2'], [1, n] FROM (SELECT NUMERIC '2' AS n)")).toEqual({ types: ['NUMERIC[]', 'NUMERIC[]'], row: [[{ v: '1.5' }, { v: '2' }], [{ v: '1' }, { v: '2' }]] });
  });
});
