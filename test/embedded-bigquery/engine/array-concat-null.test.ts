/**
 * ARRAY_CONCAT returns NULL if any argument is NULL (array_functions#array_concat); DuckDB's list_concat
 * read a NULL array as empty. Expected values by hand from that rule.
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();

const values = async (sql: string): Promise<unknown[]> => (await engine().query(sql, opts)).rows.map((r) => r.f.map((c) => c.v))[0]!;

describe('ARRAY_CONCAT with a NULL argument', () => {
  test('is NULL wherever the NULL stands; without one it concatenates', async () => {
    const none = 'CAST(NULL AS ARRAY<INT64>)';
    expect(await values(`SELECT ARRAY_CONCAT([1], ${none}) IS NULL, ARRAY_CONCAT(${none}, [2]) IS NULL, ARRAY_CONCAT([1], [2], ${none}) IS NULL, ARRAY_LENGTH(ARRAY_CONCAT([1, 2], [3], []))`)).toEqual(['true', 'true', 'true', '3']);
    expect(await values('SELECT ARRAY_CONCAT(a, b) IS NULL FROM UNNEST([STRUCT([1] AS a, CAST(NULL AS ARRAY<INT64>) AS b)])')).toEqual(['true']);
  });
});
