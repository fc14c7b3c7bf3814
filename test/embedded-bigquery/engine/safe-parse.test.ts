/**
 * SAFE.PARSE_TIMESTAMP (functions-reference#safe_prefix: the function's own errors become NULL) over
 * column values, not only literals: a string the format does not match is NULL, the others parse.
 * (DFE-Digital's dfe-analytics-dataform tries several formats in COALESCE(SAFE.PARSE_TIMESTAMP(...), ...).)
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEngine } from '../../../packages/embedded-bigquery/src/engine/index.js';
import type { Engine, QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'landform-local' };
let engine: Engine;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'engine-safe-parse-'));
  engine = await createEngine({ dataPath: dir });
});
afterAll(async () => {
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('SAFE.PARSE_TIMESTAMP gives NULL for each value the format does not match, and parses the rest', async () => {
  const r = await engine.query(
    `SELECT UNIX_SECONDS(COALESCE(SAFE.PARSE_TIMESTAMP('%FT%T%Ez', TRIM(x, '"')), SAFE.PARSE_TIMESTAMP('%Y-%m-%d', x))) AS s
     FROM UNNEST(['"2024-05-01T09:05:00+01:00"', 'not a time', '2024-05-01']) AS x WITH OFFSET AS o ORDER BY o`,
    opts,
  );
  // 2024-05-01T00:00:00Z is 1714521600; 09:05 at +01:00 is 08:05Z, 29100 seconds later
  expect(r.rows?.map((row) => row.f[0]?.v)).toEqual(['1714550700', null, '1714521600']);
});
