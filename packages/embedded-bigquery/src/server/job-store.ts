/**
 * Job records kept beside the data (`<data dir>/jobs.jsonl`), so a client that polls a job after
 * the server restarted reads its real outcome instead of `Not found: Job`. One JSON line per
 * change (inserted, done, deleted); the last line of a job wins. A job that was not DONE when the
 * server died comes back DONE with a `backendError` (which clients and Landform's loader retry).
 * The file is compacted at start (to the newest `retained` jobs) and whenever it holds mostly
 * superseded lines, so it stays about the size of the records it holds. Without a data directory
 * (`:memory:`) nothing is kept, as nothing else is.
 */
import { appendFile, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { restartedError } from './job-limits.js';
import type { JobResource, QueryOutput } from './job-types.js';

export const JOBS_FILE = 'jobs.jsonl';
/** Finished query results small enough to keep with the record (DML/DDL answers, short SELECTs). */
const MAX_KEPT_OUTPUT_CHARS = 64 * 1024;

export interface StoredJob {
  resource: JobResource;
  output?: QueryOutput;
}

interface Line {
  key: string;
  job?: StoredJob;
  deleted?: true;
}

export interface JobStore {
  /** Saves the job's current record; resolves once it is written. */
  save(key: string, job: StoredJob): Promise<void>;
  /** jobs.delete: the job is gone, after a restart too. */
  remove(key: string): Promise<void>;
  /** The job is no longer kept in memory: the next compaction drops its record as well. */
  forget(key: string): void;
}

/** A store that keeps nothing (in-memory servers). */
export const NO_JOB_STORE: JobStore = { save: async () => undefined, remove: async () => undefined, forget: () => undefined };

/** Superseded lines tolerated before the file is rewritten: this many plus twice the live records. */
const COMPACT_SLACK_LINES = 1000;

function keptOutput(output: QueryOutput | undefined): QueryOutput | undefined {
  if (!output) return undefined;
  if (output.kind === 'table') return output;
  return JSON.stringify(output).length <= MAX_KEPT_OUTPUT_CHARS ? output : undefined;
}

/** Appends records to `<dir>/jobs.jsonl`, one write at a time, in order. */
export class FileJobStore implements JobStore {
  private tail: Promise<void> = Promise.resolve();
  /** The current line of every job the file should hold. */
  private readonly live = new Map<string, string>();
  private lines: number;

  private constructor(
    private readonly path: string,
    kept: [string, string][],
  ) {
    for (const [key, text] of kept) this.live.set(key, text);
    this.lines = kept.length;
  }

  /**
   * Reads the records left by earlier runs (jobs that were not DONE marked as failed by the
   * restart), rewrites the file with the newest `retained` of them, and opens it for appending.
   */
  static async open(dir: string, retained: number): Promise<{ store: FileJobStore; jobs: Map<string, StoredJob> }> {
    const path = join(dir, JOBS_FILE);
    const jobs = new Map<string, StoredJob>();
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    for (const raw of text.split('\n')) {
      if (raw.trim() === '') continue;
      let line: Line;
      try {
        line = JSON.parse(raw) as Line;
      } catch {
        // A line cut short by a kill mid-write: the job's earlier line (if any) stands.
        continue;
      }
      jobs.delete(line.key); // re-inserted below, so Map order is last-change order
      if (line.job) jobs.set(line.key, line.job);
    }
    for (const job of jobs.values()) {
      const { status } = job.resource;
      if (status.state === 'DONE') continue;
      const { reason, message } = restartedError(status.state);
      job.resource.status = { state: 'DONE', errorResult: { reason, message }, errors: [{ reason, message }] };
      job.resource.statistics.endTime ??= String(Date.now());
    }
    const kept = [...jobs.entries()].sort((a, b) => Number(a[1].resource.statistics.creationTime) - Number(b[1].resource.statistics.creationTime)).slice(-retained);
    const store = new FileJobStore(path, kept.map(([key, job]) => [key, JSON.stringify({ key, job } satisfies Line)]));
    await store.rewrite();
    return { store, jobs: new Map(kept) };
  }

  save(key: string, job: StoredJob): Promise<void> {
    const output = keptOutput(job.output);
    const text = JSON.stringify({ key, job: { resource: job.resource, ...(output ? { output } : {}) } } satisfies Line);
    this.live.set(key, text);
    return this.append(text);
  }

  remove(key: string): Promise<void> {
    this.live.delete(key);
    return this.append(JSON.stringify({ key, deleted: true } satisfies Line));
  }

  forget(key: string): void {
    this.live.delete(key);
  }

  private append(text: string): Promise<void> {
    const next = this.tail.then(async () => {
      await appendFile(this.path, `${text}\n`);
      this.lines += 1;
      if (this.lines > 2 * this.live.size + COMPACT_SLACK_LINES) await this.rewrite();
    });
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Replaces the file with the live lines (write, then rename: a kill leaves the old file or the new one). */
  private async rewrite(): Promise<void> {
    const text = [...this.live.values()].map((line) => `${line}\n`).join('');
    await writeFile(`${this.path}.tmp`, text);
    await rename(`${this.path}.tmp`, this.path);
    this.lines = this.live.size;
  }
}
