/**
 * Attack queries against the embedded BigQuery's engine: GoogleSQL that tries to reach DuckDB's
 * file readers, writers, ATTACH, extensions and settings. Every one must fail (or, where the text
 * is only data, run harmlessly) without reading the canary file or creating any file; and the
 * DuckDB connection itself must refuse file access when handed raw DuckDB SQL.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { createEngine } from '../../../packages/embedded-bigquery/src/engine/index.js';
import { Database } from '../../../packages/embedded-bigquery/src/engine/database.js';
import { BigQueryApiError, type Engine, type QueryOptions, type QueryResult } from '../../../packages/embedded-bigquery/src/engine/types.js';

const P = 'landform-local';
const withDefault: QueryOptions = { projectId: P, defaultDataset: { projectId: P, datasetId: 'attack' } };
const noDefault: QueryOptions = { projectId: P };

let engine: Engine;
let dataDir: string;
/** Files an attack would read: their content must never appear in a result. */
let work: string;
let canaryCsv: string;
let canaryText: string;
const CANARY = `canary-${randomUUID()}`;
/** Where an attack would write: must stay empty. */
let outDir: string;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'engine-attacks-'));
  dataDir = path.join(work, 'data');
  outDir = path.join(work, 'out');
  canaryCsv = path.join(work, 'canary.csv');
  canaryText = path.join(work, 'canary.txt');
  writeFileSync(canaryCsv, `secret\n${CANARY}\n`);
  writeFileSync(canaryText, `${CANARY}\n`);
  engine = await createEngine({ dataPath: dataDir });
  await engine.createDataset({ datasetReference: { projectId: P, datasetId: 'attack' } });
  await engine.query("create table attack.t (x STRING); insert into attack.t values ('row')", noDefault);
});

afterAll(async () => {
  await engine?.close();
  rmSync(work, { recursive: true, force: true });
});

function written(): string[] {
  return existsSync(outDir) ? readdirSync(outDir) : [];
}

async function outcome(sql: string, options: QueryOptions): Promise<QueryResult | BigQueryApiError> {
  try {
    return await engine.query(sql, options);
  } catch (e) {
    if (e instanceof BigQueryApiError) return e;
    throw e;
  }
}

/** Runs an attack that must fail with a BigQuery error, and checks that nothing was read or written. */
async function expectRefused(sql: string, options: QueryOptions = withDefault): Promise<BigQueryApiError> {
  const r = await outcome(sql, options);
  if (!(r instanceof BigQueryApiError)) throw new Error(`attack ran: ${sql}\nresult: ${JSON.stringify(r.rows).slice(0, 300)}`);
  expect(['invalidQuery', 'notFound', 'invalid']).toContain(r.reason);
  expect(r.message).not.toContain(CANARY);
  expect(written()).toEqual([]);
  return r;
}

/** Nothing an attack stored may hold the canary: every table of the dataset is read back. */
async function expectNoCanaryStored(): Promise<void> {
  for (const t of await engine.listTables({ projectId: P, datasetId: 'attack' })) {
    const rows = await engine.readRows(t.tableReference, {});
    expect(JSON.stringify(rows.rows)).not.toContain(CANARY);
  }
}

