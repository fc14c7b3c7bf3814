/**
 * Answers the embedded BigQuery gave where BigQuery gives another answer or an error (ZetaSQL's
 * compliance corpus, wave 2): number literals cast to NUMERIC / BIGNUMERIC are exact (they went
 * through FLOAT64), BIGNUMERIC values the engine cannot hold fail loudly, and the errors BigQuery
 * gives for out-of-range inputs. Expected values by hand from BigQuery's docs.
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();

const values = async (sql: string): Promise<unknown[]> => (await engine().query(sql, opts)).rows[0]!.f.map((c) => c.v);
const types = async (sql: string): Promise<string[]> => ((await engine().query(sql, opts)).schema?.fields ?? []).map((f) => f.type);
const failure = async (sql: string): Promise<string> => engine().query(sql, opts).then(() => 'answered', (e: Error) => e.message);
const LOUD = /is not supported by the embedded BigQuery/;

describe('number literals cast to NUMERIC and BIGNUMERIC', () => {
  test('convert from their text, not through FLOAT64', async () => {
    // FLOAT64 holds ~16 significant digits: the old answer was 9999999999999999538762658202.121142272
    expect(await values('SELECT CAST(9999999999999999999999999999.999999999 AS NUMERIC), CAST(-12345678901234567890.123456789 AS NUMERIC)'))
      .toEqual(['9999999999999999999999999999.999999999', '-12345678901234567890.123456789']);
    expect(await types('SELECT CAST(0.1 AS NUMERIC), CAST(0.1 AS BIGNUMERIC)')).toEqual(['NUMERIC', 'BIGNUMERIC']);
    // 1.25e3 = 1250; 0.1234567891234567891 has 19 fractional digits, which the engine holds
    expect(await values('SELECT CAST(-1.25e3 AS BIGNUMERIC), CAST(0.1234567891234567891 AS BIGNUMERIC), CAST(7 AS NUMERIC)')).toEqual(['-1250', '0.1234567891234567891', '7']);
  });

  test('NUMERIC rounds half away from zero to 9 digits; out of range fails, SAFE_CAST gives NULL', async () => {
    expect(await values('SELECT CAST(1.0000000005 AS NUMERIC), CAST(-1.0000000005 AS NUMERIC), CAST(2.00000000049 AS NUMERIC)')).toEqual(['1.000000001', '-1.000000001', '2']);
    expect(await failure('SELECT CAST(1e38 AS NUMERIC)')).toBe('Invalid NUMERIC value: 1e38');
    expect(await values('SELECT SAFE_CAST(1e38 AS NUMERIC), SAFE_CAST(0.5 AS NUMERIC)')).toEqual([null, '0.5']);
  });

  test('a BIGNUMERIC with more digits than the engine holds fails loudly (it was rounded to 1)', async () => {
    expect(await failure("SELECT BIGNUMERIC '1.00000000000000000000000000000000000001'")).toMatch(LOUD);
    expect(await failure('SELECT CAST(1.00000000000000000000000000000000000001 AS BIGNUMERIC)')).toMatch(LOUD);
    expect(await failure("SELECT BIGNUMERIC '1e20'")).toMatch(LOUD);
    expect(await values("SELECT BIGNUMERIC '123.5', BIGNUMERIC '-0.0000000000000000001', BIGNUMERIC '1.50000000000000000000000000'")).toEqual(['123.5', '-0.0000000000000000001', '1.5']);
  });
});
