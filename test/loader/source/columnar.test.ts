/**
 * The columnar stage formats against a real Postgres: what the Parquet part holds (read back with
 * parquet-wasm + apache-arrow, independently of the writer) and what the CSV part holds, for every
 * kind, with nulls, edge dates, microseconds and text that needs quoting; a broken row goes to
 * quarantine with Postgres's row JSON in both. Expected values are written out by hand.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { tableFromIPC } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import type { TableContract } from '../../../contracts/schema/index.js';
import { extractTable, planExtraction } from '../../../loader/source/extract.js';
import type { ColumnBatch } from '../../../loader/stage/column-batch.js';
import type { RowChunk } from '../../../loader/stage/part-writer.js';
import { startTestPostgres, type TestPostgres } from '../../support/postgres.js';

let db: TestPostgres;

beforeAll(async () => {
  db = await startTestPostgres();
  await db.client.query(`create table kinds (
    id bigint primary key, small int2, f float8, ok bool, s text, ts timestamptz not null, dt timestamp, d date, j jsonb)`);
  await db.client.query(`insert into kinds values
    (1, 7, 1.5, true, 'plain', '2026-03-04 05:06:07.123456+00', '2026-03-04 05:06:07.5', '2026-03-04', '{"a": 1}'),
    (2, null, null, null, null, '1969-12-31 23:59:59.999999+00', null, null, null),
    (3, -32768, 'NaN', false, E'quote " comma , newline \\n tab \\t é', '0001-01-01 00:00:00+00', '9999-12-31 23:59:59.999999', '0001-01-01', '{"s": "x\\"y"}'),
    (4, 0, '-Infinity', false, '', '2000-01-01 00:00:00+00', '2000-01-01 00:00:00', '2000-01-01', '[1, "two"]'),
    (5, 1, 2.5, true, 'too far', '10000-01-01 00:00:00+00', null, null, null)`);
});

afterAll(async () => {
  await db?.stop();
});

const column = (name: string, type: TableContract['columns'][number]['type'], mode: 'NULLABLE' | 'REQUIRED' = 'NULLABLE') => ({ name, type, mode, description: name });

function contract(withJson: boolean): TableContract {
  return {
    name: 'kinds',
    version: 1,
    domain: 'test',
    description: 'Every kind.',
    source: { schema: 'public', table: 'kinds' },
    load: { mode: 'append', cursor: 'ts', lookback: '0s' },
    primary_key: ['id'],
    partition: { column: 'ts', granularity: 'day' },
    cluster_by: [],
    require_partition_filter: false,
    columns: [
      column('id', 'INT64', 'REQUIRED'),
      column('small', 'INT64'),
      column('f', 'FLOAT64'),
      column('ok', 'BOOL'),
      column('s', 'STRING'),
      column('ts', 'TIMESTAMP', 'REQUIRED'),
      column('dt', 'DATETIME'),
      column('d', 'DATE'),
      ...(withJson ? [column('j', 'JSON')] : []),
    ],
  } as TableContract;
}

describe('Parquet stage', () => {
  test('every kind lands as its Parquet type with its value; the out-of-range row is quarantined', async () => {
    const table = contract(false);
    const plan = await planExtraction(db.client, table, undefined, { kind: 'full' }, '');
    expect(plan.format).toBe('parquet');
    const files: Uint8Array[] = [];
    const rejects: [string, Record<string, unknown>][] = [];
    // Two rows per part: the batch boundary is crossed and every part is a file of its own.
    const result = await extractTable(db.client, plan, {
      batches: { limits: { rows: 2, bytes: 1 << 20 }, onBatch: async (batch: ColumnBatch) => void files.push(batch.toParquet(true)) },
      onReject: (reason, json) => rejects.push([reason, JSON.parse(json) as Record<string, unknown>]),
    });
    expect(result).toMatchObject({ rows: 4, rejected: 1 });
    expect(files).toHaveLength(2);
    const rows = files.flatMap((file) => {
      const t = tableFromIPC(readParquet(file).intoIPCStream());
      expect(t.schema.fields.map((f) => `${f.name}:${String(f.type)}:${f.nullable}`)).toEqual([
        'id:Int64:false',
        'small:Int64:true',
        'f:Float64:true',
        'ok:Bool:true',
        's:Utf8:true',
        'ts:Timestamp<MICROSECOND, UTC>:false',
        'dt:Timestamp<MICROSECOND>:true',
        'd:Date32<DAY>:true',
      ]);
      // Times as their stored integers (µs, days), not Arrow's millisecond numbers.
      const raw = (name: string) => {
        const vector = t.getChild(name)!;
        const values = vector.data.flatMap((d) => Array.from(d.values as ArrayLike<number | bigint>));
        return (i: number) => (vector.isValid(i) ? values[i] : null);
      };
      const ts = raw('ts');
      const dt = raw('dt');
      const d = raw('d');
      return t.toArray().map((r, i): Record<string, unknown> => ({ ...(r as { toJSON(): Record<string, unknown> }).toJSON(), ts: ts(i), dt: dt(i), d: d(i) }));
    });
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    // µs since 1970 and days since 1970, worked out by hand.
    expect(byId.get(1)).toEqual({ id: 1n, small: 7n, f: 1.5, ok: true, s: 'plain', ts: 1772600767123456n, dt: 1772600767500000n, d: 20516 });
    expect(byId.get(2)).toEqual({ id: 2n, small: null, f: null, ok: null, s: null, ts: -1n, dt: null, d: null });
    expect(byId.get(3)).toEqual({ id: 3n, small: -32768n, f: NaN, ok: false, s: 'quote " comma , newline \n tab \t é', ts: -62135596800000000n, dt: 253402300799999999n, d: -719162 });
    expect(byId.get(4)).toEqual({ id: 4n, small: 0n, f: -Infinity, ok: false, s: '', ts: 946684800000000n, dt: 946684800000000n, d: 10957 });
    expect(rejects).toEqual([["ts: TIMESTAMP outside BigQuery's range 0001-01-01..9999-12-31 (row id=5)", { id: 5, small: 1, f: 2.5, ok: true, s: 'too far', ts: '10000-01-01T00:00:00+00:00', dt: null, d: null }]]);
  });
});

describe('CSV stage', () => {
  test('a table with a JSON column stages Postgres CSV: nulls as \\N, quoted fields, ISO times in UTC', async () => {
    const table = contract(true);
    const plan = await planExtraction(db.client, table, undefined, { kind: 'full' }, '');
    expect(plan.format).toBe('csv');
    const chunks: Buffer[] = [];
    const rejects: [string, string][] = [];
    await extractTable(db.client, plan, {
      rows: new Writable({
        objectMode: true,
        write(chunk: RowChunk, _e, cb) {
          chunks.push(Buffer.from(chunk.bytes));
          cb();
        },
      }),
      onReject: (reason, json) => rejects.push([reason, json]),
    });
    const lines = Buffer.concat(chunks).toString('utf8');
    // Tab-delimited, quoted with 0x1e only where a field holds a tab, a line break or 0x1e itself.
    const expected = [
      '1\t7\t1.5\ttrue\tplain\t2026-03-04 05:06:07.123456+00\t2026-03-04 05:06:07.5\t2026-03-04\t{"a": 1}',
      '2\t\\N\t\\N\t\\N\t\\N\t1969-12-31 23:59:59.999999+00\t\\N\t\\N\t\\N',
      '3\t-32768\tNaN\tfalse\t\x1equote " comma , newline \n tab \t é\x1e\t0001-01-01 00:00:00+00\t9999-12-31 23:59:59.999999\t0001-01-01\t{"s": "x\\"y"}',
      // An empty string is no NULL marker: unquoted (BigQuery reads an empty STRING as '' once nullMarker is set).
      '4\t0\t-Infinity\tfalse\t\t2000-01-01 00:00:00+00\t2000-01-01 00:00:00\t2000-01-01\t[1, "two"]',
    ];
    expect(lines.split(/\n(?=\d\t)/).map((l) => l.replace(/\n$/, '')).sort()).toEqual(expected);
    expect(rejects.map(([reason]) => reason)).toEqual(["ts: TIMESTAMP outside BigQuery's range 0001-01-01..9999-12-31 (row id=5)"]);
  });

  test('rows that hold a line break, the quote byte or the null marker text are quoted; broken rows keep their JSON', async () => {
    await db.client.query(`create table breaks (id bigint primary key, ts timestamptz not null, s text, j json, b jsonb)`);
    await db.client.query(`insert into breaks values
      (1, '2026-01-01', 'one line', '{"a": 1}', '{"k": "v\\nw\\u001e"}'),
      (2, '2026-01-01', E'two\nlines', '{"a": 1}', null),
      (3, '2026-01-01', E'rs \x1e inside', E'{"a":\t\n 1}', null),
      (4, '2026-01-01', E'cr\ronly', null, '{}'),
      (5, '2026-01-01', '\\N', '[]', '{}'),
      (6, '10000-01-01', E'bad\tone', E'{"x":\n 2}', null)`);
    const table = { ...contract(true), name: 'breaks', source: { schema: 'public', table: 'breaks' } } as TableContract;
    table.columns = [column('id', 'INT64', 'REQUIRED'), column('ts', 'TIMESTAMP', 'REQUIRED'), column('s', 'STRING'), column('j', 'JSON'), column('b', 'JSON')];
    const plan = await planExtraction(db.client, table, undefined, { kind: 'full' }, '');
    expect(plan.format).toBe('csv');
    const chunks: RowChunk[] = [];
    const rejects: [string, string][] = [];
    const result = await extractTable(db.client, plan, {
      rows: new Writable({
        objectMode: true,
        write(chunk: RowChunk, _e, cb) {
          chunks.push({ bytes: Buffer.from(chunk.bytes), rows: chunk.rows });
          cb();
        },
      }),
      onReject: (reason, json) => rejects.push([reason, json]),
    });
    expect(result).toMatchObject({ rows: 5, rejected: 1 });
    expect(chunks.reduce((n, c) => n + c.rows, 0)).toBe(5);
    const RS = '\x1e';
    expect(Buffer.concat(chunks.map((c) => c.bytes)).toString('utf8')).toBe(
      [
        // jsonb's text escapes its line breaks and control bytes: never quoted
        `1\t2026-01-01 00:00:00+00\tone line\t{"a": 1}\t{"k": "v\\nw\\u001e"}\n`,
        `2\t2026-01-01 00:00:00+00\t${RS}two\nlines${RS}\t{"a": 1}\t\\N\n`,
        // json keeps its text as written: its tab and line break make it quoted
        `3\t2026-01-01 00:00:00+00\t${RS}rs ${RS}${RS} inside${RS}\t${RS}{"a":\t\n 1}${RS}\t\\N\n`,
        `4\t2026-01-01 00:00:00+00\t${RS}cr\ronly${RS}\t\\N\t{}\n`,
        // the text \N is quoted, so it is no null marker
        `5\t2026-01-01 00:00:00+00\t${RS}\\N${RS}\t[]\t{}\n`,
      ].join(''),
    );
    // Row 6's JSON holds a tab and line breaks (in s and in j): Postgres quoted it, and it reads back whole.
    expect(rejects).toEqual([["ts: TIMESTAMP outside BigQuery's range 0001-01-01..9999-12-31 (row id=6)", '{"id":6,"ts":"10000-01-01T00:00:00+00:00","s":"bad\\tone","j":{"x":\n 2},"b":null}']]);
  });
});
