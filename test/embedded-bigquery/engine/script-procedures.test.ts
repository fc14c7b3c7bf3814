/**
 * The procedural language (loops, labels, CASE, EXCEPTION handlers, RAISE, @@error, EXECUTE
 * IMMEDIATE) and stored procedures, straight through the Engine interface. Expected values are
 * computed by hand from the statements; messages of RAISE are the ones the scripts give.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEngine } from '../../../packages/embedded-bigquery/src/engine/index.js';
import type { Engine, QueryOptions, Row } from '../../../packages/embedded-bigquery/src/engine/types.js';

const P = 'landform-local';
const opts: QueryOptions = { projectId: P };
const values = (rows: Row[]) => rows.map((r) => r.f.map((c) => c.v));
const one = async (sql: string) => values((await engine.query(sql, opts)).rows);

let engine: Engine;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'engine-script-'));
  engine = await createEngine({ dataPath: dir });
  await engine.createDataset({ datasetReference: { projectId: P, datasetId: 'sp' } });
});

afterAll(async () => {
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('loops', () => {
  test('LOOP ... BREAK, WHILE ... CONTINUE, REPEAT ... UNTIL', async () => {
    expect(await one('declare i int64 default 0; loop set i = i + 1; if i >= 3 then break; end if; end loop; select i')).toEqual([['3']]);
    // odd numbers 1..9: 1 + 3 + 5 + 7 + 9 = 25
    expect(await one('declare i int64 default 0; declare s int64 default 0; while i < 10 do set i = i + 1; if mod(i, 2) = 0 then continue; end if; set s = s + i; end while; select s')).toEqual([['25']]);
    // the body runs before the first test: 2, 4, 6 (6 >= 5 stops)
    expect(await one('declare i int64 default 0; repeat set i = i + 2; until i >= 5 end repeat; select i')).toEqual([['6']]);
  });

  test('FOR ... IN reads each row through the loop variable', async () => {
    expect(await one("declare total int64 default 0; declare names string default ''; for r in (select x, cast(x as string) as s from unnest([1, 2, 3]) as x) do set total = total + r.x; set names = concat(names, r.s); end for; select total, length(names)")).toEqual([['6', '3']]);
  });

  test("FOR ... IN follows the query's ORDER BY", async () => {
    expect(await one("declare s string default ''; for r in (select x from unnest(generate_array(1, 300)) as x order by x desc) do if r.x > 295 then set s = concat(s, cast(r.x as string), ','); end if; end for; select s")).toEqual([["300,299,298,297,296,"]]);
  });

  test('labels: LEAVE and ITERATE name the loop they act on', async () => {
    // outer runs i = 1, 2; inner adds j = 1, 2 then ITERATE outer at j = 3; LEAVE outer when i = 3
    const sql = `declare i int64 default 0; declare n int64 default 0;
      outer: loop
        set i = i + 1;
        if i = 3 then leave outer; end if;
        begin
          declare j int64 default 0;
          inner: while true do
            set j = j + 1;
            if j = 3 then iterate outer; end if;
            set n = n + j;
          end while inner;
        end;
      end loop outer;
      select i, n`;
    expect(await one(sql)).toEqual([['3', '6']]);
  });

  test('LEAVE a labelled block; BREAK outside a loop and unknown labels are errors', async () => {
    expect(await one('declare x int64 default 1; blk: begin set x = 2; leave blk; set x = 3; end; select x')).toEqual([['2']]);
    for (const sql of ['break', 'loop leave nowhere; end loop', 'blk: begin iterate blk; end']) {
      await expect(engine.query(sql, opts)).rejects.toMatchObject({ reason: 'invalidQuery' });
    }
  });

  test('CASE statements, with and without a subject', async () => {
    expect(await one("declare r string; declare x int64 default 2; case x when 1 then set r = 'one'; when 2 then set r = 'two'; else set r = 'many'; end case; select r")).toEqual([['two']]);
    expect(await one("declare r string; case when 1 > 2 then set r = 'a'; else set r = 'b'; end case; select r")).toEqual([['b']]);
  });
});

describe('errors', () => {
  test('EXCEPTION WHEN ERROR runs the handler with @@error.message and @@error.statement_text', async () => {
    expect(await one("begin raise using message = 'nope'; exception when error then select @@error.message as m; end")).toEqual([['nope']]);
    const [msg, text] = (await one('begin select 1 / 0; exception when error then select @@error.message, @@error.statement_text; end'))[0] ?? [];
    expect(msg).toMatch(/division by zero/i);
    expect(text).toBe('select 1 / 0');
  });

  test('RAISE; in a handler re-raises the error; statements after the failure do not run', async () => {
    await expect(engine.query("create table sp.log (s string); begin insert into sp.log values ('a'); raise using message = 'stop'; insert into sp.log values ('b'); exception when error then insert into sp.log values ('handled'); raise; end", opts)).rejects.toMatchObject({ message: 'stop' });
    // statements outside a transaction keep their effect when a later one fails
    expect(await one('select s from sp.log order by s')).toEqual([['a'], ['handled']]);
    await expect(engine.query('raise', opts)).rejects.toMatchObject({ reason: 'invalidQuery' });
  });

  test("errors inside a transaction: the documentation's handler that rolls back; COMMIT after a failed statement fails loudly", async () => {
    await engine.query('create table sp.arrivals (product string, quantity int64)', opts);
    // the example of BigQuery's transactions page: the handler reads @@error.message and rolls back
    const r = await engine.query(`begin
        begin transaction;
        insert into sp.arrivals values ('top load washer', 100);
        select 1/0;
        commit transaction;
      exception when error then
        select @@error.message;
        rollback transaction;
      end`, opts);
    expect(values(r.rows)[0]?.[0]).toMatch(/division by zero/i);
    expect(await one('select count(*) from sp.arrivals')).toEqual([['0']]);
    // BigQuery would commit the insert before the failed statement; DuckDB has already discarded it, so refuse
    await expect(engine.query("begin begin transaction; insert into sp.arrivals values ('a', 1); select 1/0; exception when error then commit transaction; end", opts)).rejects.toMatchObject({ message: expect.stringMatching(/not supported by the embedded BigQuery/) });
    // an error raised by the script itself leaves the transaction usable: COMMIT keeps what came before
    await engine.query("begin transaction; insert into sp.arrivals values ('b', 2); begin raise using message = 'x'; exception when error then select 1; end; commit transaction", opts);
    expect(await one('select product from sp.arrivals')).toEqual([['b']]);
  });

  test('RAISE USING MESSAGE = FORMAT("%T", ...) prints GoogleSQL literals', async () => {
    await expect(engine.query(`declare a array<string> default ['x', 'y"z']; declare b array<struct<column_name string, data_type string>> default [struct('c', 'INT64')];
      raise using message = format("removed: %T, added: %T, n: %T, none: %T", a, b, 3, cast(null as string))`, opts)).rejects.toMatchObject({
      message: 'removed: ["x", "y\\"z"], added: [("c", "INT64")], n: 3, none: NULL',
    });
  });

  test('variables declared in a block end with it', async () => {
    await expect(engine.query('begin declare z int64 default 1; end; select z', opts)).rejects.toMatchObject({ reason: 'invalidQuery' });
  });
});

describe('assignments and system variables', () => {
  test('SET (a, b) = (...) computes every value first; SELECT AS STRUCT fills several variables', async () => {
    expect(await one('declare a int64 default 1; declare b int64 default 2; set (a, b) = (b, a); select a, b')).toEqual([['2', '1']]);
    expect(await one("declare n int64; declare m string; set (n, m) = (select as struct count(*), max(x) from unnest(['p', 'q']) as x); select n, m")).toEqual([['2', 'q']]);
    await expect(engine.query('declare a int64; declare b int64; set (a, b) = (1, 2, 3)', opts)).rejects.toMatchObject({ reason: 'invalidQuery' });
  });

  test('SET @@time_zone sets the default zone (time-zone-default.test.ts); @@dataset_id sets the default dataset', async () => {
    // 2020-01-01 00:00 UTC is 19:00 the day before in New York (EST, UTC-5)
    expect(await one("set @@time_zone = 'America/New_York'; select @@time_zone, date(timestamp '2020-01-01 00:00:00+00')")).toEqual([['America/New_York', '2019-12-31']]);
    await engine.query('create table sp.tz (x int64); insert into sp.tz values (1), (2)', opts);
    expect(await one("set @@time_zone = 'UTC'; set @@dataset_id = 'sp'; select count(*) from tz")).toEqual([['2']]);
  });

  test('@@time_zone, @@project_id, @@row_count; an empty BEGIN END block', async () => {
    await engine.query('create table sp.rc (x int64)', opts);
    expect(await one("begin end; insert into sp.rc values (1), (2), (3); select @@time_zone, @@project_id, @@row_count")).toEqual([['UTC', P, '3']]);
  });
});

describe('EXECUTE IMMEDIATE', () => {
  test('INTO and USING, positional and named', async () => {
    expect(await one("declare n int64; execute immediate 'select ? + ?' into n using 2, 3; select n")).toEqual([['5']]);
    expect(await one("declare n int64; declare s string; execute immediate 'select @a * 2, @b' into n, s using 21 as a, 'hi' as b; select n, s")).toEqual([['42', 'hi']]);
  });

  test('DDL built as a string: ADD COLUMN IF NOT EXISTS / DROP COLUMN IF EXISTS', async () => {
    await engine.query('create table sp.evolve (a int64, b string)', opts);
    await engine.query(`execute immediate "alter table sp.evolve " || (select string_agg(format("add column if not exists %s %s", n, t), ", ") from unnest([struct('c' as n, 'STRING' as t), struct('a', 'INT64')]))`, opts);
    await engine.query('execute immediate "alter table sp.evolve drop column if exists b, drop column if exists nothing"', opts);
    expect(await one("select column_name, data_type from sp.INFORMATION_SCHEMA.COLUMNS where table_name = 'evolve' order by ordinal_position")).toEqual([['a', 'INT64'], ['c', 'STRING']]);
  });

  test('ADD COLUMN keeps the declared type and description (BIGNUMERIC, OPTIONS(description))', async () => {
    await engine.query("create table sp.described (a int64); alter table sp.described add column big bignumeric options (description = 'a big one'), add column if not exists a int64", opts);
    const meta = await engine.getTable({ projectId: P, datasetId: 'sp', tableId: 'described' });
    expect(meta.schema?.fields.map((f) => [f.name, f.type, f.description ?? null])).toEqual([['a', 'INTEGER', null], ['big', 'BIGNUMERIC', 'a big one']]);
  });

  test('DROP COLUMN refuses partitioning and clustering columns', async () => {
    await engine.query('create table sp.keyed (d date, c string, v int64) partition by d cluster by c', opts);
    for (const col of ['d', 'c']) await expect(engine.query(`alter table sp.keyed drop column ${col}`, opts)).rejects.toMatchObject({ reason: 'invalidQuery' });
    await engine.query('alter table sp.keyed drop column v', opts);
    expect(await one("select column_name from sp.INFORMATION_SCHEMA.COLUMNS where table_name = 'keyed' order by ordinal_position")).toEqual([['d'], ['c']]);
  });

  test('the dynamic text goes through the translator like any client text', async () => {
    await expect(engine.query("execute immediate \"select * from read_text('/etc/hostname')\"", opts)).rejects.toMatchObject({ reason: 'invalidQuery' });
    await expect(engine.query("execute immediate \"copy (select 1) to '/tmp/x.csv'\"", opts)).rejects.toMatchObject({ reason: 'invalidQuery' });
  });
});

describe('procedures', () => {
  test('CREATE PROCEDURE is kept in the catalog; CALL with IN and OUT arguments; DROP PROCEDURE', async () => {
    await engine.query('create or replace procedure sp.double_it(x int64, out y int64) begin declare tmp int64 default x; set y = tmp * 2; end', opts);
    // another job: the procedure persists; the caller's own x is not the procedure's x
    expect(await one('declare x int64 default 5; declare r int64; call sp.double_it(21, r); select r, x')).toEqual([['42', '5']]);
    await expect(engine.query('create procedure sp.double_it() begin select 1; end', opts)).rejects.toMatchObject({ reason: 'duplicate' });
    await engine.query('drop procedure sp.double_it', opts);
    await expect(engine.query('call sp.double_it(1, 2)', opts)).rejects.toMatchObject({ reason: 'notFound' });
    await engine.query('drop procedure if exists sp.double_it', opts);
  });

  test("Dataform's safe call: an error inside the procedure reaches the handler, which cleans up and re-raises", async () => {
    await engine.query("create or replace procedure sp.fails() begin raise using message = 'inside'; end", opts);
    await expect(engine.query('begin call sp.fails(); exception when error then drop procedure if exists sp.fails; raise; end; drop procedure if exists sp.fails', opts)).rejects.toMatchObject({ message: 'inside' });
    await expect(engine.query('call sp.fails()', opts)).rejects.toMatchObject({ reason: 'notFound' });
  });

  test('RETURN ends the procedure early', async () => {
    await engine.query('create or replace procedure sp.early(out y int64) begin set y = 1; return; set y = 2; end', opts);
    expect(await one('declare r int64; call sp.early(r); select r')).toEqual([['1']]);
  });
});
