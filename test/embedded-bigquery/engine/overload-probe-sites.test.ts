/**
 * The overload probes (query/overload-probe.ts). DuckDB refuses a typed-macro call whose argument names
 * no column with "has multiple overloads that match", in any position: the statement fails with
 * BigQuery's "Unrecognized name" and its position instead (HTTP Archive's cruxPassesCWV read CrUX columns
 * the harness had not seeded, and the overloads error hid which). Expected positions counted by hand.
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();

const failure = async (sql: string, dryRun = false): Promise<{ reason?: string; message: string }> =>
  engine().query(sql, { ...opts, dryRun }).then(
    () => ({ message: 'answered' }),
    (e: Error & { reason?: string }) => ({ reason: e.reason, message: e.message }),
  );

describe('an unknown name inside a typed call', () => {
  test('after a join with a subquery: Unrecognized name at its first use', async () => {
    const sql = 'SELECT a FROM (SELECT 1 AS a) JOIN (SELECT b FROM (SELECT 2 AS b), UNNEST([1]) AS l) ON a = b WHERE nosuch / (nosuch + a) > 0';
    expect(await failure(sql)).toEqual({ reason: 'invalidQuery', message: 'Unrecognized name: nosuch at [1:101]' });
    expect(await failure(sql, true)).toEqual({ reason: 'invalidQuery', message: 'Unrecognized name: nosuch at [1:101]' });
  });

  test('in an aggregate argument, in a CREATE TEMP TABLE ... AS (...) of a script', async () => {
    const sql = 'CREATE TEMP TABLE x AS (\nSELECT COUNT(DISTINCT IF(f / (f + g) >= 0.75, k, NULL)) AS n\nFROM (SELECT 1.5 AS f, 2 AS k) JOIN (SELECT 2 AS k2) ON k = k2\n)';
    expect(await failure(sql)).toEqual({ reason: 'invalidQuery', message: 'Unrecognized name: g at [2:35]' });
  });
});
