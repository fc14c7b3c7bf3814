import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { BigQueryApiError } from '../engine/types.js';
import { readBody, sendEmpty, sendJson } from './http-io.js';
import type { JobConfiguration, JobReference } from './job-types.js';
import { jobView } from './job-routes.js';
import { boundaryOf, receiveMultipart } from './multipart.js';
import type { RequestContext, Router } from './router.js';
import type { ServerContext } from './server-context.js';

interface UploadSession {
  projectId: string;
  metadata: Record<string, unknown>;
  filePath: string;
  received: number;
  /** Set once the last chunk arrived: the job the upload became. */
  jobKey?: { projectId: string; jobId: string };
  /** Chunks are appended one at a time, in order. */
  busy: boolean;
}

const UPLOAD_PATH = '/upload/projects/:projectId/jobs';

function parseJsonObject(bytes: Buffer, what: string): Record<string, unknown> {
  if (bytes.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(bytes.toString('utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw new BigQueryApiError('invalid', `${what} must be a JSON job resource`);
}

/** `Content-Range: bytes a-b/total`, `bytes a-b/*`, `bytes *\/total` or `bytes *\/*`. */
function parseContentRange(header: string | undefined): { start?: number; end?: number; total?: number } | undefined {
  if (!header) return undefined;
  const match = /^bytes (?:(\d+)-(\d+)|\*)\/(\d+|\*)$/.exec(header.trim());
  if (!match) throw new BigQueryApiError('invalid', `invalid Content-Range ${JSON.stringify(header)}`);
  return {
    ...(match[1] !== undefined ? { start: Number(match[1]), end: Number(match[2]) } : {}),
    ...(match[3] !== '*' ? { total: Number(match[3]) } : {}),
  };
}

/**
 * The media upload endpoint load jobs use: `uploadType=multipart` (what @google-cloud/bigquery's
 * table.load(file) and createWriteStream() send) and `uploadType=resumable` (a session URI, then
 * the data in one or more PUTs with Content-Range, answered 308 until the last byte).
 * The data goes to a temp file that the load job hands to the engine.
 */
export function addUploadRoutes(router: Router, ctx: ServerContext, insertWaitMs: number): void {
  const sessions = new Map<string, UploadSession>();

  const startLoad = async (res: RequestContext['res'], projectId: string, metadata: Record<string, unknown>, filePath: string): Promise<{ projectId: string; jobId: string }> => {
    const job = await ctx.jobs.insert({
      projectId,
      jobReference: metadata.jobReference as Partial<JobReference> | undefined,
      configuration: (metadata.configuration ?? {}) as JobConfiguration,
      uploadFile: filePath,
    });
    await ctx.jobs.waitDone(job, insertWaitMs);
    sendJson(res, 200, jobView(job));
    return { projectId: job.resource.jobReference.projectId, jobId: job.resource.jobReference.jobId };
  };

  router.add('POST', UPLOAD_PATH, async ({ req, res, params, query }) => {
    const projectId = params.projectId ?? '';
    const uploadType = query.get('uploadType');
    if (uploadType === 'multipart') {
      const filePath = join(ctx.uploadDir, `${randomUUID()}.data`);
      try {
        const upload = await receiveMultipart(req as AsyncIterable<Buffer>, boundaryOf(req.headers['content-type']), filePath);
        await startLoad(res, projectId, parseJsonObject(upload.metadata, 'the first multipart part'), filePath);
      } catch (error) {
        await rm(filePath, { force: true });
        throw error;
      }
      return;
    }
    if (uploadType === 'resumable') {
      const metadata = parseJsonObject(await readBody(req), 'the resumable upload request body');
      const id = randomUUID();
      const session: UploadSession = { projectId, metadata, filePath: join(ctx.uploadDir, `${id}.data`), received: 0, busy: false };
      // Create the file now so a zero-byte upload is still a file.
      createWriteStream(session.filePath).end();
      sessions.set(id, session);
      const location = `${ctx.baseUrl()}/upload/bigquery/v2/projects/${encodeURIComponent(projectId)}/jobs?uploadType=resumable&upload_id=${id}`;
      sendEmpty(res, 200, { Location: location, 'X-GUploader-UploadID': id });
      return;
    }
    throw new BigQueryApiError('invalid', `uploadType ${JSON.stringify(uploadType)} is not supported (use multipart or resumable)`);
  });

  const putChunk = async ({ req, res, query }: RequestContext): Promise<void> => {
    const id = query.get('upload_id') ?? '';
    const session = sessions.get(id);
    if (!session) throw new BigQueryApiError('notFound', `Not found: upload session ${JSON.stringify(id)}`);
    if (session.jobKey) {
      sendJson(res, 200, jobView(ctx.jobs.get(session.jobKey.projectId, session.jobKey.jobId)));
      return;
    }
    if (session.busy) throw new BigQueryApiError('invalid', `upload session ${id} is already receiving a chunk`);
    session.busy = true;
    try {
      const range = parseContentRange(req.headers['content-range']);
      let skip = 0;
      if (range?.start !== undefined) {
        if (range.start > session.received) {
          throw new BigQueryApiError('invalid', `chunk starts at byte ${range.start} but only ${session.received} bytes were received`);
        }
        skip = session.received - range.start;
      }
      const out = createWriteStream(session.filePath, { flags: 'a' });
      for await (const chunk of req as AsyncIterable<Buffer>) {
        let piece = chunk;
        if (skip > 0) {
          const dropped = Math.min(skip, piece.length);
          piece = piece.subarray(dropped);
          skip -= dropped;
        }
        if (piece.length === 0) continue;
        session.received += piece.length;
        if (!out.write(piece)) await once(out, 'drain');
      }
      out.end();
      await finished(out);
      // Without a Content-Range the PUT carries the whole upload; with one, the total says when it is complete.
      const complete = range === undefined || (range.total !== undefined && session.received >= range.total);
      if (!complete) {
        sendEmpty(res, 308, session.received > 0 ? { Range: `bytes=0-${session.received - 1}` } : {});
        return;
      }
      try {
        session.jobKey = await startLoad(res, session.projectId, session.metadata, session.filePath);
      } catch (error) {
        sessions.delete(id);
        await rm(session.filePath, { force: true });
        throw error;
      }
    } finally {
      session.busy = false;
    }
  };
  router.add('PUT', UPLOAD_PATH, putChunk);

  router.add('DELETE', UPLOAD_PATH, async ({ res, query }) => {
    const id = query.get('upload_id') ?? '';
    const session = sessions.get(id);
    if (session && !session.jobKey) await rm(session.filePath, { force: true });
    sessions.delete(id);
    sendEmpty(res, 499);
  });
}
