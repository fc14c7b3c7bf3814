/**
 * JSON_STRIP_NULLS with a JSONPath, include_arrays and remove_empty, and JSON_KEYS with max_depth and mode
 * (json_functions#json_strip_nulls, #json_keys): every example of the JSON_STRIP_NULLS page; a path reaches
 * one subtree, a path that does not exist changes nothing, a subtree left empty becomes null (ZetaSQL's
 * StripNullsImpl); JSON_KEYS in strict, lax and lax recursive modes worked by hand from ZetaSQL's
 * JsonKeysTreeWalker (arrays cost no depth; strict does not look into them), with its two error texts.
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();

const values = async (sql: string): Promise<unknown[]> => (await engine().query(sql, opts)).rows[0]!.f.map((c) => c.v);
const failure = async (sql: string): Promise<string> => engine().query(sql, opts).then(() => 'answered', (e: Error) => e.message);
const list = (v: unknown): unknown => (v as { v: unknown }[]).map((x) => x.v);

describe('JSON_STRIP_NULLS', () => {
  test('the page’s examples', async () => {
    expect(await values(`SELECT JSON_STRIP_NULLS(JSON '{"a": null, "b": "c"}'), JSON_STRIP_NULLS(JSON '[1, null, 2, null]'), JSON_STRIP_NULLS(JSON '[1, null, 2, null]', include_arrays=>FALSE),
      JSON_STRIP_NULLS(JSON '[1, null, 2, null, [null]]'), JSON_STRIP_NULLS(JSON '[1, null, 2, null, [null]]', remove_empty=>TRUE), JSON_STRIP_NULLS(JSON '{"a": null}', remove_empty=>TRUE),
      JSON_STRIP_NULLS(JSON '{"a": [null]}', remove_empty=>TRUE), JSON_STRIP_NULLS(JSON 'null')`))
      .toEqual(['{"b":"c"}', '[1,2]', '[1,null,2,null]', '[1,2,[]]', '[1,2]', 'null', 'null', 'null']);
    expect(await values(`SELECT JSON_STRIP_NULLS(JSON '{"a": {"b": {"c": null}}, "d": [null], "e": [], "f": 1}', include_arrays=>FALSE, remove_empty=>TRUE),
      JSON_STRIP_NULLS(JSON '{"a": {"b": {"c": null}}, "d": [null], "e": [], "f": 1}', remove_empty=>TRUE)`))
      .toEqual(['{"d":[null],"e":[],"f":1}', '{"f":1}']);
  });

  test('a path: only that subtree; a missing path or a NULL argument gives the JSON back', async () => {
    expect(await values(`SELECT JSON_STRIP_NULLS(JSON '{"a": [null, [], {}], "b": {}, "c": null}', '$.a', include_arrays=>TRUE, remove_empty=>FALSE),
      JSON_STRIP_NULLS(JSON '{"a": {"b": null}, "c": null}', '$.a', remove_empty=>TRUE), JSON_STRIP_NULLS(JSON '{"a": null}', '$.x'),
      JSON_STRIP_NULLS(JSON '{"a": null}', CAST(NULL AS STRING)), JSON_STRIP_NULLS(JSON '{"a": null}', remove_empty=>CAST(NULL AS BOOL)), JSON_STRIP_NULLS(CAST(NULL AS JSON))`))
      .toEqual(['{"a":[[],{}],"b":{},"c":null}', '{"a":null,"c":null}', '{"a":null}', '{"a":null}', '{"a":null}', null]);
  });
});

describe('JSON_KEYS', () => {
  test('strict (the default) stops at arrays; lax reads objects in arrays; lax recursive nested arrays too', async () => {
    const got = await values(`SELECT JSON_KEYS(JSON '[{"a":{"b":1}}]', 1, mode => 'Strict'), JSON_KEYS(JSON '[{"a":{"b":1}}]', 1, mode => 'LAX'),
      JSON_KEYS(JSON '[[{"a":{"b":1}}]]', mode => 'lax'), JSON_KEYS(JSON '[[{"a":{"b":1}}]]', mode => 'lax recursive'),
      JSON_KEYS(JSON '{"a":[{"b":1}], "c":{"d":{"e":1}}}'), JSON_KEYS(JSON '{"a":[{"b":1}], "c":{"d":{"e":1}}}', 2, mode => 'lax'), JSON_KEYS(JSON '{"a":{"b":1}}', NULL)`);
    expect(got.map(list)).toEqual([[], ['a'], [], ['a', 'a.b'], ['a', 'c', 'c.d', 'c.d.e'], ['a', 'a.b', 'c', 'c.d'], ['a', 'a.b']]);
  });

  test('errors: a depth below 1, an unknown mode', async () => {
    expect(await failure(`SELECT JSON_KEYS(JSON '{"a":1}', 0)`)).toMatch(/max_depth must be positive\./);
    expect(await failure(`SELECT JSON_KEYS(JSON '{"a":1}', 1, mode => 'loose')`)).toMatch(/Invalid JSON mode specified/);
  });
});
