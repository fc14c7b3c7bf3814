/**
 * A dry run runs its statement in a transaction it rolls back; DuckDB rolls the registration of the
 * JavaScript UDFs' scalar function back with it. Every JavaScript UDF after a dry run of one (the
 * public-projects harness dry-runs each reader before the Dataform run) failed with "Function not
 * found: bq_jsudf_call"; they answer, before and after a dry run and after a failed script.
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();

const DEFINE = "CREATE TEMP FUNCTION twice(x STRING) RETURNS STRING LANGUAGE js AS 'return x + x;';";
const values = async (sql: string): Promise<unknown[]> => (await engine().query(sql, opts)).rows.map((r) => r.f[0]!.v);

describe('a JavaScript UDF and dry runs', () => {
  test('answers after a dry run of a query defining one', async () => {
    await engine().query(`${DEFINE} SELECT twice('a')`, { ...opts, dryRun: true });
    expect(await values(`${DEFINE} SELECT twice('ab') AS y`)).toEqual(['abab']);
    await engine().query(`${DEFINE} SELECT twice('a')`, { ...opts, dryRun: true });
    expect(await values(`${DEFINE} SELECT twice(s) FROM UNNEST(['x', 'yz']) AS s ORDER BY s`)).toEqual(['xx', 'yzyz']);
  });

  test('answers after a script that defined one and failed', async () => {
    await expect(engine().query(`${DEFINE} SELECT twice('a'); SELECT ERROR('stop')`, opts)).rejects.toMatchObject({ message: expect.stringContaining('stop') });
    expect(await values(`${DEFINE} SELECT twice('c')`)).toEqual(['cc']);
  });
});
