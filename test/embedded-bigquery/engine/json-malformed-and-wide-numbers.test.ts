/**
 * JSON_VALUE of a JSON-formatted STRING that is not valid JSON, and PARSE_JSON's wide_number_mode
 * (json_functions#json_value, #parse_json). ZetaSQL reads such a STRING as a stream and stops at the
 * path's first match (functions/json_internal.h): text after the match is never read, malformed text
 * before it gives NULL. PARSE_JSON keeps INT64/UINT64 integers, reads other numbers as FLOAT64 and,
 * in 'exact' mode (the default), refuses one whose FLOAT64 is another number (json_value.cc,
 * CheckNumberRoundtrip). Expected values by hand from those rules.
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();
const values = async (sql: string): Promise<unknown[]> => (await engine().query(sql, opts)).rows[0]!.f.map((c) => c.v);
const failure = async (sql: string): Promise<string> => engine().query(sql, opts).then(() => 'answered', (e: Error) => e.message);

describe('JSON_VALUE of text that is not valid JSON', () => {
  test("the page's example: an unclosed object still gives the member read before the end", async () => {
    expect(await values('SELECT JSON_VALUE(\'{"hello": "world"\', "$.hello") AS hello')).toEqual(['world']);
  });

  test('a match before the malformed part is found; a path past it, or text that is no JSON, gives NULL', async () => {
    const sql = `SELECT JSON_VALUE('{"a": 1, "b": [1, 2', '$.a'), JSON_VALUE('{"b": [1, 2', '$.a'), JSON_VALUE('not json', '$'),
      JSON_VALUE('{"a": {"b": "x"}, oops', '$.a.b'), JSON_VALUE('[10, 20, {', '$[1]'), JSON_VALUE('{"a": "x", ', "$['a']"), JSON_VALUE('{"a": {"c": 1}, ', '$.a')`;
    // an object at the path is NULL for JSON_VALUE
    expect(await values(sql)).toEqual(['1', null, null, 'x', '20', 'x', null]);
  });

  test('per row, with valid rows unchanged; JSON_EXTRACT_SCALAR reads the same way', async () => {
    const rows = (await engine().query(`SELECT JSON_VALUE(s, '$.k') FROM UNNEST(['{"k": "v"}', '{"k": "w", bad', 'junk', NULL]) AS s WITH OFFSET o ORDER BY o`, opts)).rows.map((r) => r.f[0]!.v);
    expect(rows).toEqual(['v', 'w', null, null]);
    expect(await values(`SELECT JSON_EXTRACT_SCALAR('{"a": "q"', '$.a'), JSON_VALUE(JSON '{"a": 2}', '$.a')`)).toEqual(['q', '2']);
  });
});

describe("PARSE_JSON's wide_number_mode", () => {
  const wide = '\'{"id": 922337203685477580701}\'';

  test("'exact', the default, refuses a number FLOAT64 cannot hold", async () => {
    const message = 'Input number: 922337203685477580701 cannot round-trip through string representation';
    expect(await failure(`SELECT PARSE_JSON(${wide})`)).toBe(message);
    expect(await failure(`SELECT PARSE_JSON(${wide}, wide_number_mode => 'exact')`)).toBe(message);
    // below INT64's minimum is no integer either
    expect(await failure("SELECT PARSE_JSON('-9223372036854775809')")).toBe('Input number: -9223372036854775809 cannot round-trip through string representation');
  });

  test("'exact' keeps INT64 and UINT64 integers and numbers whose FLOAT64 is the same number", async () => {
    const sql = 'SELECT TO_JSON_STRING(PARSE_JSON(\'{"a": 18446744073709551615, "b": -9223372036854775808, "d": 0.1}\', wide_number_mode => \'exact\'))';
    expect(await values(sql)).toEqual(['{"a":18446744073709551615,"b":-9223372036854775808,"d":0.1}']);
  });

  test("'round' keeps the nearest FLOAT64 (9.223372036854776e+20, the page's example 2)", async () => {
    // FLOAT64s between 2^69 and 2^70 are 2^17 = 131072 apart; 922337203685477580800 = 7036874417766400 · 131072 is 99 above the input, the nearest
    expect(await values(`SELECT FLOAT64(PARSE_JSON(${wide}, wide_number_mode => 'round').id) = 922337203685477580800.0`)).toEqual(['true']);
  });

  test('another mode is refused', async () => {
    expect(await failure(`SELECT PARSE_JSON('1', wide_number_mode => 'nope')`)).toMatch(/wide_number_mode/);
  });
});
