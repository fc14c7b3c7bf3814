/**
 * Sessions through the real @google-cloud/bigquery client, as BigQuery's docs use them: a query
 * job with `createSession: true` returns statistics.sessionInfo.sessionId; later jobs pass it as the
 * `session_id` connection property and see the session's temporary tables; jobs.get of each of
 * them names the session; an unknown or aborted session is refused with BigQuery's reasons.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startTestBigQuery, type TestBigQuery } from '../../support/embedded-bigquery.js';

interface SessionStats {
  sessionInfo?: { sessionId?: string };
}

describe('sessions over the REST API', () => {
  let bq: TestBigQuery;

  beforeAll(async () => {
    bq = await startTestBigQuery();
    await bq.bigquery.createDataset('sess_ds');
  });
  afterAll(async () => {
    await bq?.stop();
  });

  test('createSession, session_id, temporary tables across jobs, sessionInfo in jobs.get, ABORT_SESSION', async () => {
    const [first] = await bq.bigquery.createQueryJob({ query: 'create temp table tt as select 7 as x', createSession: true });
    await first.promise();
    const [meta] = await first.getMetadata();
    const sessionId = (meta.statistics as SessionStats).sessionInfo?.sessionId;
    expect(sessionId).toMatch(/^[0-9a-f]{40}$/);
    const connectionProperties = [{ key: 'session_id', value: sessionId! }];

    const [second] = await bq.bigquery.createQueryJob({ query: 'select x + 1 as y from _SESSION.tt', connectionProperties });
    const [rows] = await second.getQueryResults();
    expect(rows).toEqual([{ y: 8 }]);
    const [secondMeta] = await bq.bigquery.job(second.id!).getMetadata();
    expect((secondMeta.statistics as SessionStats).sessionInfo?.sessionId).toBe(sessionId);

    // jobs.query (the client's query() with no job options may take it) in the session too
    const [viaQuery] = await bq.bigquery.query({ query: 'select count(*) as n from tt', connectionProperties });
    expect(viaQuery).toEqual([{ n: 1 }]);

    await expect(bq.bigquery.query({ query: 'select x from tt' })).rejects.toMatchObject({ message: expect.stringMatching(/must be qualified with a dataset/) });

    const [abort] = await bq.bigquery.createQueryJob({ query: 'CALL BQ.ABORT_SESSION()', connectionProperties });
    await abort.promise();
    await expect(bq.bigquery.query({ query: 'select 1', connectionProperties })).rejects.toMatchObject({ message: `Session ${sessionId} has been terminated` });
    await expect(bq.bigquery.query({ query: 'select 1', connectionProperties: [{ key: 'session_id', value: 'no-such-session' }] })).rejects.toMatchObject({
      errors: [expect.objectContaining({ reason: 'notFound' })],
    });
  });
});
