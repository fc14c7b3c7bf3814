/**
 * `expression.*` (GoogleSQL query syntax, SELECT expression.*: the fields of a STRUCT-valued
 * expression as columns) for an expression (`ARRAY_AGG(STRUCT(t) ORDER BY ...)[SAFE_OFFSET(0)].*`,
 * `(STRUCT(...)).*`) and a STRUCT column read through a table alias (`agg.t.*`), as
 * cloud-cost-management-toolkit keeps the latest recommendation per resource. A value that is no
 * STRUCT fails. Expected values by hand.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import type { Engine, QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';
import { memoryEngine, namesAndRows } from '../support-memory-engine.js';

const opts: QueryOptions = { projectId: 'landform-local' };
const run = (sql: string) => namesAndRows(engine, sql, opts);

const engineOf = memoryEngine();
let engine: Engine;

beforeAll(async () => {
  engine = engineOf();
});

const RECS = "(select 'r1' as name, 'vm-1' as target, 1 as refreshed union all select 'r2', 'vm-1', 2 union all select 'r3', 'vm-2', 1) as t";

describe('expression.*', () => {
  test('the latest row per group: ARRAY_AGG(STRUCT(t) ORDER BY ...)[SAFE_OFFSET(0)].*, then agg.t.*', async () => {
    // (no ORDER BY: DuckDB plans UNNEST of a STRUCT only as a select item's root, and sorting adds a projection above it)
    const r = await run(`select agg.t.* from (select array_agg(struct(t) order by refreshed desc)[safe_offset(0)].* from ${RECS} group by target) as agg`);
    expect(r.names).toEqual(['name', 'target', 'refreshed']);
    expect(r.rows.sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([['r2', 'vm-1', '2'], ['r3', 'vm-2', '1']]);
  });

  test('(STRUCT(...)).* gives the fields as columns', async () => {
    expect(await run("select (struct(1 as a, 'x' as b)).*")).toEqual({ names: ['a', 'b'], rows: [['1', 'x']] });
  });

  test('a value that is no STRUCT fails; EXCEPT after it stays loud', async () => {
    await expect(run('select agg.t.* from (select [1, 2] as t) as agg')).rejects.toThrow();
    await expect(run('select agg.t.* except (a) from (select struct(1 as a, 2 as b) as t) as agg')).rejects.toThrow(/not supported by the embedded BigQuery/);
  });
});
