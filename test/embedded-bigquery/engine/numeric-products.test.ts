/**
 * NUMERIC × NUMERIC as BigQuery computes it (operators#arithmetic_operators; NUMERIC has 9 fractional
 * digits): every product is rounded half away from zero to 9 digits where it is computed, so a product
 * compared, summed or multiplied again is the rounded one; a product beyond NUMERIC's 29 integer digits
 * fails with ZetaSQL's "numeric overflow: a * b". Expected values are worked out by hand in the comments.
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();

async function row(sql: string): Promise<{ types: string[]; values: unknown[] }> {
  const r = await engine().query(sql, opts);
  return { types: (r.schema?.fields ?? []).map((f) => f.type), values: r.rows[0]!.f.map((c) => c.v) };
}

describe('NUMERIC products are rounded to 9 digits at every step', () => {
  test('one product: 1.000000001 × 1.5 = 1.5000000015, half away from zero 1.500000002; the negative likewise', async () => {
    expect(await row("SELECT NUMERIC '1.000000001' * NUMERIC '1.5', NUMERIC '-1.000000001' * NUMERIC '1.5'")).toEqual({
      types: ['NUMERIC', 'NUMERIC'], values: ['1.500000002', '-1.500000002'],
    });
  });

  test('a product used again: (1e-9 × 0.4) rounds to 0 before × 2; (1e-9 × 0.5) rounds to 1e-9, × 2 is 2e-9', async () => {
    // exact arithmetic would give 0.0000000008 → 0.000000001 and 0.000000001 for the first two
    expect((await row("SELECT (NUMERIC '0.000000001' * NUMERIC '0.4') * NUMERIC '2', NUMERIC '0.000000001' * NUMERIC '0.4' * NUMERIC '2', NUMERIC '0.000000001' * NUMERIC '0.5' * NUMERIC '2'")).values)
      .toEqual(['0', '0', '0.000000002']);
  });

  test('comparisons and sums see the rounded product', async () => {
    // 1e-9 × 0.4 = 4e-10 → 0, so it equals 0 and 1 - it is 1; unary minus binds first: (-1e-9) × 0.5 → -1e-9
    expect((await row("SELECT NUMERIC '0.000000001' * NUMERIC '0.4' = 0, 1 - NUMERIC '0.000000001' * NUMERIC '0.4', -NUMERIC '0.000000001' * NUMERIC '0.5', NUMERIC '0.5' * -NUMERIC '0.000000001'")).values)
      .toEqual(['true', '1', '-0.000000001', '-0.000000001']);
    // a CASE expression is one operand: its 1e-9 × 0.4 rounds to 0 too, on either side
    expect((await row("SELECT CASE WHEN true THEN NUMERIC '0.000000001' END * NUMERIC '0.4' = 0, NUMERIC '0.4' * CASE WHEN true THEN NUMERIC '0.000000001' END = 0")).values).toEqual(['true', 'true']);
    // each row's 1e-9 × 0.5 is 1e-9 (rounded), so two rows sum to 2e-9 (unrounded: 1e-9)
    expect((await row("SELECT SUM(x * y) FROM UNNEST([STRUCT(NUMERIC '0.000000001' AS x, NUMERIC '0.5' AS y), (NUMERIC '0.000000001', NUMERIC '0.5')])")).values).toEqual(['0.000000002']);
  });

  test('wide products keep every digit: 12345678901234.5² and (1e14 - 1e-9) × (1e15 - 0.1)', async () => {
    // 12345678901234.5² = 152415787532386691205623990.25
    // (1e14 - 1e-9)(1e15 - 0.1) = 1e29 - 1e13 - 1e6 + 1e-10 = 99999999999999989999999000000.0000000001 → 9 digits
    expect((await row("SELECT NUMERIC '12345678901234.5' * NUMERIC '12345678901234.5', NUMERIC '-99999999999999.999999999' * NUMERIC '999999999999999.9', NUMERIC '12345678901234567890' * NUMERIC '2'")).values)
      .toEqual(['152415787532386691205623990.25', '-99999999999999989999999000000', '24691357802469135780']);
  });

  test('a product beyond NUMERIC fails with BigQuery\'s message', async () => {
    await expect(engine().query("SELECT NUMERIC '99999999999999999999' * NUMERIC '9999999999'", opts)).rejects.toThrow('numeric overflow: 99999999999999999999 * 9999999999');
    // 5e28 × 2 = 1e29 is one past the largest NUMERIC (10^29 - 1e-9)
    await expect(engine().query("SELECT NUMERIC '50000000000000000000000000000' * NUMERIC '2'", opts)).rejects.toThrow('numeric overflow: 50000000000000000000000000000 * 2');
  });

  test('other operand types keep their types: INT64 × INT64, NUMERIC × INT64, FLOAT64, INTERVAL', async () => {
    expect(await row("SELECT 3 * 4, NUMERIC '1.5' * 2, 2 * NUMERIC '1.5', NUMERIC '1.5' * 2.5, 2 + 3 * 4, 10 - 2 * 3 * 1, INTERVAL 1 DAY * 3")).toEqual({
      types: ['INTEGER', 'NUMERIC', 'NUMERIC', 'FLOAT', 'INTEGER', 'INTEGER', 'INTERVAL'],
      values: ['12', '3', '3', '3.75', '14', '4', '0-0 3 0:0:0'],
    });
    expect((await row('SELECT * REPLACE (x * 2 AS x), COUNT(*) FROM (SELECT 3 AS x, 4 AS y) GROUP BY x, y')).values).toEqual(['6', '4', '1']);
  });

  test('what the engine cannot round is refused loudly: BIGNUMERIC products, NUMERIC aggregates multiplied together', async () => {
    await expect(engine().query("SELECT BIGNUMERIC '1.5' * BIGNUMERIC '1.5'", opts)).rejects.toThrow(/Multiplication of BIGNUMERIC values is not supported by the embedded BigQuery/);
    await expect(engine().query("SELECT SUM(x) * SUM(x) FROM UNNEST([NUMERIC '1.5']) AS x", opts)).rejects.toThrow(/not supported by the embedded BigQuery/);
    // an aggregate times an INT64 stays DuckDB's (exact) product
    expect((await row("SELECT SUM(x) * 2 FROM UNNEST([NUMERIC '1.25']) AS x")).values).toEqual(['2.5']);
  });
});
