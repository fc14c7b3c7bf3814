import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { BigQuery } from '@google-cloud/bigquery';
import { startTestBigQuery, type TestBigQuery } from '../../support/embedded-bigquery.js';
import { eventually, LONG_QUERY, within } from './long-query.js';

describe('many concurrent requests', () => {
  let bq: TestBigQuery;
  let client: BigQuery;

  beforeAll(async () => {
    bq = await startTestBigQuery();
    client = bq.bigquery;
    await client.createDataset('conc_ds');
    await client.dataset('conc_ds').table('events').create({ schema: 'worker:INTEGER,seq:INTEGER,payload:STRING' });
  });
  afterAll(async () => {
    await bq?.stop();
  });

  test('50 parallel queries each get their own answer', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => client.query({ query: 'select @i * 2 as doubled, (select count(*) from unnest(generate_array(1, @i + 1))) as n', params: { i } })),
    );
    results.forEach(([rows], i) => expect(rows).toEqual([{ doubled: i * 2, n: i + 1 }]));
  });

  test('50 parallel insertAll, DML and table creations leave exactly the expected state', async () => {
    const table = client.dataset('conc_ds').table('events');
    const inserts = Array.from({ length: 50 }, (_, worker) =>
      table.insert(Array.from({ length: 20 }, (_, seq) => ({ worker, seq, payload: `w${worker}-s${seq}` }))),
    );
    const dml = Array.from({ length: 25 }, (_, k) =>
      client.query({ query: 'insert into conc_ds.events (worker, seq, payload) values (@w, -1, "dml")', params: { w: 1000 + k } }),
    );
    const creates = Array.from({ length: 25 }, (_, k) => client.dataset('conc_ds').table(`t_${k}`).create({ schema: 'a:STRING' }));
    await Promise.all([...inserts, ...dml, ...creates]);

    const [counts] = await client.query(
      'select count(*) as n, count(distinct worker) as workers, countif(seq = -1) as dml_rows, count(distinct payload) as payloads from conc_ds.events',
    );
    expect(counts).toEqual([{ n: 50 * 20 + 25, workers: 75, dml_rows: 25, payloads: 50 * 20 + 1 }]);
    const [perWorker] = await client.query('select worker, count(*) as n, sum(seq) as s from conc_ds.events where seq >= 0 group by worker having n != 20 or s != 190');
    expect(perWorker).toEqual([]);
    const [tables] = await client.dataset('conc_ds').getTables();
    expect(tables).toHaveLength(26);
  });

  test('short queries, a load and a table read answer while a long query is still running', async () => {
    const [long] = await client.createQueryJob({ query: LONG_QUERY, jobTimeoutMs: 120_000, jobId: 'conc_long' });
    const state = async () => ((await long.getMetadata())[0].status as { state?: string }).state;
    await eventually(async () => (await state()) === 'RUNNING', 'the long query runs');

    const [rows] = await within(30_000, 'a short query', client.query('select count(*) as n from conc_ds.events where seq >= 0'));
    expect(rows).toEqual([{ n: 50 * 20 }]);
    await within(30_000, 'insertAll', client.dataset('conc_ds').table('t_0').insert([{ a: 'x' }]));
    const [read] = await within(30_000, 'tabledata.list', client.dataset('conc_ds').table('t_0').getRows());
    expect(read).toEqual([{ a: 'x' }]);
    // all of that while the long one had not ended
    expect(await state()).toBe('RUNNING');

    await long.cancel();
    await within(30_000, 'the cancelled long query', long.promise().catch(() => undefined));
  }, 120_000);
});
