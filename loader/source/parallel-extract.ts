/**
 * One table's window read by N Postgres connections at once, all in ONE snapshot: the leader opens
 * the REPEATABLE READ snapshot and exports it (`pg_export_snapshot()`); each worker imports it
 * (`SET TRANSACTION SNAPSHOT`) and COPYs a disjoint range of heap blocks (`ctid` ranges, a TID range
 * scan on Postgres 14+). Together they read exactly the rows one connection would: every row
 * version visible to the snapshot lies in exactly one block range, the last range is open-ended.
 * Output goes to the same sinks as a single read (parts interleave whole rows); the leader reads
 * the last row (the watermark) in the same snapshot once the workers are done, then ends it.
 */
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { BinaryCopyDecoder } from './binary-copy-decoder.js';
import { CopyRowSplitter, type SplitterCounts } from './copy-row-splitter.js';
import { CsvRowFramer } from './csv-row-framer.js';
import { quarantineHeldRows } from './held-rows.js';
import { copyOut } from './copy-out.js';
import { beginSnapshot, type ExtractionPlan, type ExtractResult, type RowSinks } from './extract.js';
import type { Watermark } from './window.js';

/** Block ranges [lo, hi) covering `blocks` heap blocks in `workers` pieces; the last is open-ended (hi null). */
export function blockRanges(blocks: number, workers: number): { lo: number; hi: number | null }[] {
  const n = Math.max(1, Math.min(workers, Math.max(1, blocks)));
  const size = Math.ceil(Math.max(1, blocks) / n);
  return Array.from({ length: n }, (_, i) => ({ lo: i * size, hi: i === n - 1 ? null : (i + 1) * size }));
}

/** Pipes one worker's COPY (through its own splitter, if any) into `target`, which stays open for the others. */
async function drainInto(target: Writable, copy: NodeJS.ReadableStream, splitter?: NodeJS.ReadWriteStream): Promise<void> {
  const into = async (source: AsyncIterable<unknown>) => {
    for await (const chunk of source) if (!target.write(chunk)) await once(target, 'drain');
  };
  await (splitter ? pipeline(copy, splitter, into) : pipeline(copy, into));
}

export async function extractParallel(leader: pg.Client, openWorker: () => Promise<pg.Client>, plan: ExtractionPlan, workers: number, sinks: RowSinks): Promise<ExtractResult> {
  const { snapshotAt, database } = await beginSnapshot(leader, plan.settings);
  const clients: pg.Client[] = [];
  try {
    const exported = await leader.query<{ id: string; blocks: string }>(
      `select pg_export_snapshot() as id, (pg_relation_size($1::regclass) / current_setting('block_size')::int)::text as blocks`,
      [plan.relation],
    );
    const id = exported.rows[0]?.id ?? '';
    const ranges = blockRanges(Number(exported.rows[0]?.blocks ?? 0), workers);
    const counts: SplitterCounts[] = ranges.map(() => ({ rows: 0, rejected: 0 }));
    const held: string[][] = [];
    const total = (): SplitterCounts => counts.reduce((a, c) => ({ rows: a.rows + c.rows, rejected: a.rejected + c.rejected }), { rows: 0, rejected: 0 });
    const progress = sinks.onProgress ? () => sinks.onProgress?.(total()) : undefined;
    await Promise.all(
      ranges.map(async (range, i) => {
        const client = await openWorker();
        clients.push(client);
        for (const sql of plan.sessionSql) await client.query(sql);
        // workers run only their COPY: its planner settings hold for the whole transaction
        await beginSnapshot(client, { ...plan.settings, ...plan.scanSettings }, id);
        const sql = plan.rangeCopySql(range.lo, range.hi);
        if (plan.format === 'parquet') {
          if (!sinks.batches) throw new Error('a Parquet extraction needs a batch sink');
          const decoder = new BinaryCopyDecoder(plan.columns, sinks.batches.limits, sinks.batches.onBatch, sinks.onReject, progress);
          counts[i] = decoder.counts;
          await pipeline(client.query(copyTo(sql)), decoder);
        } else if (plan.format === 'csv') {
          if (!sinks.rows) throw new Error('a CSV extraction needs a row sink');
          const framer = new CsvRowFramer(sinks.onReject, progress, plan.metricsCheck?.framed);
          counts[i] = framer.counts;
          await drainInto(sinks.rows, client.query(copyOut(sql, framer, sinks.chunkBytes)));
          held.push(...framer.held);
        } else {
          if (!sinks.rows) throw new Error('an NDJSON extraction needs a row sink');
          const splitter = new CopyRowSplitter(sinks.onReject, progress);
          counts[i] = splitter.counts;
          await drainInto(sinks.rows, client.query(copyTo(sql)), splitter);
        }
        await client.query('commit');
      }),
    );
    if (sinks.rows) {
      sinks.rows.end();
      await once(sinks.rows, 'finish');
    }
    // Read back on the leader, in the same snapshot, with the plan's own settings (not the workers' scan settings).
    const heldRejected = plan.metricsCheck && held.length > 0 ? await quarantineHeldRows(leader, plan.metricsCheck.lookup, held, sinks.onReject) : 0;
    const { rows, rejected: framed } = total();
    const rejected = framed + heldRejected;
    let last: Watermark | null = null;
    if (plan.lastRowSql && rows + rejected > 0) {
      const result = await leader.query<{ cursor: string; key: string }>(plan.lastRowSql);
      const row = result.rows[0];
      if (row) last = { cursor: row.cursor, key: JSON.parse(row.key) as Record<string, string> };
    }
    await leader.query('commit');
    return { rows, rejected, last, snapshotAt, database };
  } catch (error) {
    // A worker's COPY may still be running: its connection is ended by the caller's cleanup below,
    // and the leader's too (the caller ends it), which releases the snapshot.
    throw Object.assign(error as Error, { connectionUnusable: true });
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  }
}
