/**
 * GENERATE_ARRAY (array_functions#generate_array): INT64 sequences, NULL for a NULL argument, BigQuery's
 * error for a zero step (DuckDB's generate_series gives an empty list), and FLOAT64/NUMERIC forms (checked
 * against ZetaSQL's generate_array.h in outer-typed-macros.test.ts). Expected values by hand.
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();

const failure = async (sql: string): Promise<string> => engine().query(sql, opts).then(() => 'answered', (e: Error) => e.message);
const elements = async (sql: string): Promise<unknown> => {
  const cell = (await engine().query(sql, opts)).rows[0]!.f[0]!.v;
  return Array.isArray(cell) ? cell.map((e: { v: unknown }) => e.v) : cell;
};

describe('GENERATE_ARRAY', () => {
  test('INT64 sequences up and down, bounds included when the step reaches them', async () => {
    expect(await elements('SELECT GENERATE_ARRAY(1, 10, 3)')).toEqual(['1', '4', '7', '10']);
    expect(await elements('SELECT GENERATE_ARRAY(10, 0, -3)')).toEqual(['10', '7', '4', '1']);
    expect(await elements('SELECT GENERATE_ARRAY(4, 4)')).toEqual(['4']);
    expect(await elements('SELECT GENERATE_ARRAY(10, 0, 3)')).toEqual([]);
  });

  test('a zero step is an error, a NULL argument NULL', async () => {
    expect(await failure('SELECT GENERATE_ARRAY(1, 2, 0)')).toBe('Sequence step cannot be 0.');
    expect(await failure('SELECT GENERATE_ARRAY(x, 5, x - x) FROM UNNEST([3]) AS x')).toBe('Sequence step cannot be 0.');
    // the REST API sends a NULL array as [] (array_functions page prints NULL)
    expect(await elements('SELECT GENERATE_ARRAY(NULL, 5)')).toEqual([]);
  });

  test('FLOAT64 and NUMERIC forms (more in outer-typed-macros.test.ts)', async () => {
    expect(await elements('SELECT GENERATE_ARRAY(0.0, 1.0, 0.25)')).toEqual(['0', '0.25', '0.5', '0.75', '1']);
    expect(await elements("SELECT GENERATE_ARRAY(0, 10, NUMERIC '2.5')")).toEqual(['0', '2.5', '5', '7.5', '10']);
  });
});
