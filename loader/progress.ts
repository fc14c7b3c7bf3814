/** Progress bars on a TTY only; elsewhere (Cloud Run, CI, pipes) the JSON logs are the progress. */
import type { MultiBar, SingleBar } from 'cli-progress';

export interface TableProgress {
  update(rows: number): void;
  stop(): void;
}

export interface ProgressReporter {
  table(name: string): TableProgress;
  stop(): void;
}

const SILENT: ProgressReporter = { table: () => ({ update: () => undefined, stop: () => undefined }), stop: () => undefined };

export async function createProgress(enabled: boolean): Promise<ProgressReporter> {
  if (!enabled || !process.stderr.isTTY) return SILENT;
  const { MultiBar: Bars, Presets } = await import('cli-progress');
  const bars: MultiBar = new Bars(
    { stream: process.stderr, format: ' {table} | {value} rows | {rate} rows/s', hideCursor: true, clearOnComplete: false, noTTYOutput: false },
    Presets.shades_classic,
  );
  return {
    table(name: string): TableProgress {
      const started = Date.now();
      const bar: SingleBar = bars.create(0, 0, { table: name.padEnd(22), rate: 0 });
      return {
        update(rows: number) {
          const seconds = Math.max((Date.now() - started) / 1000, 0.001);
          bar.update(rows, { table: name.padEnd(22), rate: Math.round(rows / seconds) });
        },
        stop() {
          bar.stop();
        },
      };
    },
    stop() {
      bars.stop();
    },
  };
}