describe('file reads through GoogleSQL', () => {
  const readers = () => [
    `read_text('${canaryText}')`,
    `read_csv('${canaryCsv}')`,
    `read_csv_auto('${canaryCsv}')`,
    `read_json('${canaryText}')`,
    `read_json_auto('${canaryText}')`,
    `read_ndjson_objects('${canaryText}')`,
    `read_parquet('${canaryCsv}')`,
    `read_blob('${canaryText}')`,
    `glob('${work}/*')`,
    `sniff_csv('${canaryCsv}')`,
    `parquet_metadata('${canaryCsv}')`,
  ];

  test('a file path string where a table goes (DuckDB replacement scans)', async () => {
    for (const sql of [`select * from '${canaryCsv}'`, `select * from attack.t, '${canaryCsv}'`, `select * from attack.t join '${canaryCsv}' on true`, `select * from "${canaryCsv}"`]) {
      await expectRefused(sql);
    }
  });

  test('a backticked file path resolves as a (missing) catalog table, never as a file', async () => {
    const e = await expectRefused(`select * from \`${canaryCsv}\``);
    expect(e.reason).toBe('notFound');
    await expectRefused(`select * from \`${canaryCsv}\``, noDefault);
  });

  test('DuckDB table functions, backticked or not, first in FROM, after a comma, in a JOIN, in a subquery', async () => {
    for (const call of readers()) {
      const quoted = call.replace(/^([a-z_]+)/, '`$1`');
      for (const sql of [
        `select * from ${call}`,
        `select * from ${quoted}`,
        `select * from attack.t, ${quoted}`,
        `select * from attack.t, ${call}`,
        `select * from attack.t cross join ${quoted}`,
        `select * from attack.t join ${quoted} on true`,
        `select (select count(*) from attack.t, ${quoted}) as n`,
        `select ${quoted} as v`,
        `select ${call} as v`,
      ]) {
        // without a default dataset an unknown one-part name cannot resolve to a catalog table
        await expectRefused(sql, withDefault);
        await expectRefused(sql, noDefault);
      }
    }
  });

  test('DuckDB-only table functions and catalog objects', async () => {
    for (const sql of [
      'select * from attack.t, `duckdb_settings`()',
      'select * from `duckdb_tables`()',
      'select * from attack.t, duckdb_settings',
      'select * from `_landform`.`tables`',
      'select * from attack.t, _landform.datasets',
      'select * from attack.t, pg_catalog.pg_tables',
      'select * from attack.t, sqlite_master',
      'select * from attack.t, `temp.main.x`',
      'select * from (_landform.tables JOIN attack.t ON true)',
      'select * from ((attack.t AS a JOIN _landform.datasets AS b ON true))',
      'select * from (attack.t, _landform.tables)',
      'select * from attack.t where exists (pivot _landform.tables on table_id)',
      'select * from attack.t where exists (unpivot _landform.tables on resource into name k value v)',
      'select * from attack.t where exists (summarize _landform.tables)',
      'select * from attack.t where exists (describe _landform.tables)',
      'select * from attack.t where exists (show tables)',
      'select * from attack.t where exists (table _landform.tables)',
      'select * from attack.t where exists (from _landform.tables)',
      'select * from (show all tables)',
      'select * from attack.t, `range`(3)',
      'select * from attack.t, `generate_series`(1, 3)',
      "select `current_setting`('enable_external_access') as v",
      "select `getenv`('HOME') as v",
    ]) {
      await expectRefused(sql, noDefault);
    }
  });

  test('parenthesized joins resolve every operand as a catalog table', async () => {
    const r = await engine.query('select count(*) as n from ((attack.t AS a JOIN attack.t AS b ON true) JOIN attack.t AS c ON true)', noDefault);
    expect(r.rows[0]!.f[0]!.v).toBe('1');
    await expectRefused(`select * from (attack.t JOIN \`read_text\`('${canaryText}') ON true)`);
  });

  test('a query parameter where a table goes', async () => {
    await expectRefused('select * from @p', {
      ...withDefault,
      parameterMode: 'NAMED',
      queryParameters: [{ name: 'p', parameterType: { type: 'STRING' }, parameterValue: { value: canaryCsv } }],
    });
  });

  test('file contents cannot be stored in a table (INSERT, CTAS, MERGE, views, UDF bodies)', async () => {
    for (const sql of [
      `insert into attack.t select content from \`read_text\`('${canaryText}')`,
      `insert into attack.t select * from attack.t, '${canaryCsv}'`,
      `create table attack.stolen as select * from attack.t, \`read_csv\`('${canaryCsv}')`,
      `create view attack.v as select * from attack.t, \`read_text\`('${canaryText}')`,
      `create temp table tt as select * from '${canaryCsv}'`,
      `merge attack.t using \`read_text\`('${canaryText}') s on true when not matched then insert (x) values ('y')`,
      `merge attack.t using '${canaryCsv}' s on true when not matched then insert (x) values ('y')`,
      `create temp function f() as ((select max(content) from attack.t, \`read_text\`('${canaryText}'))); select f()`,
      `declare v string default (select content from attack.t, \`read_text\`('${canaryText}'))`,
    ]) {
      await expectRefused(sql);
    }
    await expectNoCanaryStored();
  });
});

describe('file writes, ATTACH, extensions and settings through GoogleSQL', () => {
  test('DuckDB statements are not GoogleSQL statements', async () => {
    for (const sql of [
      `COPY (SELECT 1) TO '${outDir}/x.csv'`,
      `COPY attack.t TO '${outDir}/x.csv'`,
      `EXPORT DATABASE '${outDir}'`,
      `EXPORT DATA OPTIONS (uri = 'file://${outDir}/x-*.csv', format = 'CSV') AS SELECT 1`,
      `ATTACH '${outDir}/x.duckdb' AS x`,
      `select 1; ATTACH '${outDir}/x.duckdb' AS x`,
      'INSTALL httpfs',
      'LOAD httpfs',
      'FORCE INSTALL httpfs',
      'PRAGMA enable_external_access',
      "PRAGMA database_list",
      "CALL pragma_version()",
      'SET enable_external_access = true',
      'SET lock_configuration = false',
      'RESET lock_configuration',
      'DETACH attack',
      'USE attack',
      'CHECKPOINT',
      'VACUUM',
      `IMPORT DATABASE '${work}'`,
    ]) {
      await expectRefused(sql);
    }
  });

  test('session settings a script sets with @@ change nothing in DuckDB', async () => {
    const r = await outcome("set @@enable_external_access = 'true'; select 1 as x", withDefault);
    expect(r).not.toBeInstanceOf(BigQueryApiError);
    await expectRefused(`select * from attack.t, \`read_text\`('${canaryText}')`);
  });
});

