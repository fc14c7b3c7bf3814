/**
 * Postgres types BigQuery cannot hold as they are, each round-tripped from a real Postgres through
 * the loader into the embedded BigQuery and read back through the BigQuery client: uuid, inet, cidr,
 * interval, enums and domains as STRING, bytea as BYTES, numeric as NUMERIC or BIGNUMERIC (the
 * contract says which; what does not fit is quarantined with a reason), numeric NaN into FLOAT64,
 * arrays as REPEATED. Two tables: one staged as NDJSON (numeric, bytes, arrays), one as Parquet
 * (the string-mapped types only). Expected values are written out by hand.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { runLoad, type BatchResult } from '../../loader/index.js';
import { appendContractYaml, bqRows, startLoaderEnv, type LoaderEnv } from './support/loader-env.js';

let env: LoaderEnv;
let results: BatchResult[];
type Row = Record<string, unknown>;
const byId = new Map<string, Row>();
const stringsById = new Map<string, Row>();
let quarantine: { reason: string }[];

const contract = (name: string, columns: string): string => appendContractYaml(name, 'Postgres types that BigQuery holds differently.', columns);

const STRING_COLUMNS = ['u', 'ip', 'net', 'iv', 'm', 'code'].map((c) => `  - {name: ${c}, type: STRING, description: "${c}."}`).join('\n');

beforeAll(async () => {
  env = await startLoaderEnv();
  await env.db.client.query(`
    create type mood as enum ('happy', 'sad');
    create domain short_code as text check (length(value) <= 8);
    create domain price as numeric(12, 2);
    create table pg_types (id bigint primary key, updated_at timestamptz not null,
      b bytea, p price, n numeric, wide numeric, bn numeric, f numeric, tags text[], nums int4[]);
    create table pg_strings (id bigint primary key, updated_at timestamptz not null,
      u uuid, ip inet, net cidr, iv interval, m mood, code short_code);
    insert into pg_types values
      (1, '2026-05-01T00:00:00Z', convert_to(repeat('abc', 20), 'UTF8'), 19.99, 12.5, 1.123456789, 12345678901234567.0123456789012, 'NaN', '{a,"b c"}', '{1,2,3}'),
      (2, '2026-05-01T00:00:01Z', '\\xdeadbeef', null, null, null, null, 1, null, null),
      (3, '2026-05-01T00:00:02Z', null, null, null, 1.0123456789012, null, null, null, null),
      (4, '2026-05-01T00:00:03Z', null, null, null, 100000000000000000000000000000, null, null, null, '{1,null}'),
      (5, '2026-05-01T00:00:04Z', null, null, null, null, 'Infinity', null, '{{a,b},{c,d}}', null),
      (6, '2026-05-01T00:00:05Z', null, null, 'NaN', null, null, null, null, null);
    insert into pg_strings values
      (1, '2026-05-01T00:00:00Z', '6f1d2c3b-0a4e-4f5a-9b8c-7d6e5f4a3b2c', '192.168.1.20', '10.0.0.0/8', '1 year 2 months 3 days 04:05:06.5', 'happy', 'AB-12'),
      (2, '2026-05-01T00:00:01Z', null, '10.1.2.3/16', '2001:db8::/32', '-1 day 00:00:01', 'sad', '');`);
  await writeFile(
    path.join(env.contractsDir, 'tables', 'pg_types.yaml'),
    contract(
      'pg_types',
      `  - {name: b, type: BYTES, description: "bytea."}
  - {name: p, type: NUMERIC, description: "A domain over numeric(12, 2)."}
  - {name: n, type: NUMERIC, description: "numeric into NUMERIC."}
  - {name: wide, type: NUMERIC, description: "numeric that may not fit NUMERIC(38, 9)."}
  - {name: bn, type: BIGNUMERIC, description: "numeric into BIGNUMERIC."}
  - {name: f, type: FLOAT64, description: "numeric into FLOAT64."}
  - {name: tags, type: STRING, mode: REPEATED, description: "text[]."}
  - {name: nums, type: INT64, mode: REPEATED, description: "int4[]."}
`,
    ),
  );
  await writeFile(path.join(env.contractsDir, 'tables', 'pg_strings.yaml'), contract('pg_strings', `${STRING_COLUMNS}\n`));
  results = await runLoad(env.config({ tables: ['pg_types', 'pg_strings'], quarantineThreshold: 1 }));
  const rows = await bqRows<Row>(
    env.bigquery,
    `select cast(id as string) as id, to_base64(b) as b, cast(p as string) as p, cast(n as string) as n, cast(wide as string) as wide,
       cast(bn as string) as bn, is_nan(f) as f_nan, f, to_json_string(tags) as tags, to_json_string(nums) as nums
     from landform_raw.pg_types where updated_at >= timestamp '1970-01-01'`,
  );
  for (const row of rows) byId.set(String(row.id), row);
  const strings = await bqRows<Row>(env.bigquery, `select cast(id as string) as id, u, ip, net, iv, m, code from landform_raw.pg_strings where updated_at >= timestamp '1970-01-01'`);
  for (const row of strings) stringsById.set(String(row.id), row);
  quarantine = await bqRows<{ reason: string }>(env.bigquery, `select reason from landform_raw.quarantine where table_name = 'pg_types' order by reason`);
}, 240_000);

afterAll(async () => {
  await env?.stop();
});

test('both tables land; the NDJSON and Parquet stages were chosen by their columns', async () => {
  expect(results.map((r) => [r.table, r.status, r.rowsLoaded, r.rowsQuarantined]).sort()).toEqual([
    ['pg_strings', 'succeeded', 2, 0],
    ['pg_types', 'succeeded', 2, 4],
  ]);
  const formats = await Promise.all(
    results.map(async (r) => [r.table, (JSON.parse(await readFile(fileURLToPath(r.manifestUri ?? ''), 'utf8')) as { destination: { format: string } }).destination.format]),
  );
  expect(formats.sort()).toEqual([
    ['pg_strings', 'PARQUET'],
    ['pg_types', 'NEWLINE_DELIMITED_JSON'],
  ]);
});

describe('string-mapped types (Parquet stage)', () => {
  test('uuid as its canonical text', () => {
    expect(stringsById.get('1')?.u).toBe('6f1d2c3b-0a4e-4f5a-9b8c-7d6e5f4a3b2c');
    expect(stringsById.get('2')?.u).toBeNull();
  });
  test('inet as text(inet): the address with its netmask length', () => {
    expect(stringsById.get('1')?.ip).toBe('192.168.1.20/32');
    expect(stringsById.get('2')?.ip).toBe('10.1.2.3/16');
  });
  test('cidr with its mask, IPv6 too', () => {
    expect(stringsById.get('1')?.net).toBe('10.0.0.0/8');
    expect(stringsById.get('2')?.net).toBe('2001:db8::/32');
  });
  test('interval as an ISO 8601 duration', () => {
    expect(stringsById.get('1')?.iv).toBe('P1Y2M3DT4H5M6.5S');
    expect(stringsById.get('2')?.iv).toBe('P-1DT1S');
  });
  test('enum as its label', () => {
    expect([stringsById.get('1')?.m, stringsById.get('2')?.m]).toEqual(['happy', 'sad']);
  });
  test('domain over text as its value; an empty string stays empty, not null', () => {
    expect([stringsById.get('1')?.code, stringsById.get('2')?.code]).toEqual(['AB-12', '']);
  });
});

describe('numbers, bytes and arrays (NDJSON stage)', () => {
  test('bytea as BYTES, longer than one base64 line', () => {
    expect(byId.get('1')?.b).toBe('YWJj'.repeat(20));
    expect(byId.get('2')?.b).toBe('3q2+7w==');
  });
  test('a domain over numeric(12, 2) as NUMERIC', () => {
    expect(byId.get('1')?.p).toBe('19.99');
  });
  test('numeric into NUMERIC exactly; NaN is quarantined', () => {
    expect(byId.get('1')?.n).toBe('12.5');
    expect(byId.get('1')?.wide).toBe('1.123456789');
    expect(quarantine.map((q) => q.reason)).toContain('n: NUMERIC cannot hold NaN or Infinity (row id=6)');
  });
  test('numeric wider than NUMERIC(38, 9): quarantined with a reason where the contract says NUMERIC', () => {
    expect(quarantine.map((q) => q.reason)).toContain('wide: more than 9 decimal places (NUMERIC(38, 9)) (row id=3)');
    expect(byId.has('3')).toBe(false);
  });
  test('numeric wider than NUMERIC(38, 9) lands as BIGNUMERIC where the contract says BIGNUMERIC; Infinity does not', () => {
    expect(byId.get('1')?.bn).toBe('12345678901234567.0123456789012');
    expect(quarantine.map((q) => q.reason)).toContain('bn: BIGNUMERIC cannot hold NaN or Infinity; tags: a multidimensional array, which a BigQuery ARRAY cannot hold (row id=5)');
  });
  test('numeric NaN into FLOAT64 is NaN', () => {
    expect(byId.get('1')?.f_nan).toBe(true);
    expect(byId.get('2')?.f).toBe(1);
  });
  test('arrays as REPEATED; a null array is empty; a null element is quarantined', () => {
    expect(byId.get('1')?.tags).toBe('["a","b c"]');
    expect(byId.get('1')?.nums).toBe('[1,2,3]');
    expect(byId.get('2')?.tags).toBe('[]');
    expect(quarantine.map((q) => q.reason)).toContain('wide: outside the range of NUMERIC(38, 9); nums: an array with a null element, which a BigQuery ARRAY cannot hold (row id=4)');
  });
});
