/**
 * RANGE<DATE|DATETIME|TIMESTAMP> (data-types#range_type, lexical#range_literals, range-functions):
 * literals with UNBOUNDED/NULL bounds, the RANGE constructor and its errors, RANGE_START/END,
 * CAST to and from STRING, comparison, ORDER BY, GROUP BY, DISTINCT and MIN/MAX as the comparable
 * data types section orders ranges (lower bounds first; an unbounded start first, an unbounded end
 * last), RANGE_CONTAINS (both signatures), RANGE_OVERLAPS, RANGE_INTERSECT and GENERATE_RANGE_ARRAY
 * (with the reference implementation's step rules). Expected values worked out by hand from those pages.
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';
import { decodeCell } from '../../../scripts/zetasql-compliance/compare.js';
import { timestampMicros } from '../../../scripts/zetasql-compliance/result-value.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();

const failure = async (sql: string): Promise<string> => engine().query(sql, opts).then(() => 'answered', (e: Error) => e.message);
/** The first row's cells as the REST API sends them (arrays as lists of their elements' cells). */
const row = async (sql: string): Promise<unknown[]> => {
  const r = await engine().query(sql, opts);
  return r.rows[0]!.f.map((c) => (Array.isArray(c.v) ? c.v.map((e) => e.v) : c.v));
};
const column = async (sql: string): Promise<unknown[]> => (await engine().query(sql, opts)).rows.map((r) => r.f[0]!.v);
const LOUD = /not supported by the embedded BigQuery/;

