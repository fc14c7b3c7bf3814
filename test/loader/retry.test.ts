/** Which errors the loader retries, and how the retry loop behaves (no real waiting: sleep is injected). */
import { describe, expect, test } from '@jest/globals';
import { JobLostError } from '../../loader/publish/job-wait.js';
import { backoffDelay, classifyError, withRetry } from '../../loader/retry.js';

const apiError = (code: number, reason?: string, message = 'x') => Object.assign(new Error(message), { code, errors: reason ? [{ reason, message }] : [] });
const pgError = (code: string) => Object.assign(new Error(`pg ${code}`), { code });
const nodeError = (code: string) => Object.assign(new Error(`socket ${code}`), { code });

describe('classifyError', () => {
  test.each([
    ['HTTP 429', apiError(429)],
    ['HTTP 500', apiError(500)],
    ['HTTP 502', apiError(502)],
    ['HTTP 503', apiError(503)],
    ['HTTP 504', apiError(504)],
    ['403 rateLimitExceeded', apiError(403, 'rateLimitExceeded')],
    ['backendError in a job result', Object.assign(new Error('job failed'), { errors: [{ reason: 'backendError' }] })],
    ['ECONNRESET', nodeError('ECONNRESET')],
    ['ETIMEDOUT', nodeError('ETIMEDOUT')],
    ['Postgres 08006 connection failure', pgError('08006')],
    ['Postgres 08001 cannot connect', pgError('08001')],
    ['Postgres 57P01 admin shutdown', pgError('57P01')],
    ['Postgres 40001 serialization failure', pgError('40001')],
    ['pg socket closed without a code', new Error('Connection terminated unexpectedly')],
    ['a wrapped transient cause', new Error('load failed', { cause: nodeError('ECONNRESET') })],
    ['a request past its timeout (node-fetch)', Object.assign(new Error('network timeout at: http://127.0.0.1:9/bigquery/v2/projects/p/jobs/j'), { type: 'request-timeout' })],
    ['a job lost while polled', new JobLostError('landform_load_x_a0_p0_0')],
    ['a job the server restarted under', Object.assign(new Error('The embedded BigQuery was stopped while this job was RUNNING'), { errors: [{ reason: 'backendError' }] })],
  ])('%s is transient', (_label, error) => {
    expect(classifyError(error).transient).toBe(true);
  });

  test.each([
    ['403 accessDenied', apiError(403, 'accessDenied')],
    ['400 invalid', apiError(400, 'invalid')],
    ['400 invalidQuery', apiError(400, 'invalidQuery')],
    ['404 notFound', apiError(404, 'notFound')],
    ['a 500 whose reason is invalidQuery', apiError(500, 'invalidQuery')],
    ['HTTP 401 without reason', apiError(401)],
    ['Postgres 42P01 undefined table', pgError('42P01')],
    ['Postgres 28P01 bad password', pgError('28P01')],
    ['an unknown error', new Error('something else')],
    ['not an error at all', 'boom'],
  ])('%s is permanent', (_label, error) => {
    expect(classifyError(error).transient).toBe(false);
  });
});

describe('withRetry', () => {
  const noSleep = { sleep: async () => undefined, random: () => 1 };

  test('retries transient failures until success', async () => {
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        if (calls < 3) throw apiError(503);
        return 'ok';
      },
      { label: 't', attempts: 5, ...noSleep },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
  });

  test('never retries a permanent failure', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw apiError(403, 'accessDenied', 'Access Denied: Dataset landform_raw');
        },
        { label: 't', attempts: 5, ...noSleep },
      ),
    ).rejects.toThrow('Access Denied');
    expect(calls).toBe(1);
  });

  test('gives up after the last attempt with the last error', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw nodeError('ECONNRESET');
        },
        { label: 't', attempts: 4, ...noSleep },
      ),
    ).rejects.toThrow('socket ECONNRESET');
    expect(calls).toBe(4);
  });

  test('retryIf leaves an error it declines to an outer loop, however transient', async () => {
    let calls = 0;
    const lost = new JobLostError('j1');
    await expect(
      withRetry(
        async () => {
          calls++;
          throw lost;
        },
        { label: 't', attempts: 5, retryIf: (error) => !(error instanceof JobLostError), ...noSleep },
      ),
    ).rejects.toBe(lost);
    expect(calls).toBe(1);
  });

  test('an error that used up an inner loop is not retried by the loop around it', async () => {
    let calls = 0;
    const inner = () =>
      withRetry(
        async () => {
          calls++;
          throw nodeError('ECONNRESET');
        },
        { label: 'inner', attempts: 3, ...noSleep },
      );
    await expect(withRetry(inner, { label: 'outer', attempts: 4, ...noSleep })).rejects.toThrow('socket ECONNRESET');
    expect(calls).toBe(3);
  });

  test('backoff doubles up to the cap, scaled by jitter', () => {
    const options = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect([0, 1, 2, 3, 4, 5].map((attempt) => backoffDelay(attempt, options, () => 1))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoffDelay(3, options, () => 0.5)).toBe(400);
    expect(backoffDelay(3, options, () => 0)).toBe(0);
  });
});
