/**
 * SET @@time_zone: every function that takes an optional time zone uses the default zone of the
 * script (BigQuery's system variable `time_zone`), and fixed offsets with minutes print as `+hh:mm`.
 * Expected values are worked out by hand from the zones' offsets: America/Los_Angeles is UTC-8 in
 * winter (PST) and UTC-7 in summer (PDT, from the second Sunday of March 02:00 to the first Sunday of
 * November 02:00); a civil time that occurs twice takes the offset before the transition (ZetaSQL's
 * `TimeZone::At(civil).pre`).
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';

const engine = memoryEngine();
const opts = { projectId: 'landform-local' };
const LA = "set @@time_zone = 'America/Los_Angeles';\n";

async function row(sql: string): Promise<(string | null)[]> {
  const r = await engine().query(sql, opts);
  return r.rows[0]!.f.map((c) => c.v as string | null);
}

describe('SET @@time_zone = America/Los_Angeles', () => {
  test('@@time_zone reads back the zone that was set', async () => {
    expect(await row(`${LA} select @@time_zone`)).toEqual(['America/Los_Angeles']);
  });

  test('TIMESTAMP literals without an offset are civil times there; with one they keep it', async () => {
    // 15:42:56 PST = 23:42:56 UTC; 12:13:14+05 = 07:13:14 UTC
    expect(await row(`${LA} select string(timestamp '2015-12-28 15:42:56', 'UTC'), string(timestamp '2000-01-23 12:13:14+05', 'UTC')`)).toEqual([
      '2015-12-28 23:42:56+00',
      '2000-01-23 07:13:14+00',
    ]);
  });

  test('CAST(TIMESTAMP AS STRING) and STRING(TIMESTAMP) print there, with its offset', async () => {
    // 07:13:14 UTC in January is 23:13:14 PST the day before
    expect(await row(`${LA} select cast(timestamp '2000-01-23 12:13:14+05' as string), string(timestamp '2020-06-01 00:00:00+00')`)).toEqual([
      '2000-01-22 23:13:14-08',
      '2020-05-31 17:00:00-07',
    ]);
  });

  test('DATE, DATETIME, TIME and EXTRACT of a TIMESTAMP take its civil time there', async () => {
    // 2019-08-01 03:00 UTC is 2019-07-31 20:00 PDT; 2020-01-01 00:00 UTC is 2019-12-31 16:00 PST
    expect(
      await row(`${LA} select date(timestamp '2019-08-01 03:00:00+00'), datetime(timestamp '2020-01-01 00:00:00+00'), time(timestamp '2020-01-01 00:00:00+00'),
        extract(hour from timestamp '2020-06-01 00:00:00+00'), extract(date from timestamp '2020-01-01 00:00:00+00'),
        cast(timestamp '2020-01-01 00:00:00+00' as date), cast(timestamp '2020-01-01 00:00:00+00' as datetime)`),
    ).toEqual(['2019-07-31', '2019-12-31T16:00:00', '16:00:00', '17', '2019-12-31', '2019-12-31', '2019-12-31T16:00:00']);
  });

  test('a STRING, DATE or DATETIME read as a TIMESTAMP is a civil time there', async () => {
    // 2023-05-23 00:00 PDT = 07:00 UTC; DATE('2019-08-01 03:00:00+00') is the LA date of that instant
    expect(
      await row(`${LA} select string(cast(date '2023-05-23' as timestamp), 'UTC'), string(timestamp(datetime '2015-12-28 15:42:56'), 'UTC'),
        string(timestamp('2020-01-01 00:00:00'), 'UTC'), date('2019-08-01 03:00:00+00'), date('2020-01-02'), time('2010-11-12 01:02:03.456+08')`),
    ).toEqual(['2023-05-23 07:00:00+00', '2015-12-28 23:42:56+00', '2020-01-01 08:00:00+00', '2019-07-31', '2020-01-02', '09:02:03.456']);
  });

  test('FORMAT_TIMESTAMP, PARSE_TIMESTAMP and TIMESTAMP_TRUNC use the zone', async () => {
    // TIMESTAMP_TRUNC to DAY: 2020-06-01 03:00 UTC is 2020-05-31 20:00 PDT, whose day starts at 07:00 UTC
    expect(
      await row(`${LA} select format_timestamp('%Y-%m-%d %H:%M:%S %Ez', timestamp '2020-06-01 00:00:00+00'),
        string(parse_timestamp('%Y-%m-%d %H:%M', '2020-01-01 00:00'), 'UTC'),
        string(timestamp_trunc(timestamp '2020-06-01 03:00:00+00', day), 'UTC'),
        string(timestamp_trunc(timestamp '2020-06-01 03:17:45+00', minute), 'UTC'),
        format_timestamp('%s', timestamp '1970-01-01 00:00:10+00'),
        string(parse_timestamp('%Y-%m-%d %H:%M:%S%Ez', '2020-01-01 00:00:00+05:30'), 'UTC')`),
    ).toEqual(['2020-05-31 17:00:00 -07:00', '2020-01-01 08:00:00+00', '2020-05-31 07:00:00+00', '2020-06-01 03:17:00+00', '10', '2019-12-31 18:30:00+00']);
  });

  test("FORMAT('%t') of a TIMESTAMP prints it there", async () => {
    expect(await row(`${LA} select format('%t', timestamp '2020-06-01 00:00:00+00')`)).toEqual(['2020-05-31 17:00:00-07']);
  });

  test('ARRAY<TIMESTAMP> items and RANGE<TIMESTAMP> bounds without an offset are civil times there', async () => {
    // 12:34:56.789012 PST = 20:34:56.789012 UTC; 2020-01-01 00:00 PST = 08:00 UTC
    expect(
      await row(`${LA} select string(array<timestamp>['2013-02-01 12:34:56.789012', '2014-09-11 01:01:01 UTC'][offset(0)], 'UTC'),
        string(array<timestamp>['2013-02-01 12:34:56.789012', '2014-09-11 01:01:01 UTC'][offset(1)], 'UTC'),
        string(range_start(range<timestamp> '[2020-01-01, 2020-12-31)'), 'UTC')`),
    ).toEqual(['2013-02-01 20:34:56.789012+00', '2014-09-11 01:01:01+00', '2020-01-01 08:00:00+00']);
  });

  test('CURRENT_DATE, CURRENT_DATETIME and CURRENT_TIME without a zone are those of the default zone', async () => {
    expect(
      await row(`${LA} select current_date() = current_date('America/Los_Angeles'), current_datetime() = current_datetime('America/Los_Angeles'),
        current_time('+01:00') != current_time('-01:00')`),
    ).toEqual(['true', 'true', 'true']);
  });

  test('what the engine cannot answer there fails loudly', async () => {
    await expect(engine().query(`${LA} select format_timestamp('%Z', timestamp '2020-01-01 00:00:00+00')`, opts)).rejects.toThrow(/not supported by the embedded BigQuery/);
    await expect(engine().query(`${LA} select timestamp_bucket(timestamp '2020-01-01 00:00:00+00', interval 1 day)`, opts)).rejects.toThrow(/not supported by the embedded BigQuery/);
    // CAST ... FORMAT of a TIMESTAMP, to or from STRING (cast-format.ts works in UTC)
    await expect(engine().query(`${LA} select cast(timestamp '2020-01-01 00:00:00+00' as string format 'YYYY-MM-DD HH24')`, opts)).rejects.toThrow(/not supported by the embedded BigQuery/);
    await expect(engine().query(`${LA} select cast('2020-01-01' as timestamp format 'YYYY-MM-DD')`, opts)).rejects.toThrow(/not supported by the embedded BigQuery/);
    // the text of a RANGE<TIMESTAMP> (printed and read in UTC by the range functions)
    for (const q of ["cast(range<timestamp> '[2020-01-01, 2020-02-01)' as string)", "cast('[2020-01-01 00:00:00, 2020-02-01 00:00:00)' as range<timestamp>)", "format('%t', range<timestamp> '[2020-01-01, 2020-02-01)')"]) {
      await expect(engine().query(`${LA} select ${q}`, opts)).rejects.toThrow(/not supported by the embedded BigQuery/);
    }
    expect(await row(`${LA} select cast(null as range<timestamp>) is null`)).toEqual(['true']);
  });

  test('date/time functions read their STRING literal arguments in the zone; a date or time literal of unknown use fails loudly', async () => {
    // '2020-01-01 00:00:00' as a TIMESTAMP there is 08:00 UTC; one hour later 09:00
    expect(
      await row(`${LA} select string(timestamp_add('2020-01-01 00:00:00', interval 1 hour), 'UTC'), date_add('2020-01-01', interval 1 day),
        cast('2020-01-01 00:00:00' as timestamp) = timestamp '2020-01-01 08:00:00+00', array_length(generate_date_array('2020-01-01', '2020-01-03')),
        timestamp_diff('2020-01-02 00:00:00', timestamp '2020-01-01 00:00:00+00', hour)`),
    ).toEqual(['2020-01-01 09:00:00+00', '2020-01-02', 'true', '3', '32']);
    expect(await row(`${LA} select count(*) from unnest([timestamp '2020-01-01 00:00:00+00']) x where x < timestamp '2020-01-01 00:00:00'`)).toEqual(['1']);
    // compared with a TIMESTAMP, BigQuery reads the literal in the zone; DuckDB would read it in UTC
    await expect(engine().query(`${LA} select x = '2020-01-01 00:00:00' from unnest([timestamp '2020-01-01 00:00:00+00']) x`, opts)).rejects.toThrow(/STRING literal '2020-01-01 00:00:00'.*not supported by the embedded BigQuery/);
    // in an array literal the item takes its typed siblings' type: 01:02:03 PST is 09:02:03 UTC
    expect(await row(`${LA} select string([timestamp '2000-01-02 10:20:30', '2000-01-02 01:02:03'][offset(1)], 'UTC'), [date '2000-01-02', '2000-10-20'][offset(1)]`)).toEqual(['2000-01-02 09:02:03+00', '2000-10-20']);
    await expect(engine().query(`${LA} select ['2000-01-02 01:02:03', concat('a', 'b')]`, opts)).rejects.toThrow(/not supported by the embedded BigQuery/);
    // typed arrays of a civil type, string literals unnested in FROM, and casts of ARRAY or STRUCT values without a TIMESTAMP
    expect(await row(`${LA} select array<date>['2000-01-01'][offset(0)], (select string_agg(d) from unnest(['2016-11-06T00:30:00', '2016-11-06']) d),
      array_length(cast(null as array<range<date>>)), cast(struct(1 as a, 'x' as b) as struct<a int64, b string>).b`)).toEqual(['2000-01-01', '2016-11-06T00:30:00,2016-11-06', null, 'x']);
    // compared with a typed literal: DATE and DATETIME as written, TIMESTAMP in the zone (00:00 PST is 08:00 UTC)
    expect(await row(`${LA} select date '1969-12-25' between '1960-01-01' and '1969-12-31', datetime '2000-01-01 10:00:00' > '2000-01-01 09:00:00',
      '2020-01-01 00:00:00' = timestamp '2020-01-01 08:00:00+00', date '1990-10-10' between null and '2000-11-11'`)).toEqual(['true', 'true', 'true', null]);
    await expect(engine().query(`${LA} select cast([timestamp '2020-01-01 00:00:00+00'] as array<string>)`, opts)).rejects.toThrow(/under a @@time_zone other than UTC is not supported by the embedded BigQuery/);
    expect(await row("select timestamp '2020-01-01 00:00:00' = '2020-01-01 00:00:00'")).toEqual(['true']);
    // Pacific/Chatham is UTC+13:45 in February (daylight time): 04:05:06.789 there is 14:20:06.789 UTC the day before
    expect(await row("set @@time_zone = 'Pacific/Chatham'; select string(timestamp_trunc('2000-02-03 04:05:06.789', hour), 'UTC'), string(timestamp_trunc('2000-02-03 04:05:06.789', second), 'UTC')")).toEqual([
      '2000-02-02 14:15:00+00',
      '2000-02-02 14:20:06+00',
    ]);
  });

  test('query parameters whose text could be read as a civil time there fail loudly; others bind', async () => {
    const param = (type: string, value: string) => ({ ...opts, parameterMode: 'NAMED' as const, queryParameters: [{ name: 'p', parameterType: { type }, parameterValue: { value } }] });
    await expect(engine().query(`${LA} select @p`, param('STRING', '2020-01-01 00:00:00'))).rejects.toThrow(/STRING query parameter @p .*not supported by the embedded BigQuery/);
    await expect(engine().query(`${LA} select @p`, param('TIMESTAMP', '2020-01-01 00:00:00'))).rejects.toThrow(/not supported by the embedded BigQuery/);
    expect((await engine().query(`${LA} select @p`, param('STRING', 'abc'))).rows[0]!.f[0]!.v).toBe('abc');
    // 2020-01-01 00:00 UTC is 2019-12-31 16:00 PST
    expect((await engine().query(`${LA} select string(@p)`, param('TIMESTAMP', '2020-01-01 00:00:00+00:00'))).rows[0]!.f[0]!.v).toBe('2019-12-31 16:00:00-08');
  });

  test('an invalid zone is refused as BigQuery refuses it', async () => {
    await expect(engine().query("set @@time_zone = 'IST'; select 1", opts)).rejects.toMatchObject({ reason: 'invalidQuery', message: expect.stringMatching(/^Invalid time zone: IST/) });
  });
});

describe('where the zone holds', () => {
  test('a session keeps @@time_zone for its later queries; other queries stay in UTC', async () => {
    const first = await engine().query("set @@time_zone = 'Asia/Kolkata'; select 1", { ...opts, createSession: true });
    const sessionId = first.sessionId!;
    // 2020-01-01 00:00 UTC is 05:30 in Kolkata (UTC+5:30)
    const r = await engine().query("select @@time_zone, string(timestamp '2020-01-01 00:00:00+00')", { ...opts, sessionId });
    expect(r.rows[0]!.f.map((c) => c.v)).toEqual(['Asia/Kolkata', '2020-01-01 05:30:00+05:30']);
    expect(await row("select @@time_zone, string(timestamp '2020-01-01 00:00:00+00')")).toEqual(['UTC', '2020-01-01 00:00:00+00']);
  });

  test('EXECUTE IMMEDIATE text runs in the script\'s zone', async () => {
    expect(await row(`${LA} declare d date; execute immediate "select date(timestamp '2020-01-01 00:00:00+00')" into d; select d`)).toEqual(['2019-12-31']);
  });
});

describe('fixed offsets with minutes', () => {
  test('SET @@time_zone to an offset: civil times and texts there', async () => {
    // 00:00 UTC is 05:30 at +05:30; 2020-01-01 00:00 at +05:30 is 2019-12-31 18:30 UTC
    expect(await row("set @@time_zone = '+05:30'; select string(timestamp '2020-01-01 00:00:00+00'), string(timestamp '2020-01-01 00:00:00', 'UTC'), extract(minute from timestamp '2020-01-01 00:00:00+00')")).toEqual([
      '2020-01-01 05:30:00+05:30',
      '2019-12-31 18:30:00+00',
      '30',
    ]);
  });

  test("STRING(ts, 'UTC+1234') prints +12:34, from a literal or a column of zones (UTC session)", async () => {
    // 10:20:30 UTC + 12:34 = 22:54:30; -08 gives 02:20:30; Asia/Kolkata (+05:30) 15:50:30
    expect(await row("select string(timestamp '2014-02-28 10:20:30+00', 'UTC+1234'), cast(timestamp '2014-02-28 10:20:30+00' as string)")).toEqual(['2014-02-28 22:54:30+12:34', '2014-02-28 10:20:30+00']);
    const r = await engine().query("select tz, string(timestamp '2014-02-28 10:20:30+00', tz) from unnest(['UTC+1234', '-08', 'Asia/Kolkata']) tz order by tz", opts);
    expect(r.rows.map((x) => x.f.map((c) => c.v))).toEqual([
      ['-08', '2014-02-28 02:20:30-08'],
      ['Asia/Kolkata', '2014-02-28 15:50:30+05:30'],
      ['UTC+1234', '2014-02-28 22:54:30+12:34'],
    ]);
  });

  test('TIMESTAMP(datetime, zone) of a civil time that occurs twice takes the offset before the transition; a skipped one too', async () => {
    // 2020-11-01 01:30 occurs at PDT (08:30 UTC) and PST (09:30 UTC): the first; 2020-03-08 02:30 does not occur: PST's 10:30 UTC
    expect(await row("select string(timestamp(datetime '2020-11-01 01:30:00', 'America/Los_Angeles'), 'UTC'), string(timestamp('2020-03-08 02:30:00', 'America/Los_Angeles'), 'UTC')")).toEqual([
      '2020-11-01 08:30:00+00',
      '2020-03-08 10:30:00+00',
    ]);
  });
});