describe('RANGE values', () => {
  test('literals of each element type, with UNBOUNDED and NULL bounds, and the schema REST reports', async () => {
    const r = await engine().query(
      "SELECT RANGE<DATE> '[2020-01-01, 2020-12-31)' AS d, RANGE<DATETIME> '[2020-01-01 12:00:00.5, UNBOUNDED)' AS dt, RANGE<TIMESTAMP> '[NULL, 2020-01-01 08:00:00+08)' AS ts, RANGE<DATE> '[unbounded, Null)' AS open",
      opts,
    );
    expect(r.schema.fields).toEqual([
      { name: 'd', type: 'RANGE', mode: 'NULLABLE', rangeElementType: { type: 'DATE' } },
      { name: 'dt', type: 'RANGE', mode: 'NULLABLE', rangeElementType: { type: 'DATETIME' } },
      { name: 'ts', type: 'RANGE', mode: 'NULLABLE', rangeElementType: { type: 'TIMESTAMP' } },
      { name: 'open', type: 'RANGE', mode: 'NULLABLE', rangeElementType: { type: 'DATE' } },
    ]);
    // DATETIME bounds as DATETIME cells (with T), TIMESTAMP bounds as TIMESTAMP cells: 2020-01-01 00:00 UTC is 1577836800 s
    expect(r.rows[0]!.f.map((c) => c.v)).toEqual(['[2020-01-01, 2020-12-31)', '[2020-01-01T12:00:00.5, UNBOUNDED)', '[UNBOUNDED, 1.5778368E9)', '[UNBOUNDED, UNBOUNDED)']);
  });

  test('literal errors: a start not before the end, malformed text, a bound of another type, a bad element type', async () => {
    expect(await failure("SELECT RANGE<DATE> '[2020-01-02, 2020-01-01)'")).toBe('Invalid RANGE literal value: Range start element must be smaller than range end element');
    expect(await failure("SELECT RANGE<DATE> '[2020-01-01, 2020-01-01)'")).toMatch(/must be smaller/);
    expect(await failure("SELECT RANGE<DATE> '[2020-01-01,2020-02-01)'")).toMatch(/^Invalid RANGE literal value: Failed to parse range: .*divided with ", "/);
    expect(await failure("SELECT RANGE<DATE> '(2020-01-01, 2020-02-01)'")).toMatch(/^Invalid RANGE literal value: Failed to parse range/);
    expect(await failure("SELECT RANGE<DATE> '[2020-01-01 , 2020-02-01)'")).toMatch(/START having no leading or trailing spaces/);
    expect(await failure("SELECT RANGE<DATETIME> '[2020-01-01 10:00:00 UTC, UNBOUNDED)'")).toMatch(/^Invalid RANGE literal value/);
    expect(await failure("SELECT RANGE<INT64> '[1, 2)'")).toMatch(/element type of a RANGE must be DATE, DATETIME or TIMESTAMP/);
  });

  test('the RANGE constructor: NULL bounds are unbounded; start >= end and mixed types fail; SAFE.RANGE is NULL', async () => {
    expect(await row("SELECT RANGE(DATE '2022-12-01', DATE '2022-12-31'), RANGE(NULL, DATE '2022-12-31'), RANGE(DATE '2022-10-01', NULL)")).toEqual([
      '[2022-12-01, 2022-12-31)',
      '[UNBOUNDED, 2022-12-31)',
      '[2022-10-01, UNBOUNDED)',
    ]);
    expect(await row("SELECT RANGE(DATETIME '2022-10-01 14:53:27', DATETIME '2022-10-01 16:00:00')")).toEqual(['[2022-10-01T14:53:27, 2022-10-01T16:00:00)']);
    expect(await failure("SELECT RANGE(DATE '2022-12-31', DATE '2022-12-01')")).toBe('Range start element must be smaller than range end element');
    expect(await row("SELECT SAFE.RANGE(DATE '2022-12-31', DATE '2022-12-01')")).toEqual([null]);
    expect(await failure("SELECT RANGE(DATE '2022-12-01', TIMESTAMP '2022-12-31')")).toMatch(/^No matching signature for function RANGE for argument types: DATE, TIMESTAMP( at \[1:8\])?$/);
    expect(await failure('SELECT RANGE(1, 3)')).toMatch(/^No matching signature for function RANGE for argument types: INT64, INT64/);
    expect(await failure("SELECT RANGE('2022-12-01', DATE '2022-12-31')")).toMatch(LOUD);
  });

  test('RANGE_START and RANGE_END: NULL for an unbounded bound and for a NULL range', async () => {
    expect(await row("SELECT RANGE_START(RANGE<DATE> '[2022-12-01, 2022-12-31)'), RANGE_END(RANGE<DATE> '[2022-12-01, UNBOUNDED)'), RANGE_START(RANGE<DATE> '[UNBOUNDED, 2022-12-31)'), RANGE_END(CAST(NULL AS RANGE<DATE>))")).toEqual([
      '2022-12-01',
      null,
      null,
      null,
    ]);
    const r = await engine().query("SELECT RANGE_END(RANGE<TIMESTAMP> '[UNBOUNDED, 2020-01-01 00:00:01+00)') AS e", opts);
    expect(r.schema.fields[0]).toEqual({ name: 'e', type: 'TIMESTAMP', mode: 'NULLABLE' });
    expect(r.rows[0]!.f[0]!.v).toBe('1.577836801E9');
  });

  test('CAST to STRING prints [start, end) with UNBOUNDED; CAST from STRING reads it strictly; SAFE_CAST gives NULL', async () => {
    expect(await row("SELECT CAST(RANGE<DATE> '[2020-01-01, UNBOUNDED)' AS STRING), CAST(RANGE<TIMESTAMP> '[2020-01-01 12:00:00+08, 2020-01-02 00:00:00.25+00)' AS STRING), CAST(RANGE<DATETIME> '[UNBOUNDED, 2020-01-01 10:00:00)' AS STRING)")).toEqual([
      '[2020-01-01, UNBOUNDED)',
      // each bound as CAST(TIMESTAMP AS STRING) prints it (fractions in groups of three digits)
      '[2020-01-01 04:00:00+00, 2020-01-02 00:00:00.250+00)',
      '[UNBOUNDED, 2020-01-01 10:00:00)',
    ]);
    expect(await row("SELECT CAST('[2020-01-01, NULL)' AS RANGE<DATE>), CAST('[UNBOUNDED, 2020-01-01 10:00:00+01)' AS RANGE<TIMESTAMP>), FORMAT('%t', RANGE<DATE> '[2020-01-01, 2020-02-01)')")).toEqual([
      '[2020-01-01, UNBOUNDED)',
      '[UNBOUNDED, 1.5778692E9)', // 09:00 UTC: 1577836800 + 9 × 3600
      '[2020-01-01, 2020-02-01)',
    ]);
    expect(await failure("SELECT CAST('[2020-01-01,2020-02-01)' AS RANGE<DATE>)")).toMatch(/^Failed to parse range/);
    expect(await failure("SELECT CAST(RANGE<DATE> '[2020-01-01, UNBOUNDED)' AS RANGE<DATETIME>)")).toMatch(LOUD);
    expect(await failure("SELECT CAST('[2020-02-01, 2020-01-01)' AS RANGE<DATE>)")).toBe('Range start element must be smaller than range end element');
    expect(await row("SELECT SAFE_CAST('[2020-02-01, 2020-01-01)' AS RANGE<DATE>), SAFE_CAST('[2020-01-01, x)' AS RANGE<DATE>), SAFE_CAST('[2020-01-01,2020-02-01)' AS RANGE<DATE>)")).toEqual([null, null, null]);
  });

  test('equality, order and grouping: lower bounds first, an unbounded start first, an unbounded end last', async () => {
    const values = "[RANGE<DATE> '[2020-01-01, 2020-02-01)', RANGE<DATE> '[UNBOUNDED, 2020-01-01)', NULL, RANGE<DATE> '[2020-01-01, UNBOUNDED)', RANGE<DATE> '[UNBOUNDED, UNBOUNDED)', RANGE<DATE> '[2020-01-01, UNBOUNDED)']";
    expect(await column(`SELECT r FROM UNNEST(${values}) AS r ORDER BY r`)).toEqual([
      null,
      '[UNBOUNDED, 2020-01-01)',
      '[UNBOUNDED, UNBOUNDED)',
      '[2020-01-01, 2020-02-01)',
      '[2020-01-01, UNBOUNDED)',
      '[2020-01-01, UNBOUNDED)',
    ]);
    expect(await column(`SELECT r FROM UNNEST(${values}) AS r ORDER BY r DESC LIMIT 2`)).toEqual(['[2020-01-01, UNBOUNDED)', '[2020-01-01, UNBOUNDED)']);
    expect(await row(`SELECT MIN(r), MAX(r), COUNT(DISTINCT r), COUNT(r) FROM UNNEST(${values}) AS r`)).toEqual(['[UNBOUNDED, 2020-01-01)', '[2020-01-01, UNBOUNDED)', '4', '5']);
    // IS [NOT] DISTINCT FROM a column (the column after FROM was read as a table)
    expect(await row("SELECT r1 IS DISTINCT FROM r2, r1 IS NOT DISTINCT FROM r2 FROM (SELECT RANGE<DATE> '[2020-01-01, UNBOUNDED)' AS r1, RANGE(DATE '2020-01-01', NULL) AS r2)")).toEqual(['false', 'true']);
    const groups = await engine().query(`SELECT r, COUNT(*) AS n FROM UNNEST(${values}) AS r GROUP BY r ORDER BY n DESC, r LIMIT 1`, opts);
    expect(groups.rows[0]!.f.map((c) => c.v)).toEqual(['[2020-01-01, UNBOUNDED)', '2']);
    expect(await row("SELECT RANGE<DATE> '[2020-01-01, UNBOUNDED)' = RANGE(DATE '2020-01-01', NULL), RANGE<DATE> '[2020-01-01, UNBOUNDED)' < RANGE<DATE> '[2020-01-01, 2021-01-01)', RANGE<DATE> '[UNBOUNDED, 2020-01-01)' < RANGE<DATE> '[0001-01-01, 0001-01-02)'")).toEqual([
      'true',
      'false',
      'true',
    ]);
  });

  test('RANGE_CONTAINS with a range and with a value, RANGE_OVERLAPS and RANGE_INTERSECT', async () => {
    expect(await row(`SELECT
      RANGE_CONTAINS(RANGE<DATE> '[2022-01-01, 2023-01-01)', RANGE<DATE> '[2022-04-01, 2022-07-01)'),
      RANGE_CONTAINS(RANGE<DATE> '[2022-01-01, 2023-01-01)', RANGE<DATE> '[2023-01-01, 2023-04-01)'),
      RANGE_CONTAINS(RANGE<DATE> '[2022-01-01, 2023-01-01)', DATE '2022-04-01'),
      RANGE_CONTAINS(RANGE<DATE> '[2022-01-01, 2023-01-01)', DATE '2023-01-01'),
      RANGE_CONTAINS(RANGE<DATE> '[UNBOUNDED, UNBOUNDED)', RANGE<DATE> '[UNBOUNDED, 2023-01-01)'),
      RANGE_CONTAINS(RANGE<TIMESTAMP> '[2022-01-01 00:00:00+00, UNBOUNDED)', TIMESTAMP '2021-12-31 23:59:59.999999+00'),
      RANGE_CONTAINS(RANGE<DATE> '[2022-01-01, 2023-01-01)', NULL)`)).toEqual(['true', 'false', 'true', 'false', 'true', 'false', null]);
    // the second argument read from a column (its type known only when the query is bound)
    expect(await column("SELECT RANGE_CONTAINS(RANGE<DATE> '[2022-01-01, 2023-01-01)', x) FROM UNNEST([DATE '2021-12-31', DATE '2022-12-31']) AS x ORDER BY x")).toEqual(['false', 'true']);
    expect(await row(`SELECT
      RANGE_OVERLAPS(RANGE<DATE> '[2022-02-01, 2022-09-01)', RANGE<DATE> '[2021-06-15, 2022-04-15)'),
      RANGE_OVERLAPS(RANGE<DATE> '[2020-02-01, 2020-09-01)', RANGE<DATE> '[2020-09-01, 2022-04-15)'),
      RANGE_OVERLAPS(RANGE<DATE> '[2022-02-01, UNBOUNDED)', RANGE<DATE> '[2021-06-15, UNBOUNDED)'),
      RANGE_INTERSECT(RANGE<DATE> '[2022-02-01, 2022-09-01)', RANGE<DATE> '[2021-06-15, 2022-04-15)'),
      RANGE_INTERSECT(RANGE<DATE> '[2022-02-01, UNBOUNDED)', RANGE<DATE> '[2021-06-15, UNBOUNDED)')`)).toEqual(['true', 'false', 'true', '[2022-02-01, 2022-04-15)', '[2022-02-01, UNBOUNDED)']);
    expect(await failure("SELECT RANGE_INTERSECT(RANGE<DATE> '[2020-02-01, 2020-09-01)', RANGE<DATE> '[2021-06-15, UNBOUNDED)')")).toBe(
      'Provided RANGE inputs: [2020-02-01, 2020-09-01) and [2021-06-15, UNBOUNDED) do not overlap. Please check RANGE_OVERLAPS before calling RANGE_INTERSECT',
    );
    expect(await row("SELECT SAFE.RANGE_INTERSECT(RANGE<DATE> '[2020-02-01, 2020-09-01)', RANGE<DATE> '[2021-06-15, UNBOUNDED)')")).toEqual([null]);
    expect(await failure("SELECT RANGE_CONTAINS(RANGE<DATE> '[2022-01-01, 2023-01-01)', TIMESTAMP '2022-04-01')")).toMatch(/^No matching signature for function RANGE_CONTAINS for argument types: RANGE<DATE>, TIMESTAMP/);
    expect(await failure("SELECT RANGE_OVERLAPS(RANGE<DATE> '[2022-01-01, 2023-01-01)', RANGE<DATETIME> '[2022-01-01 00:00:00, UNBOUNDED)')")).toMatch(/^No matching signature for function RANGE_OVERLAPS/);
  });

  test('GENERATE_RANGE_ARRAY: whole and partial last subranges, month steps from the start, the step rules', async () => {
    const range = "RANGE(DATE '2020-01-01', DATE '2020-01-06')";
    expect(await row(`SELECT GENERATE_RANGE_ARRAY(${range}, INTERVAL 1 DAY)`)).toEqual([
      ['[2020-01-01, 2020-01-02)', '[2020-01-02, 2020-01-03)', '[2020-01-03, 2020-01-04)', '[2020-01-04, 2020-01-05)', '[2020-01-05, 2020-01-06)'],
    ]);
    expect(await row(`SELECT GENERATE_RANGE_ARRAY(${range}, INTERVAL 2 DAY), GENERATE_RANGE_ARRAY(${range}, INTERVAL 2 DAY, TRUE), GENERATE_RANGE_ARRAY(${range}, INTERVAL 2 DAY, FALSE)`)).toEqual([
      ['[2020-01-01, 2020-01-03)', '[2020-01-03, 2020-01-05)', '[2020-01-05, 2020-01-06)'],
      ['[2020-01-01, 2020-01-03)', '[2020-01-03, 2020-01-05)', '[2020-01-05, 2020-01-06)'],
      ['[2020-01-01, 2020-01-03)', '[2020-01-03, 2020-01-05)'],
    ]);
    // k months from the start (Jan 31 + 1 month is Feb 29 in 2020, + 2 months Mar 31)
    expect(await row("SELECT GENERATE_RANGE_ARRAY(RANGE(DATE '2020-01-31', DATE '2020-04-15'), INTERVAL 1 MONTH)")).toEqual([['[2020-01-31, 2020-02-29)', '[2020-02-29, 2020-03-31)', '[2020-03-31, 2020-04-15)']]);
    // 2020-01-01 00:00 UTC is 1577836800 s; steps of two hours over five
    expect(await row("SELECT GENERATE_RANGE_ARRAY(RANGE(TIMESTAMP '2020-01-01 00:00:00+00', TIMESTAMP '2020-01-01 05:00:00+00'), INTERVAL 2 HOUR, FALSE)")).toEqual([['[1.5778368E9, 1.577844E9)', '[1.577844E9, 1.5778512E9)']]);
    expect(await row("SELECT GENERATE_RANGE_ARRAY(RANGE(DATETIME '2020-01-01 00:00:00', DATETIME '2020-01-01 00:00:01.5'), INTERVAL 1 SECOND)")).toEqual([['[2020-01-01T00:00:00, 2020-01-01T00:00:01)', '[2020-01-01T00:00:01, 2020-01-01T00:00:01.5)']]);
    // over a column of an enclosing query (the overload is learned by a probe: query/overload-probe.ts)
    expect(await row("SELECT (SELECT GENERATE_RANGE_ARRAY(r, INTERVAL 1 DAY)) FROM UNNEST([RANGE(DATE '2020-01-01', DATE '2020-01-03')]) AS r")).toEqual([['[2020-01-01, 2020-01-02)', '[2020-01-02, 2020-01-03)']]);
    expect(await row(`SELECT GENERATE_RANGE_ARRAY(${range}, NULL), GENERATE_RANGE_ARRAY(CAST(NULL AS RANGE<DATE>), INTERVAL 1 DAY)`)).toEqual([[], []]);
    expect(await failure("SELECT GENERATE_RANGE_ARRAY(RANGE(DATE '2020-01-01', NULL), INTERVAL 1 DAY)")).toBe('input RANGE cannot have UNBOUNDED endpoints');
    expect(await failure(`SELECT GENERATE_RANGE_ARRAY(${range}, INTERVAL 0 DAY)`)).toBe('step cannot be 0');
    expect(await failure(`SELECT GENERATE_RANGE_ARRAY(${range}, INTERVAL -1 DAY)`)).toBe('step cannot be negative');
    expect(await failure(`SELECT GENERATE_RANGE_ARRAY(${range}, INTERVAL 1 HOUR)`)).toBe('step with non-zero (H:M:S[.F]) part is not supported');
    expect(await failure("SELECT GENERATE_RANGE_ARRAY(RANGE(TIMESTAMP '2020-01-01', TIMESTAMP '2020-02-01'), INTERVAL 1 MONTH)")).toBe('step with non-zero MONTH or YEAR part is not supported');
    expect(await failure("SELECT GENERATE_RANGE_ARRAY(RANGE(TIMESTAMP '2020-01-01', TIMESTAMP '2020-02-01'), INTERVAL '1 2' DAY TO HOUR)")).toMatch(LOUD);
    expect(await failure("SELECT GENERATE_RANGE_ARRAY(RANGE(TIMESTAMP '2020-01-01', TIMESTAMP '2020-01-02'), INTERVAL 500 MILLISECOND)")).toMatch(LOUD);
  });

  test('nothing but a RANGE prints as one: STRUCT fields of its names fail loudly; a STRUCT holding a RANGE is a RECORD', async () => {
    expect(await failure("SELECT STRUCT(DATE '2020-01-01' AS `range.start`, DATE '2020-01-02' AS `range.end`)")).toMatch(LOUD);
    expect(await failure("SELECT CAST(NULL AS STRUCT<`range.start` DATE, `range.end` DATE>)")).toMatch(LOUD);
    const r = await engine().query("SELECT STRUCT(RANGE<DATE> '[2020-01-01, UNBOUNDED)' AS r, 1 AS x) AS s, STRUCT(DATE '2020-01-01' AS start, DATE '2020-01-02' AS `end`) AS t", opts);
    expect(r.schema.fields[0]!.fields![0]).toEqual({ name: 'r', type: 'RANGE', mode: 'NULLABLE', rangeElementType: { type: 'DATE' } });
    expect(r.schema.fields[1]!.type).toBe('RECORD');
    // functions that take any type and would print the engine's struct
    for (const call of ['TO_JSON_STRING(r)', "JSON_OBJECT('a', r)", 'JSON_ARRAY([r])', 'STRING(r)', "CONCAT('x', r)"]) {
      expect(await failure(`SELECT ${call} FROM UNNEST([RANGE<DATE> '[2020-01-01, UNBOUNDED)']) AS r`)).toMatch(LOUD);
    }
    expect(await failure("SELECT RANGE_SESSIONIZE(1)")).toMatch(LOUD);
  });

  test('a RANGE table column: CREATE TABLE, INSERT, filters, and INFORMATION_SCHEMA', async () => {
    await engine().query('CREATE SCHEMA ranges', opts);
    await engine().query("CREATE TABLE ranges.stays (id INT64, stay RANGE<DATE>)", opts);
    await engine().query("INSERT INTO ranges.stays VALUES (1, RANGE<DATE> '[2024-01-01, 2024-01-05)'), (2, RANGE(DATE '2024-01-04', NULL)), (3, NULL)", opts);
    expect(await column("SELECT id FROM ranges.stays WHERE RANGE_CONTAINS(stay, DATE '2024-01-04') ORDER BY id")).toEqual(['1', '2']);
    expect(await column("SELECT CAST(stay AS STRING) FROM ranges.stays ORDER BY stay")).toEqual([null, '[2024-01-01, 2024-01-05)', '[2024-01-04, UNBOUNDED)']);
    expect(await column("SELECT data_type FROM ranges.INFORMATION_SCHEMA.COLUMNS WHERE table_name = 'stays' ORDER BY ordinal_position")).toEqual(['INT64', 'RANGE<DATE>']);
  });
});

