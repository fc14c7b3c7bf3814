/**
 * Which failures are worth retrying, and the retry loop itself (exponential backoff, full jitter).
 * Transient: rate limits, 5xx, lost connections, Postgres connection and serialization failures.
 * Permanent: permission denied, invalid requests or SQL, missing resources; retrying those only
 * delays the error a user has to fix.
 */
import type { Logger } from '../common/logger.js';

export interface Classification {
  transient: boolean;
  /** Short label for logs: the reason, status or code that decided. */
  reason: string;
}

// jobLost: a job that vanished while polled (job-wait.ts); the work is run again, never assumed done.
const TRANSIENT_REASONS = new Set(['rateLimitExceeded', 'backendError', 'internalError', 'jobBackendError', 'jobInternalError', 'quotaExceeded', 'jobLost']);
const PERMANENT_REASONS = new Set(['accessDenied', 'invalid', 'invalidQuery', 'notFound', 'duplicate', 'responseTooLarge', 'billingNotEnabled', 'stopped']);
const TRANSIENT_HTTP = new Set([408, 429, 500, 502, 503, 504]);
const TRANSIENT_NODE_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'ESOCKETTIMEDOUT', 'ECONNABORTED', 'UND_ERR_SOCKET']);
// Postgres SQLSTATEs: admin/crash shutdown, cannot connect now, serialization failure, deadlock, too many connections.
const TRANSIENT_SQLSTATES = new Set(['57P01', '57P02', '57P03', '40001', '40P01', '53300']);

interface ErrorShape {
  code?: unknown;
  status?: unknown;
  reason?: unknown;
  errors?: unknown;
  message?: unknown;
  cause?: unknown;
  response?: { status?: unknown; statusCode?: unknown };
}

function reasonsOf(error: ErrorShape): string[] {
  const reasons: string[] = [];
  if (typeof error.reason === 'string') reasons.push(error.reason);
  if (Array.isArray(error.errors)) {
    for (const entry of error.errors as unknown[]) {
      if (entry && typeof entry === 'object' && typeof (entry as { reason?: unknown }).reason === 'string') {
        reasons.push((entry as { reason: string }).reason);
      }
    }
  }
  return reasons;
}

function httpStatusOf(error: ErrorShape): number | undefined {
  for (const value of [error.code, error.status, error.response?.status, error.response?.statusCode]) {
    if (typeof value === 'number' && value >= 100 && value < 600) return value;
  }
  return undefined;
}

/** Decides whether `error` is worth another attempt. Unknown errors are permanent: never retry blindly. */
export function classifyError(error: unknown): Classification {
  if (!error || typeof error !== 'object') return { transient: false, reason: 'unknown' };
  const shape = error as ErrorShape;

  // BigQuery reasons first: a 403 can be rateLimitExceeded (retry) or accessDenied (do not).
  const reasons = reasonsOf(shape);
  const permanent = reasons.find((r) => PERMANENT_REASONS.has(r));
  if (permanent) return { transient: false, reason: permanent };
  const transient = reasons.find((r) => TRANSIENT_REASONS.has(r));
  if (transient) return { transient: true, reason: transient };

  const status = httpStatusOf(shape);
  if (status !== undefined) return { transient: TRANSIENT_HTTP.has(status), reason: `http ${status}` };

  if (typeof shape.code === 'string') {
    const code = shape.code;
    if (TRANSIENT_NODE_CODES.has(code)) return { transient: true, reason: code };
    if (/^[0-9A-Z]{5}$/.test(code)) {
      // SQLSTATE class 08 = connection exception.
      return { transient: code.startsWith('08') || TRANSIENT_SQLSTATES.has(code), reason: `sqlstate ${code}` };
    }
  }

  const message = typeof shape.message === 'string' ? shape.message : '';
  // pg reports a socket closed under it without a code.
  // node-fetch (under the Google clients) reports a request past its timeout with a type, not a code.
  if ((error as { type?: unknown }).type === 'request-timeout' || /^network timeout at/i.test(message)) return { transient: true, reason: 'request timeout' };
  if (/Connection terminated unexpectedly|socket hang up|Client network socket disconnected/i.test(message)) {
    return { transient: true, reason: 'connection lost' };
  }
  // A BigQuery transaction that lost a race with a concurrent one may simply run again.
  if (/aborted due to concurrent update|could not serialize access/i.test(message)) return { transient: true, reason: 'concurrent update' };
  // A job the server could not finish because it restarted failed as a whole (load jobs are atomic).
  if (/server (was )?restarted|interrupted by a (server )?restart/i.test(message)) return { transient: true, reason: 'server restarted' };

  if (shape.cause && shape.cause !== error) return classifyError(shape.cause);
  return { transient: false, reason: 'unknown' };
}

export interface RetryOptions {
  /** Total attempts including the first (default 5). */
  attempts?: number;
  /** First backoff ceiling in ms (default 500); doubles each attempt. */
  baseDelayMs?: number;
  /** Largest backoff in ms (default 30 s). */
  maxDelayMs?: number;
}

export interface RetryContext extends RetryOptions {
  label: string;
  logger?: Logger;
  /** Narrows what this loop retries: an error it returns false for is rethrown at once, for an outer loop to handle. */
  retryIf?: (error: unknown) => boolean;
  /** Replaceable for tests of the loop itself. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Backoff before attempt `attempt + 1`: uniformly random in [0, min(max, base * 2^attempt)] ("full jitter"). */
export function backoffDelay(attempt: number, options: RetryOptions = {}, random: () => number = Math.random): number {
  const base = options.baseDelayMs ?? 500;
  const max = options.maxDelayMs ?? 30_000;
  return Math.round(random() * Math.min(max, base * 2 ** attempt));
}

const exhausted = new WeakSet<object>();

/** Runs `operation` until it succeeds, fails permanently, or runs out of attempts. */
export async function withRetry<T>(operation: (attempt: number) => Promise<T>, context: RetryContext): Promise<T> {
  const attempts = Math.max(1, context.attempts ?? 5);
  const sleep = context.sleep ?? defaultSleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      // An error that already used up a retry loop is not retried again by an enclosing one
      // (nested loops would multiply the attempts, and the time an outage takes to surface).
      if (exhausted.has(error as object)) throw error;
      const { transient, reason } = classifyError(error);
      if (transient && attempt + 1 >= attempts && error && typeof error === 'object') exhausted.add(error);
      if (!transient || attempt + 1 >= attempts || context.retryIf?.(error) === false) throw error;
      const delayMs = backoffDelay(attempt, context, context.random);
      context.logger?.warn({ op: context.label, attempt: attempt + 1, reason, delayMs, err: (error as Error).message }, 'transient error, retrying');
      await sleep(delayMs);
    }
  }
}
