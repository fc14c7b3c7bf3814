/**
 * ALTER PROJECT ... SET OPTIONS: accepted when no option changes an answer the embedded BigQuery
 * gives (HTTP Archive's Dataform project sets such options), loud for any other option or value.
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
  dir = mkdtempSync(path.join(tmpdir(), 'engine-alter-project-'));
  engine = await createEngine({ dataPath: dir });
});
afterAll(async () => {
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('options that change no answer, and answer-changing ones at the engine’s own value, are accepted', async () => {
  const r = await engine.query(`ALTER PROJECT httparchive SET OPTIONS (
    \`region-US.default_sql_dialect_option\` = 'only_google_sql',
    \`region-US.default_query_optimizer_options\` = 'adaptive=on',
    \`region-US.query_runtime\` = 'advanced',
    \`region-US.enable_reservation_based_fairness\` = 'true',
    \`region-US.preflight_fluid_autoscaling_reservations\` = ['pipeline', 'interactive'],
    \`region-us.default_time_zone\` = 'UTC'
  )`, opts);
  expect(r.statementType).toBe('ALTER_PROJECT');
  await engine.query("ALTER PROJECT p SET OPTIONS (`region-us.default_time_zone` = NULL)", opts);
});

test('a time zone other than UTC, and an option the engine does not know, fail loudly', async () => {
  await expect(engine.query("ALTER PROJECT p SET OPTIONS (`region-us.default_time_zone` = 'America/New_York')", opts)).rejects.toMatchObject({
    message: expect.stringMatching(/default_time_zone = 'America\/New_York'.*not supported by the embedded BigQuery/),
  });
  await expect(engine.query("ALTER PROJECT p SET OPTIONS (`region-us.default_column_name_character_map` = 'V2')", opts)).rejects.toMatchObject({
    message: 'ALTER PROJECT option default_column_name_character_map is not supported by the embedded BigQuery',
  });
});
