/**
 * A RANGE window frame over an INT64 key whose bound key ± offset lies beyond INT64 (window-function-calls#def_window_frame):
 * ZetaSQL takes such a bound as reaching past every key, where DuckDB's INT64 arithmetic failed with
 * "int64 overflow". The key is widened for the frame only (the ORDER BY order is the same). Expected
 * counts by hand: keys 1, 1, 2, 5, int64_max and int64_max with NULLs apart.
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();

const MAX = '9223372036854775807';
const KEYS = `(SELECT k FROM UNNEST([1, 1, 2, 5, ${MAX}, ${MAX}]) AS k)`;
const counts = async (frame: string, dir = 'ASC'): Promise<unknown[][]> =>
  (await engine().query(`SELECT k, COUNT(*) OVER (ORDER BY k ${dir} RANGE BETWEEN ${frame}) AS n FROM ${KEYS} ORDER BY k, n`, opts)).rows.map((r) => r.f.map((c) => c.v));

describe('RANGE frames whose INT64 bound leaves the INT64 range', () => {
  test('int64_max PRECEDING AND 2 PRECEDING: every key at least 2 below', async () => {
    // 1: none; 2: none (1 is only 1 below); 5: 1, 1, 2; int64_max: 1, 1, 2, 5
    expect(await counts(`${MAX} PRECEDING AND 2 PRECEDING`)).toEqual([['1', '0'], ['1', '0'], ['2', '0'], ['5', '3'], [MAX, '4'], [MAX, '4']]);
  });

  test('1 FOLLOWING AND int64_max FOLLOWING, ascending and descending', async () => {
    // ascending: keys at least 1 above; int64_max + 1 is past every key
    expect(await counts(`1 FOLLOWING AND ${MAX} FOLLOWING`)).toEqual([['1', '4'], ['1', '4'], ['2', '3'], ['5', '2'], [MAX, '0'], [MAX, '0']]);
    // descending: FOLLOWING is toward smaller keys, at least 1 below
    expect(await counts(`1 FOLLOWING AND ${MAX} FOLLOWING`, 'DESC')).toEqual([['1', '0'], ['1', '0'], ['2', '2'], ['5', '3'], [MAX, '4'], [MAX, '4']]);
  });

  test('CURRENT ROW AND int64_max FOLLOWING, and UNBOUNDED PRECEDING AND int64_max PRECEDING', async () => {
    expect(await counts(`CURRENT ROW AND ${MAX} FOLLOWING`)).toEqual([['1', '6'], ['1', '6'], ['2', '4'], ['5', '3'], [MAX, '2'], [MAX, '2']]);
    // keys at most k - int64_max: for int64_max that is 0, below every key; for the others far below
    expect(await counts(`UNBOUNDED PRECEDING AND ${MAX} PRECEDING`)).toEqual([['1', '0'], ['1', '0'], ['2', '0'], ['5', '0'], [MAX, '0'], [MAX, '0']]);
  });
});