describe('injection through names and quoting', () => {
  test('CREATE TEMP FUNCTION parameter names cannot carry SQL', async () => {
    for (const sql of [
      `create temp function f(\`x) AS (1); COPY (SELECT 1) TO '${outDir}/p.csv'; CREATE TEMP MACRO m(x\` INT64) as (1); select 1`,
      `create temp function f(\`x) AS (1); ATTACH '${outDir}/p.duckdb' AS y; CREATE TEMP MACRO m(x\` INT64) as (1); select 1`,
      `create temp function f(\`a, b\` INT64) as (1); select f(1, 2)`,
      'create temp function f(`1x` INT64) as (1); select 1',
      'create temp function f(x INT64, X INT64) as (x); select 1',
    ]) {
      await expectRefused(sql);
    }
  });

  test('a function name with quotes stays one quoted name', async () => {
    const name = `f"() AS (1); COPY (SELECT 1) TO '${outDir}/n.csv'; CREATE TEMP MACRO g"`;
    const r = await outcome(`create temp function \`${name}\`(x INT64) as (x + 1); select \`${name}\`(41) as v`, withDefault);
    if (r instanceof BigQueryApiError) expect(r.reason).toBe('invalidQuery');
    else expect(r.rows.map((row) => row.f.map((c) => c.v))).toEqual([['42']]);
    expect(written()).toEqual([]);
  });

  test('typed parameters still work in a UDF body, nested calls and struct fields included', async () => {
    const r = await engine.query(
      'create temp function add(a INT64, b INT64) as (a + b); create temp function twice(s STRUCT<n INT64>) as (add(s.n, s.n)); select add(1, 2) as x, twice(STRUCT(5 AS n)) as y',
      withDefault,
    );
    expect(r.rows.map((row) => row.f.map((c) => c.v))).toEqual([['3', '10']]);
  });

  test('statements stacked inside strings, identifiers, comments and aliases stay data', async () => {
    const payload = `'; COPY (SELECT 1) TO '${outDir}/s.csv'; --`;
    const cases: [string, string][] = [
      [`select ${JSON.stringify(payload)} as v`, payload],
      [`select '''${payload}''' as v`, payload],
      [`select r"${payload}" as v`, payload],
    ];
    for (const [sql, expected] of cases) {
      const r = await engine.query(sql, withDefault);
      expect(r.rows[0]!.f[0]!.v).toBe(expected);
    }
    for (const sql of [
      `select 1 as \`a"; COPY (SELECT 1) TO '${outDir}/a.csv'; --\``,
      `select x as \`x"" FROM attack.t; COPY (SELECT 1) TO '${outDir}/b.csv'; --\` from attack.t`,
      `select * from \`attack.t"; ATTACH '${outDir}/c.duckdb' AS z; --\``,
      `declare \`v"; ATTACH '${outDir}/d.duckdb' AS z; --\` INT64 default 1; select 1`,
      `select 1 /* ; COPY (SELECT 1) TO '${outDir}/e.csv'; */ as v`,
    ]) {
      await outcome(sql, withDefault);
      expect(written()).toEqual([]);
    }
  });

  test('characters GoogleSQL has no use for are a syntax error, not passed to DuckDB', async () => {
    for (const sql of ['select $1', 'select {"a": 1}', 'select 1::int64', 'select $$x$$']) {
      await expectRefused(sql);
    }
  });
});

const SETTINGS =
  "SELECT name, value FROM duckdb_settings() WHERE name IN ('enable_external_access', 'lock_configuration', 'autoload_known_extensions', 'autoinstall_known_extensions', 'allow_community_extensions', 'allow_unsigned_extensions') ORDER BY name";
const LOCKED_DOWN = [
  ['allow_community_extensions', 'false'],
  ['allow_unsigned_extensions', 'false'],
  ['autoinstall_known_extensions', 'false'],
  ['autoload_known_extensions', 'false'],
  ['enable_external_access', 'false'],
  ['lock_configuration', 'true'],
];

