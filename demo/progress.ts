import type { Logger } from '../common/logger.js';

/** Progress lines for a person at a terminal; structured JSON logs (stderr) when nobody is watching. */
export function progressReporter(logger: Logger, tty: boolean = process.stderr.isTTY === true): (message: string, fields?: Record<string, unknown>) => void {
  const started = Date.now();
  return (message, fields = {}) => {
    if (tty) process.stderr.write(`\u203a ${message} (${((Date.now() - started) / 1000).toFixed(1)}s)\n`);
    else logger.info({ ...fields, step: message }, message);
  };
}
