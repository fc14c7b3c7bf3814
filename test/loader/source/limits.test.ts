/**
 * The per-row checks for values BigQuery cannot hold, as Postgres evaluates them: every type's edge
 * just inside its range passes and just outside is quarantined with the column named. Bounds are
 * BigQuery's documented ones, written out by hand (NUMERIC(38, 9), BIGNUMERIC ~5.79e38 with scale
 * 38, DATE/DATETIME 0001-01-01..9999-12-31, a double's range for FLOAT64 read from numeric).
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { TableContract } from '../../../contracts/schema/index.js';
import { extractTable, planExtraction } from '../../../loader/source/extract.js';
import { startTestPostgres, type TestPostgres } from '../../support/postgres.js';

let db: TestPostgres;

beforeAll(async () => {
  db = await startTestPostgres();
  await db.client.query(`create table limits_src (
    id int primary key, n numeric, bn numeric, f numeric, d date, dt timestamp, nt text, s text, b bytea, j jsonb, updated_at timestamptz not null)`);
});

afterAll(async () => {
  await db?.stop();
});

const column = (name: string, type: TableContract['columns'][number]['type']) => ({ name, type, mode: 'NULLABLE' as const, description: name });

const contract: TableContract = {
  name: 'limits_src',
  version: 1,
  domain: 'test',
  description: 'Edge values.',
  source: { schema: 'public', table: 'limits_src' },
  load: { mode: 'append', cursor: 'updated_at', lookback: '0s' },
  primary_key: ['id'],
  partition: { column: 'updated_at', granularity: 'day' },
  cluster_by: [],
  require_partition_filter: false,
  columns: [
    { ...column('id', 'INT64'), mode: 'REQUIRED' },
    column('n', 'NUMERIC'),
    column('bn', 'BIGNUMERIC'),
    column('f', 'FLOAT64'),
    column('d', 'DATE'),
    column('dt', 'DATETIME'),
    column('nt', 'NUMERIC'),
    column('s', 'STRING'),
    column('b', 'BYTES'),
    column('j', 'JSON'),
    { ...column('updated_at', 'TIMESTAMP'), mode: 'REQUIRED' },
  ],
} as TableContract;

async function run(maxRowBytes = 1000): Promise<{ ids: number[]; rejects: Map<number, string> }> {
  const plan = await planExtraction(db.client, contract, undefined, { kind: 'full' }, '', { maxRowBytes });
  const lines: Buffer[] = [];
  const rejects = new Map<number, string>();
  const sink = new Writable({
    write(chunk: Buffer, _e, callback) {
      lines.push(chunk);
      callback();
    },
  });
  await extractTable(db.client, plan, { rows: sink, onReject: (reason, json) => rejects.set(Number((JSON.parse(json) as { id: number }).id), reason) });
  const ids = Buffer.concat(lines)
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => Number((JSON.parse(l) as { id: number }).id))
    .sort((a, b) => a - b);
  return { ids, rejects };
}

describe('values at the edges of what BigQuery holds', () => {
  test('inside passes, outside is quarantined naming the column and the key', async () => {
    const rows: [number, string, string][] = [
      [1, 'n', '99999999999999999999999999999.999999999'],
      [2, 'n', '100000000000000000000000000000'],
      [3, 'n', '1.0000000001'],
      [4, 'n', '1.50000000000000'],
      [5, 'n', 'NaN'],
      [6, 'bn', '578960446186580977117854925043439539266.34992332820282019728792003956564819967'],
      [7, 'bn', '578960446186580977117854925043439539266.34992332820282019728792003956564819968'],
      [8, 'f', '1e308'],
      [9, 'f', '1e309'],
      [10, 'f', 'NaN'],
      [11, 'd', '0001-01-01'],
      [12, 'd', '0001-12-31 BC'],
      [13, 'd', '9999-12-31'],
      [14, 'd', '10000-01-01'],
      [15, 'dt', '9999-12-31 23:59:59.999999'],
      [16, 'dt', '-infinity'],
      [17, 'nt', '12.5'],
      [18, 'nt', '1e40'],
      [19, 's', 'x'.repeat(990)],
      [20, 's', 'x'.repeat(1001)],
      [21, 'b', 'x'.repeat(750)],
      [22, 'b', 'x'.repeat(751)],
      [23, 'j', JSON.stringify({ k: 'y'.repeat(1000) })],
    ];
    for (const [id, col, value] of rows) {
      const cast = col === 'b' ? `convert_to($2, 'UTF8')` : col === 'j' ? '$2::jsonb' : `$2::${{ n: 'numeric', bn: 'numeric', f: 'numeric', d: 'date', dt: 'timestamp', nt: 'text', s: 'text' }[col]}`;
      await db.client.query(`insert into limits_src (id, ${col}, updated_at) values ($1, ${cast}, '2026-01-01T00:00:00Z')`, [id, value]);
    }
    // Two values each under the limit, together over it: the row check.
    await db.client.query(`insert into limits_src (id, s, b, updated_at) values (24, repeat('z', 600), convert_to(repeat('z', 600), 'UTF8'), '2026-01-01T00:00:00Z')`);

    const { ids, rejects } = await run();
    expect(ids).toEqual([1, 4, 6, 8, 10, 11, 13, 15, 17, 19, 21]);
    const limit = "value larger than BigQuery's 1000-byte row limit";
    expect(Object.fromEntries(rejects)).toEqual({
      2: 'n: outside the range of NUMERIC(38, 9) (row id=2)',
      3: 'n: more than 9 decimal places (NUMERIC(38, 9)) (row id=3)',
      5: 'n: NUMERIC cannot hold NaN or Infinity (row id=5)',
      7: 'bn: outside the range of BIGNUMERIC(76.76, 38) (row id=7)',
      9: "f: outside FLOAT64's range (row id=9)",
      12: "d: DATE outside BigQuery's range 0001-01-01..9999-12-31 (row id=12)",
      14: "d: DATE outside BigQuery's range 0001-01-01..9999-12-31 (row id=14)",
      16: "dt: DATETIME outside BigQuery's range 0001-01-01..9999-12-31 (row id=16)",
      18: 'nt: outside the range of NUMERIC(38, 9) (row id=18)',
      20: `s: ${limit} (row id=20)`,
      22: `b: ${limit} (row id=22)`,
      23: `j: ${limit} (row id=23)`,
      24: "row: larger than BigQuery's 1000-byte row limit (row id=24)",
    });
  });
});
