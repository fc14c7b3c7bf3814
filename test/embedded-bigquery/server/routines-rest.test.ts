/**
 * The routines REST resource through the real client (`dataset.createRoutine`, `routine.get`,
 * `getRoutines`, `setMetadata`, `delete`), sharing one catalog with CREATE FUNCTION / PROCEDURE:
 * what one creates the other calls, lists and drops.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { BigQuery } from '@google-cloud/bigquery';
import { startTestBigQuery, type TestBigQuery } from '../../support/embedded-bigquery.js';

describe('routines.insert/get/list/update/delete', () => {
  let bq: TestBigQuery;
  let client: BigQuery;
  const rows = async (query: string) => (await client.query(query))[0] as Record<string, unknown>[];
  const ds = () => client.dataset('rt');

  beforeAll(async () => {
    bq = await startTestBigQuery();
    client = bq.bigquery;
    await client.createDataset('rt');
    await client.query('create table rt.keep (n int64)');
  });
  afterAll(async () => {
    await bq?.stop();
  });

  test('a function inserted over REST is called by SQL, and reads back as it was given', async () => {
    await ds().createRoutine('add_one', {
      routineType: 'SCALAR_FUNCTION',
      language: 'SQL',
      arguments: [{ name: 'x', dataType: { typeKind: 'INT64' } }],
      returnType: { typeKind: 'INT64' },
      definitionBody: 'x + 1',
    });
    expect(await rows('select rt.add_one(41) as v')).toEqual([{ v: 42 }]);
    const [meta] = await ds().routine('add_one').getMetadata();
    expect(meta).toMatchObject({
      routineReference: { projectId: 'landform-local', datasetId: 'rt', routineId: 'add_one' },
      routineType: 'SCALAR_FUNCTION',
      language: 'SQL',
      arguments: [{ name: 'x', dataType: { typeKind: 'INT64' } }],
      returnType: { typeKind: 'INT64' },
      definitionBody: 'x + 1',
    });
  });

  test('a function made by CREATE FUNCTION is listed and read over REST, its inferred return type too', async () => {
    await client.query('create function rt.twice(s string, tags array<struct<k string, v int64>>) as (concat(s, s, cast(array_length(tags) as string)))');
    const [routines] = await ds().getRoutines();
    expect(routines.map((r) => r.id).sort()).toEqual(['add_one', 'twice']);
    const [meta] = await ds().routine('twice').getMetadata();
    expect(meta.arguments).toEqual([
      { name: 's', dataType: { typeKind: 'STRING' } },
      { name: 'tags', dataType: { typeKind: 'ARRAY', arrayElementType: { typeKind: 'STRUCT', structType: { fields: [{ name: 'k', type: { typeKind: 'STRING' } }, { name: 'v', type: { typeKind: 'INT64' } }] } } } },
    ]);
    expect(meta.returnType).toEqual({ typeKind: 'STRING' });
  });

  test('routines.update replaces the definition; routines.delete drops it for SQL too', async () => {
    const routine = ds().routine('add_one');
    const [meta] = await routine.getMetadata();
    await routine.setMetadata({ ...meta, definitionBody: 'x + 2' });
    expect(await rows('select rt.add_one(41) as v')).toEqual([{ v: 43 }]);
    await routine.delete();
    await expect(routine.getMetadata()).rejects.toMatchObject({ code: 404 });
    expect(await rows("select routine_name from rt.INFORMATION_SCHEMA.ROUTINES where routine_name = 'add_one'")).toEqual([]);
    await expect(client.query('select rt.add_one(1)')).rejects.toThrow();
  });

  test('procedures with OUT arguments and table functions over REST', async () => {
    await ds().createRoutine('count_keep', {
      routineType: 'PROCEDURE',
      language: 'SQL',
      arguments: [{ name: 'plus', mode: 'IN', dataType: { typeKind: 'INT64' } }, { name: 'total', mode: 'OUT', dataType: { typeKind: 'INT64' } }],
      definitionBody: 'insert into rt.keep values (plus);\nset total = (select count(*) from rt.keep);',
    });
    expect(await rows('declare t int64; call rt.count_keep(5, t); select t as total')).toEqual([{ total: 1 }]);
    const [proc] = await ds().routine('count_keep').getMetadata();
    expect(proc.arguments).toEqual([
      { name: 'plus', mode: 'IN', dataType: { typeKind: 'INT64' } },
      { name: 'total', mode: 'OUT', dataType: { typeKind: 'INT64' } },
    ]);

    await ds().createRoutine('above', {
      routineType: 'TABLE_VALUED_FUNCTION',
      language: 'SQL',
      arguments: [{ name: 'floor', dataType: { typeKind: 'INT64' } }],
      definitionBody: 'select n from rt.keep where n > floor',
    });
    expect(await rows('select n from rt.above(1)')).toEqual([{ n: 5 }]);
    expect(await rows("select parameter_name, data_type from rt.INFORMATION_SCHEMA.PARAMETERS where specific_name = 'above'")).toEqual([{ parameter_name: 'floor', data_type: 'INT64' }]);
  });

  test('a body that would end the statement, an unknown type or a bad id is refused and changes nothing', async () => {
    await expect(
      ds().createRoutine('sneaky', { routineType: 'SCALAR_FUNCTION', arguments: [], definitionBody: '1); drop table rt.keep; select (1' }),
    ).rejects.toThrow(/must not end the routine's statement/);
    // RANGE is a type the client knows and the embedded BigQuery cannot declare
    await expect(ds().createRoutine('typed', { routineType: 'SCALAR_FUNCTION', arguments: [{ name: 'x', dataType: { typeKind: 'RANGE' } }], definitionBody: 'x' })).rejects.toThrow(/typeKind "RANGE"/);
    await expect(ds().createRoutine('bad`id', { routineType: 'SCALAR_FUNCTION', arguments: [], definitionBody: '1' })).rejects.toThrow(/routineId/);
    expect(await rows('select count(*) as n from rt.keep')).toEqual([{ n: 1 }]);
    const [routines] = await ds().getRoutines();
    expect(routines.map((r) => r.id).sort()).toEqual(['above', 'count_keep', 'twice']);
  });
});
