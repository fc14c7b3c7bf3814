/**
 * Backfill at scale: `--from/--to` split into bounded cursor ranges that each commit. A loader killed
 * (SIGKILL) after the third range committed, and re-run, resumes at the fourth: nothing committed is
 * redone (no duplicate read, one succeeded batch per range), nothing is lost (raw equals the
 * source). A finished backfill run again is a new pass, which picks up a row committed late into a
 * range; killed before its second range publishes, that pass too resumes where it stopped. Expected
 * ranges and keys are written by hand or computed in Postgres, not by the loader.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { runLoad, type BatchResult } from '../../loader/index.js';
import { backfillRanges, resumeIndex } from '../../loader/backfill/batches.js';
import { bqRows, rawTelemetryKeys, sourceTelemetryKeys, startLoaderEnv, type LoaderEnv } from './support/loader-env.js';
import { loaderChildEnv, runLoaderChild } from './support/loader-child.js';
let env: LoaderEnv;

const FROM = '2026-03-01T00:00:00Z';
const TO = '2026-03-07T00:00:00Z';
const DAY = 86_400;

beforeAll(async () => {
  env = await startLoaderEnv();
  // 40 readings 36 minutes apart on March 1, 2, 3, 4 and 6 (none on the 5th), the first of each day
  // at midnight exactly, plus one a microsecond before March 2: rows on both sides of a boundary.
  await env.db.client.query(`
    insert into telemetry_readings
    select d * 100 + m, 'dev-' || m % 5, day + m * interval '36 minutes' - interval '1 minute', jsonb_build_object('battery_v', 12), day + m * interval '36 minutes'
    from generate_series(0, 4) as d, generate_series(0, 39) as m,
      lateral (select timestamptz '2026-03-01T00:00:00Z' + (case when d = 4 then 5 else d end) * interval '1 day' as day) as t;
    insert into telemetry_readings values (999, 'dev-9', '2026-03-01T23:00:00Z', '{"battery_v": 12}', '2026-03-01T23:59:59.999999Z');`);
});

afterAll(async () => {
  await env?.stop();
});

async function child(killAt: string): Promise<{ killed: boolean; results: BatchResult[] }> {
  return runLoaderChild('test/loader/crash-child.ts', loaderChildEnv(env, ['telemetry_readings'], { LANDFORM_TEST_KILL_AT: killAt, LANDFORM_TEST_BACKFILL: `${FROM},${TO},${DAY}` }), 120_000);
}

/** The same backfill in this process, as the same job as the killed child (it takes back the lease that run left). */
async function rerun(): Promise<BatchResult[]> {
  return runLoad(env.config({ tables: ['telemetry_readings'], owner: 'crash-child-job', stageFormat: 'jsonl', backfill: { from: FROM, to: TO }, backfillBatchSeconds: DAY }));
}

/** Succeeded backfill batches per range start (day of March), in range order. */
async function committedPerRange(): Promise<Array<{ day: number; batches: number; rows: number }>> {
  const rows = await bqRows<{ day: number; batches: number; rows: number }>(
    env.bigquery,
    `select extract(day from watermark_from) as day, count(*) as batches, sum(rows_loaded) as rows from landform_raw.export_batches
     where table_name = 'telemetry_readings' and status = 'succeeded' and watermark_to_key is null group by 1 order by 1`,
  );
  return rows.map((r) => ({ day: Number(r.day), batches: Number(r.batches), rows: Number(r.rows) }));
}

