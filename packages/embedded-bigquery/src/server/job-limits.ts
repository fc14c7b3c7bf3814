/**
 * How jobs end early: BigQuery's `configuration.jobTimeoutMs` (with the server's default when a
 * job sets none), jobs.cancel, and the server stopping. Each is an error the job ends DONE with.
 */
import { BigQueryApiError } from '../engine/types.js';
import { HttpError } from './http-error.js';
import type { JobConfiguration } from './job-types.js';

/** The job's timeout in ms: its own jobTimeoutMs (an int64, sent as a string or a number) or the default. */
export function jobTimeoutOf(configuration: JobConfiguration, defaultMs: number): number {
  const raw = configuration.jobTimeoutMs;
  if (raw === undefined || raw === null || raw === '') return defaultMs;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms <= 0) {
    throw new BigQueryApiError('invalid', `configuration.jobTimeoutMs ${JSON.stringify(raw)} must be a positive whole number of milliseconds`);
  }
  return ms;
}

export function timeoutError(ms: number): HttpError {
  return new HttpError(400, 'timeout', `Job execution was cancelled: Job timed out after ${ms} ms (configuration.jobTimeoutMs, or the server's default job timeout); changes it had not committed were rolled back`);
}

export function cancelledError(): HttpError {
  return new HttpError(400, 'stopped', 'Job execution was cancelled: User requested cancellation');
}

/** Retryable: the same job run again on a server that stays up would succeed. */
export function shutdownError(state: string): HttpError {
  return new HttpError(500, 'backendError', `The embedded BigQuery was stopped while this job was ${state}; changes it had not committed were rolled back. Retry the job (with a new job id).`);
}

/**
 * A job the server was running when it was killed: the job record could not say how it ended.
 * A statement interrupted mid-way was rolled back, but one that committed just before the kill,
 * ahead of its DONE record, did take effect, so the message says both.
 */
export function restartedError(state: string): { reason: string; message: string } {
  if (state === 'PENDING') {
    return { reason: 'backendError', message: 'The embedded BigQuery stopped (killed or crashed) before this job started; nothing of it ran. Retry the job (with a new job id).' };
  }
  return {
    reason: 'backendError',
    message: `The embedded BigQuery stopped (killed or crashed) while this job was ${state}. Changes it had not committed were rolled back; if it was just finishing, they may have been committed. Retry the job (with a new job id) if it is idempotent, otherwise check its effects first.`,
  };
}

/**
 * A signal that aborts when `outer` does or after `ms`. Not AbortSignal.any with
 * AbortSignal.timeout: Node 20 holds a timeout signal inside a composite only weakly, so a garbage
 * collection before the deadline loses the timeout and the statement runs to its end
 * (nodejs/node#57736). Here the timer and listener are held until release().
 */
export function boundedSignal(outer: AbortSignal, ms: number, reason: () => Error): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const onOuter = (): void => controller.abort(outer.reason);
  if (outer.aborted) onOuter();
  else outer.addEventListener('abort', onOuter, { once: true });
  const timer = setTimeout(() => controller.abort(reason()), Math.min(ms, 2 ** 31 - 1));
  return {
    signal: controller.signal,
    release: () => {
      clearTimeout(timer);
      outer.removeEventListener('abort', onOuter);
    },
  };
}
