/**
 * Export runs started over HTTP: one loader run at a time (`runLoad`, as `landform load` runs it),
 * answered at once with a run id; the run record keeps status, batches, rows and load job ids. The
 * log line of each finished run carries the run id, the job ids and the rows exported.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../common/logger.js';
import type { BatchResult } from '../loader/index.js';
import { ProblemError } from './problem.js';

/** Lands the named tables (all when undefined). */
export type LoadRunner = (tables: string[] | undefined) => Promise<BatchResult[]>;

export interface ExportBatch {
  table: string;
  batch_id: string;
  status: BatchResult['status'];
  rows_loaded: number;
  rows_quarantined: number;
  load_job_id: string | null;
  error: string | null;
}

export interface ExportRun {
  run_id: string;
  status: 'running' | 'succeeded' | 'failed';
  tables: string[] | null;
  started_at: string;
  finished_at: string | null;
  rows_exported: number;
  batches: ExportBatch[];
  error: string | null;
}

const batchOf = (r: BatchResult): ExportBatch => ({
  table: r.table,
  batch_id: r.batchId,
  status: r.status,
  rows_loaded: r.rowsLoaded,
  rows_quarantined: r.rowsQuarantined,
  load_job_id: r.loadJobId ?? null,
  error: r.error ?? null,
});

export class ExportRuns {
  private readonly runs = new Map<string, ExportRun>();
  private current: Promise<void> | null = null;

  constructor(
    private readonly runner: LoadRunner,
    private readonly logger: Logger,
    /** Error text passes through this before it is stored (it may hold a database URL). */
    private readonly redact: (text: string) => string = (t) => t,
    private readonly keep = 50,
  ) {}

  /** Starts a run and returns its record; 409 while another one runs. */
  start(tables: string[] | undefined, principalId: string): ExportRun {
    const running = [...this.runs.values()].find((r) => r.status === 'running');
    if (running) throw new ProblemError(409, `export run ${running.run_id} is still running; poll it and start the next one when it has finished`);
    const run: ExportRun = {
      run_id: randomUUID(), status: 'running', tables: tables ?? null, started_at: new Date().toISOString(),
      finished_at: null, rows_exported: 0, batches: [], error: null,
    };
    this.runs.set(run.run_id, run);
    this.trim();
    this.logger.info({ runId: run.run_id, principal: principalId, tables: run.tables }, 'export run started');
    this.current = this.execute(run, tables);
    return { ...run };
  }

  get(runId: string): ExportRun | undefined {
    const run = this.runs.get(runId);
    return run ? { ...run, batches: [...run.batches] } : undefined;
  }

  /** Resolves when the running export (if any) has finished: graceful shutdown waits for it. */
  async idle(): Promise<void> {
    await this.current;
  }

  private async execute(run: ExportRun, tables: string[] | undefined): Promise<void> {
    try {
      const results = await this.runner(tables);
      run.batches = results.map(batchOf);
      run.rows_exported = results.reduce((n, r) => n + r.rowsLoaded, 0);
      const failed = results.filter((r) => r.status === 'failed');
      run.status = failed.length === 0 ? 'succeeded' : 'failed';
      if (failed.length > 0) run.error = this.redact(`batches failed: ${failed.map((r) => r.table).join(', ')}`);
    } catch (error) {
      run.status = 'failed';
      run.error = this.redact(error instanceof Error ? error.message : String(error));
    } finally {
      run.finished_at = new Date().toISOString();
      const jobIds = run.batches.map((b) => b.load_job_id).filter((id) => id !== null);
      this.logger.info({ runId: run.run_id, status: run.status, rowsExported: run.rows_exported, jobIds, error: run.error }, 'export run finished');
    }
  }

  private trim(): void {
    for (const [id, run] of this.runs) {
      if (this.runs.size <= this.keep) break;
      if (run.status !== 'running') this.runs.delete(id);
    }
  }
}