describe('backfill ranges', () => {
  test('cut at whole steps, inclusive at both ends, a microsecond apart, the last one ending at --to', () => {
    expect(backfillRanges('2026-03-01T00:00:00Z', '2026-03-03T12:00:00Z', DAY)).toEqual([
      { from: '2026-03-01T00:00:00.000000Z', to: '2026-03-01T23:59:59.999999Z' },
      { from: '2026-03-02T00:00:00.000000Z', to: '2026-03-02T23:59:59.999999Z' },
      { from: '2026-03-03T00:00:00.000000Z', to: '2026-03-03T12:00:00.000000Z' },
    ]);
    expect(backfillRanges('2026-03-01T00:00:00.5Z', '2026-03-01T00:00:00.5Z', DAY)).toEqual([{ from: '2026-03-01T00:00:00.500000Z', to: '2026-03-01T00:00:00.500000Z' }]);
  });

  test('a pass resumes at its first range not committed after its predecessor; a finished pass starts again', () => {
    const ranges = backfillRanges('2026-03-01T00:00:00Z', '2026-03-03T23:59:59.999999Z', DAY);
    const key = (day: number) => {
      const micros = BigInt(Date.parse(`2026-03-0${day}T00:00:00Z`)) * 1000n;
      return `${micros}..${micros + BigInt(DAY) * 1_000_000n - 1n}`;
    };
    expect(resumeIndex(ranges, new Map())).toBe(0);
    expect(resumeIndex(ranges, new Map([[key(1), 10n], [key(2), 20n]]))).toBe(2);
    expect(resumeIndex(ranges, new Map([[key(1), 10n], [key(2), 20n], [key(3), 30n]]))).toBe(0);
    // A new pass re-committed range 1 (at 40) after a finished one: range 2 (at 20) is the old pass's.
    expect(resumeIndex(ranges, new Map([[key(1), 40n], [key(2), 20n], [key(3), 30n]]))).toBe(1);
  });
});

describe('a backfill killed halfway, then re-run', () => {
  test('the re-run resumes after the three committed ranges, redoes none of them and loses nothing', async () => {
    const crashed = await child('afterPublish:3');
    expect(crashed.killed).toBe(true);
    expect(await committedPerRange()).toEqual([
      { day: 1, batches: 1, rows: 41 },
      { day: 2, batches: 1, rows: 40 },
      { day: 3, batches: 1, rows: 40 },
    ]);
    expect(await rawTelemetryKeys(env.bigquery)).toEqual(await sourceTelemetryKeys(env.db, `ingested_at < '2026-03-04T00:00:00Z'`));

    const resumed = await rerun();
    expect(resumed.map((r) => [r.table, r.status, r.rowsExtracted, r.rowsLoaded, r.rowsSkippedDuplicate])).toEqual([['telemetry_readings', 'succeeded', 80, 80, 0]]);
    expect(resumed[0]?.backfill).toEqual({ ranges: 7, alreadyCommitted: 3, batchIds: [expect.any(String), expect.any(String), expect.any(String), expect.any(String)] });
    // One batch per range, the empty 5th and 7th included (0 rows).
    expect(await committedPerRange()).toEqual([
      { day: 1, batches: 1, rows: 41 },
      { day: 2, batches: 1, rows: 40 },
      { day: 3, batches: 1, rows: 40 },
      { day: 4, batches: 1, rows: 40 },
      { day: 5, batches: 1, rows: 0 },
      { day: 6, batches: 1, rows: 40 },
      { day: 7, batches: 1, rows: 0 },
    ]);
    expect(await rawTelemetryKeys(env.bigquery)).toEqual(await sourceTelemetryKeys(env.db));
  }, 300_000);

  test('run again after it finished, it is a new pass that lands a row committed late into the first range; killed there, it resumes too', async () => {
    await env.db.client.query(`insert into telemetry_readings values (1001, 'dev-late', '2026-03-01T11:00:00Z', '{"battery_v": 12}', '2026-03-01T12:00:00.5Z')`);
    const crashed = await child('beforePublish:2');
    expect(crashed.killed).toBe(true);
    expect((await committedPerRange()).slice(0, 2)).toEqual([
      { day: 1, batches: 2, rows: 42 },
      { day: 2, batches: 1, rows: 40 },
    ]);

    const [resumed] = await rerun();
    expect(resumed?.backfill).toEqual(expect.objectContaining({ ranges: 7, alreadyCommitted: 1 }));
    expect([resumed?.status, resumed?.rowsLoaded]).toEqual(['succeeded', 0]);
    expect(await rawTelemetryKeys(env.bigquery)).toEqual(await sourceTelemetryKeys(env.db));
  }, 300_000);
});
