import type { Logger } from '../common/logger.js';

/**
 * Step-by-step progress. Calling it starts a step and ends the one before with "done in X s". On a
 * terminal the current step is one live line (spinner, detail, elapsed seconds); elsewhere each start
 * and end is a structured log record, so CI and Cloud Run logs keep their JSON.
 */
export interface Progress {
  (message: string, options?: { live?: boolean }): void;
  /** What the current step is doing right now ("table 3/10: devices, 1,204 rows"). */
  detail(text: string): void;
  /** Ends the current step (a failed one says so). */
  end(failed?: boolean): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const REDRAW_MS = 200;

export function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

interface Step {
  message: string;
  started: number;
  live: boolean;
  detail: string;
}

export function progressReporter(logger: Logger, tty: boolean = process.stderr.isTTY === true, out: NodeJS.WritableStream = process.stderr): Progress {
  let current: Step | null = null;
  let timer: NodeJS.Timeout | null = null;
  let frame = 0;
  const width = (): number => Math.max(40, ((out as { columns?: number }).columns ?? 100) - 1);
  const draw = (): void => {
    if (current === null) return;
    const line = `${FRAMES[frame % FRAMES.length]} ${current.message}${current.detail ? ` · ${current.detail}` : ''} · ${seconds(Date.now() - current.started)}`;
    frame += 1;
    out.write(`\r\u001b[K${line.length > width() ? `${line.slice(0, width() - 1)}…` : line}`);
  };
  const end = (failed = false): void => {
    if (current === null) return;
    if (timer !== null) clearInterval(timer);
    timer = null;
    const took = Date.now() - current.started;
    // The finished line keeps the counts, not the "(last: ...)" that only mattered while it ran.
    const detail = current.detail.replace(/\s*\(last: .*\)$/, '');
    if (tty) out.write(`${current.live ? '\r\u001b[K' : ''}${failed ? '✗' : '✓'} ${current.message}${detail && !failed ? ` · ${detail}` : ''} · ${failed ? 'failed after' : 'done in'} ${seconds(took)}\n`);
    else logger.info({ step: current.message, seconds: took / 1000, failed }, `${current.message}: ${failed ? 'failed' : 'done'}`);
    current = null;
  };
  const progress = ((message: string, options: { live?: boolean } = {}) => {
    end();
    // A step whose own output shares the terminal (the loader's bars) gets a plain line, not a live one.
    const live = tty && options.live !== false;
    current = { message, started: Date.now(), live, detail: '' };
    if (!tty) {
      logger.info({ step: message }, message);
    } else if (live) {
      draw();
      timer = setInterval(draw, REDRAW_MS);
      timer.unref();
    } else {
      out.write(`› ${message}\n`);
    }
  }) as Progress;
  progress.detail = (text: string) => {
    if (current === null) return;
    current.detail = text;
    if (!tty) logger.debug({ step: current.message, detail: text }, text);
  };
  progress.end = end;
  return progress;
}
