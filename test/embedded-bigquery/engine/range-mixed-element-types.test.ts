/**
 * RANGEs compare and combine only with RANGEs of the same element type (data-types#range_type): a
 * comparison or IN of RANGE<DATE> with RANGE<DATETIME> fails with BigQuery's "No matching signature",
 * and a UNION ALL of them with "Column 1 in UNION ALL has incompatible types: RANGE<DATE>, RANGE<DATETIME>".
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();

const values = async (sql: string): Promise<unknown[]> => (await engine().query(sql, opts)).rows[0]!.f.map((c) => c.v);
const failure = async (sql: string): Promise<string> => engine().query(sql, opts).then(() => 'answered', (e: Error) => e.message);

const [D, DT] = ["RANGE<DATE> '[2020-01-01, 2020-02-01)'", "RANGE<DATETIME> '[2020-01-01, 2020-02-01)'"];

describe('RANGEs of different element types', () => {
  test('= and < fail with No matching signature', async () => {
    expect(await failure(`SELECT a = b FROM (SELECT ${D} AS a, ${DT} AS b)`)).toMatch(/^No matching signature for operator = for argument types: RANGE<DATE>, RANGE<DATETIME>/);
    expect(await failure(`SELECT a < b FROM (SELECT ${D} AS a, ${DT} AS b)`)).toMatch(/^No matching signature for operator < for argument types: RANGE<DATE>, RANGE<DATETIME>/);
    expect(await failure(`SELECT a IN (b) FROM (SELECT ${D} AS a, ${DT} AS b)`)).toMatch(/^No matching signature for operator IN for argument types: RANGE<DATE>, RANGE<DATETIME>/);
  });

  test('UNION ALL fails with incompatible types', async () => {
    expect(await failure(`SELECT ${D} UNION ALL SELECT ${DT}`)).toMatch(/^Column 1 in UNION ALL has incompatible types: RANGE<DATE>, RANGE<DATETIME>/);
  });

  test('RANGEs of one element type still compare (lower bounds first)', async () => {
    expect(await values(`SELECT a = a, a < RANGE<DATE> '[2021-01-01, UNBOUNDED)', b = b FROM (SELECT ${D} AS a, ${DT} AS b)`)).toEqual(['true', 'true', 'true']);
  });
});