describe('the DuckDB connections themselves', () => {
  let db: Database;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'engine-raw-'));
    db = await Database.open(path.join(dir, 'data'));
  });

  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function rawFails(sql: string): Promise<string> {
    try {
      await db.withConnection((conn) => conn.runAndReadAll(sql));
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error(`raw DuckDB SQL ran: ${sql}`);
  }

  test('refuses to read files given raw DuckDB SQL', async () => {
    expect(await rawFails("SELECT * FROM read_text('/etc/hostname')")).toMatch(/Permission Error/);
    for (const sql of [
      `SELECT * FROM read_text('${canaryText}')`,
      `SELECT * FROM read_csv('${canaryCsv}')`,
      `SELECT * FROM '${canaryCsv}'`,
      `SELECT * FROM glob('${work}/*')`,
      `SELECT * FROM sniff_csv('${canaryCsv}')`,
      `SELECT * FROM read_text('${db.intake.dir}/../${path.basename(work)}/canary.txt')`,
    ]) {
      expect(await rawFails(sql)).not.toContain(CANARY);
    }
  });

  test('refuses to write files, attach databases, load extensions or change its settings', async () => {
    const target = path.join(dir, 'x.csv');
    expect(await rawFails(`COPY (SELECT 1) TO '${target}'`)).toMatch(/Permission Error/);
    expect(existsSync(target)).toBe(false);
    expect(await rawFails(`COPY (SELECT 1) TO '/tmp/landform-attack-${randomUUID()}.csv'`)).toMatch(/Permission Error/);
    await rawFails(`EXPORT DATABASE '${path.join(dir, 'export')}'`);
    expect(existsSync(path.join(dir, 'export', 'schema.sql'))).toBe(false);
    await rawFails(`ATTACH '${path.join(dir, 'other.duckdb')}' AS other`);
    expect(existsSync(path.join(dir, 'other.duckdb'))).toBe(false);
    await rawFails('INSTALL httpfs');
    await rawFails('LOAD httpfs');
    for (const setting of ['SET enable_external_access = true', 'SET lock_configuration = false', 'RESET lock_configuration', "SET allowed_directories = ['/']", 'SET autoload_known_extensions = true', 'SET allow_community_extensions = true']) {
      expect(await rawFails(setting)).toMatch(/locked/);
    }
    const settings = await db.withConnection((conn) => conn.runAndReadAll(SETTINGS));
    expect(settings.getRows()).toEqual(LOCKED_DOWN);
  });

  test('every pooled connection has the same settings, and none can change them', async () => {
    // four calls at once hold four connections (three of them opened for this), each checked while all are borrowed
    let all!: () => void;
    const together = new Promise<void>((resolve) => (all = resolve));
    let borrowed = 0;
    const checks = Array.from({ length: 4 }, () =>
      db.withConnection(async (conn) => {
        if (++borrowed === 4) all();
        await together;
        const refused = await conn.run('SET enable_external_access = true').then(() => 'ran', (e: Error) => e.message);
        const zone = await conn.runAndReadAll("SELECT current_setting('TimeZone'), current_setting('default_null_order')");
        return { refused, settings: (await conn.runAndReadAll(SETTINGS)).getRows(), zone: zone.getRows() };
      }),
    );
    for (const c of await Promise.all(checks)) {
      expect(c).toEqual({ refused: expect.stringMatching(/locked/), settings: LOCKED_DOWN, zone: [['UTC', 'NULLS_FIRST_ON_ASC_LAST_ON_DESC']] });
    }
    expect(await rawFails("SELECT * FROM read_text('/etc/hostname')")).toMatch(/Permission Error/);
  });

  test('reads the files a load job puts in its intake directory, and nothing beside it', async () => {
    const admitted = await db.intake.admit(canaryText);
    try {
      const r = await db.withConnection((conn) => conn.runAndReadAll(`SELECT content FROM read_text('${admitted.path}')`));
      expect(String(r.getRows()[0]?.[0])).toBe(`${CANARY}\n`);
    } finally {
      await admitted.release();
    }
    expect(existsSync(admitted.path)).toBe(false);
    expect(readFileSync(canaryText, 'utf8')).toBe(`${CANARY}\n`);
  });
});

describe('one quoting function', () => {
  test('no engine module but type-mapping.ts quotes identifiers or strings by hand', () => {
    const root = path.resolve('packages/embedded-bigquery/src/engine');
    const files = (function walk(d: string): string[] {
      return readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith('.ts') ? [path.join(d, e.name)] : []));
    })(root);
    const handQuoting = files
      .filter((f) => path.basename(f) !== 'type-mapping.ts')
      .filter((f) => /replace\(\/"\/g, '""'\)|replace\(\/'\/g, "''"\)/.test(readFileSync(f, 'utf8')))
      .map((f) => path.relative(root, f));
    expect(handQuoting).toEqual([]);
  });
});