describe('the compliance harness reads RANGE cells', () => {
  test('bounds decode as cells of the element type', () => {
    const field = { name: 'r', type: 'RANGE', rangeElementType: { type: 'TIMESTAMP' } };
    expect(decodeCell(field, '[1577836800000000, UNBOUNDED)')).toEqual({ kind: 'range', start: 1577836800000000n, end: null });
    expect(decodeCell(field, '[1.5778368E9, UNBOUNDED)')).toEqual({ kind: 'range', start: 1577836800000000n, end: null });
    expect(decodeCell({ ...field, rangeElementType: { type: 'DATETIME' } }, '[UNBOUNDED, 2020-01-01T10:00:00.500)')).toEqual({ kind: 'range', start: null, end: '2020-01-01 10:00:00.5' });
  });

  test('expected TIMESTAMPs of the years 1 to 99 are read as those years (Date.UTC alone reads 1901)', () => {
    // 0001-01-01 00:00:00 UTC is -62135596800 s (limits.ts MIN_MICROS); 0099-12-31 is 36158 days later
    expect(timestampMicros('0001-01-01 00:00:00+00')).toBe(-62135596800000000n);
    expect(timestampMicros('0099-12-31 00:00:00+00')).toBe((-62135596800n + 36158n * 86400n) * 1000000n);
  });
});
