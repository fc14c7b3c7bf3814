/**
 * A parallel snapshot (`parallel: {workers: 2}`: two connections over disjoint CTID ranges sharing
 * one exported snapshot) against a real Postgres and the embedded BigQuery:
 * - while writers move balances between rows (each update writes a new row version, often into
 *   another block, so into the other worker's range) and insert rows in pairs, the batch still lands
 *   one consistent snapshot: the total balance is the one every transaction preserves, and no pair
 *   is split;
 * - on a quiet table it lands exactly what one connection lands: the same rows, one batch each with
 *   the same counts.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { runLoad } from '../../loader/index.js';
import { blockRanges } from '../../loader/source/parallel-extract.js';
import { bqRows, startLoaderEnv, type LoaderEnv } from './support/loader-env.js';

let env: LoaderEnv;
const ROWS = 20_000;
const TOTAL = ROWS * 100;

const contract = (name: string, workers: number, source: string) => `name: ${name}
version: 1
domain: test
description: Accounts whose balances move between rows.
source: {schema: public, table: ${source}}
load: {mode: full_refresh}
primary_key: [id]
partition: {column: opened_at, granularity: day}
parallel: {workers: ${workers}}
columns:
  - {name: id, type: INT64, mode: REQUIRED, description: "Account id."}
  - {name: pair, type: INT64, mode: REQUIRED, description: "Rows inserted together share it."}
  - {name: balance, type: INT64, mode: REQUIRED, description: "Balance; transfers keep the total."}
  - {name: opened_at, type: TIMESTAMP, mode: REQUIRED, description: "Partition column."}
`;

beforeAll(async () => {
  env = await startLoaderEnv();
  // A low fillfactor spreads the rows over many blocks, so both CTID ranges hold rows.
  await env.db.client.query(`create table accounts (id bigint primary key, pair bigint not null, balance bigint not null, opened_at timestamptz not null) with (fillfactor = 50);
    insert into accounts select g, g, 100, timestamptz '2026-06-01' from generate_series(1, ${ROWS}) as g;
    -- One contract per source table: the one-connection contract reads the same rows through a view.
    create view accounts_view as select * from accounts;`);
  await writeFile(path.join(env.contractsDir, 'tables', 'accounts_p2.yaml'), contract('accounts_p2', 2, 'accounts'));
  await writeFile(path.join(env.contractsDir, 'tables', 'accounts_p1.yaml'), contract('accounts_p1', 1, 'accounts_view'));
}, 120_000);

afterAll(async () => {
  await env?.stop();
});

test('block ranges cover every block once, the last open-ended', () => {
  expect(blockRanges(10, 2)).toEqual([
    { lo: 0, hi: 5 },
    { lo: 5, hi: null },
  ]);
  expect(blockRanges(10, 4)).toEqual([
    { lo: 0, hi: 3 },
    { lo: 3, hi: 6 },
    { lo: 6, hi: 9 },
    { lo: 9, hi: null },
  ]);
  expect(blockRanges(0, 4)).toEqual([{ lo: 0, hi: null }]);
});

test('two workers under concurrent writers land one consistent snapshot', async () => {
  const writer = env.db.client;
  let stop = false;
  let transactions = 0;
  let next = ROWS + 1;
  const writing = (async () => {
    while (!stop) {
      const a = 1 + ((transactions * 7919) % ROWS);
      const b = 1 + ((transactions * 104729 + 17) % ROWS);
      await writer.query('begin');
      await writer.query('update accounts set balance = balance - 3 where id = $1', [a]);
      await writer.query('update accounts set balance = balance + 3 where id = $1', [b]);
      await writer.query(`insert into accounts values ($1, $1, 0, timestamptz '2026-06-02'), ($2, $1, 0, timestamptz '2026-06-02')`, [next, next + 1]);
      await writer.query('commit');
      next += 2;
      transactions++;
    }
  })();
  try {
    // Let the writers get going, so the snapshot is taken (and read) among their commits.
    while (transactions < 20) await new Promise((resolve) => setTimeout(resolve, 10));
    const [result] = await runLoad(env.config({ tables: ['accounts_p2'] }));
    expect(result).toMatchObject({ status: 'succeeded', rowsQuarantined: 0 });
  } finally {
    stop = true;
    await writing;
  }
  expect(transactions).toBeGreaterThan(20);
  const [check] = await bqRows<{ total: number; rows: number; split: number }>(
    env.bigquery,
    `select sum(balance) as total, count(*) as rows,
       (select count(*) from (select pair from landform_raw.accounts_p2 where pair > ${ROWS} group by pair having count(*) <> 2)) as split
     from landform_raw.accounts_p2`,
  );
  expect(check?.total).toBe(TOTAL);
  expect(check?.split).toBe(0);
  expect(Number(check?.rows)).toBeGreaterThan(ROWS);
}, 240_000);

test('on a quiet table two workers land exactly what one lands: same rows, one batch each with the same counts', async () => {
  const results = await runLoad(env.config({ tables: ['accounts_p1', 'accounts_p2'] }));
  expect(results.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
  const rows = async (table: string) =>
    (await bqRows<{ id: number; pair: number; balance: number }>(env.bigquery, `select id, pair, balance from landform_raw.${table} order by id`)).map((r) => `${r.id}:${r.pair}:${r.balance}`);
  const [one, two] = await Promise.all([rows('accounts_p1'), rows('accounts_p2')]);
  const source = await env.db.client.query<{ r: string }>(`select id || ':' || pair || ':' || balance as r from accounts order by id`);
  expect(one).toEqual(source.rows.map((r) => r.r));
  expect(two).toEqual(one);
  const batches = await bqRows<{ table_name: string; n: number; extracted: number; loaded: number }>(
    env.bigquery,
    `select table_name, count(*) as n, max(rows_extracted) as extracted, max(rows_loaded) as loaded from landform_raw.export_batches
     where table_name in ('accounts_p1', 'accounts_p2') and batch_id in (${results.map((r) => `'${r.batchId}'`).join(', ')}) group by table_name order by table_name`,
  );
  expect(batches).toEqual([
    { table_name: 'accounts_p1', n: 1, extracted: one.length, loaded: one.length },
    { table_name: 'accounts_p2', n: 1, extracted: one.length, loaded: one.length },
  ]);
}, 240_000);
