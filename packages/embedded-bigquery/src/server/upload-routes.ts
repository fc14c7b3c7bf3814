import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { BigQueryApiError } from '../engine/types.js';
import { HttpError } from './http-error.js';
import { readBody, sendEmpty, sendJson, tooLarge } from './http-io.js';
import type { JobConfiguration, JobReference } from './job-types.js';
import { jobView } from './job-routes.js';
import { boundaryOf, MAX_METADATA_BYTES, receiveMultipart } from './multipart.js';
import { hasBody } from './request-guard.js';
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
  lastUsed: number;
}

const UPLOAD_PATH = '/upload/projects/:projectId/jobs';
/** A resumable session with no chunk for this long is dropped with its data (the client can start over). */
const SESSION_IDLE_MS = 3600 * 1000;
/** Room for the job metadata part and the multipart framing around the data. */
const MULTIPART_OVERHEAD_BYTES = MAX_METADATA_BYTES + 64 * 1024;

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
  const { maxUploadBytes, maxJsonBodyBytes } = ctx.limits;

  const dropIdleSessions = async (): Promise<void> => {
    const cutoff = Date.now() - SESSION_IDLE_MS;
    for (const [id, session] of sessions) {
      if (session.busy || session.jobKey || session.lastUsed > cutoff) continue;
      sessions.delete(id);
      await rm(session.filePath, { force: true });
    }
  };

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
      const boundary = boundaryOf(req.headers['content-type']);
      if (Number(req.headers['content-length'] ?? 0) > maxUploadBytes + MULTIPART_OVERHEAD_BYTES) throw tooLarge('the upload', maxUploadBytes, 'maxUploadBytes');
      const filePath = join(ctx.uploadDir, `${randomUUID()}.data`);
      try {
        const upload = await receiveMultipart(req as AsyncIterable<Buffer>, boundary, filePath, maxUploadBytes);
        await startLoad(res, projectId, parseJsonObject(upload.metadata, 'the first multipart part'), filePath);
      } catch (error) {
        await rm(filePath, { force: true });
        throw error;
      }
      return;
    }
    if (uploadType === 'resumable') {
      if (hasBody(req) && (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase() !== 'application/json') {
        throw new HttpError(415, 'invalid', `request refused: the resumable upload request body must be sent as Content-Type application/json (got ${JSON.stringify(req.headers['content-type'] ?? '')})`);
      }
      const declared = Number(req.headers['x-upload-content-length'] ?? NaN);
      if (declared > maxUploadBytes) throw tooLarge('the upload', maxUploadBytes, 'maxUploadBytes');
      const metadata = parseJsonObject(await readBody(req, maxJsonBodyBytes), 'the resumable upload request body');
      await dropIdleSessions();
      const id = randomUUID();
      const session: UploadSession = { projectId, metadata, filePath: join(ctx.uploadDir, `${id}.data`), received: 0, busy: false, lastUsed: Date.now() };
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
    session.lastUsed = Date.now();
    try {
      const range = parseContentRange(req.headers['content-range']);
      let skip = 0;
      if (range?.start !== undefined) {
        if (range.start > session.received) {
          throw new BigQueryApiError('invalid', `chunk starts at byte ${range.start} but only ${session.received} bytes were received`);
        }
        skip = session.received - range.start;
      }
      if (range?.total !== undefined && range.total > maxUploadBytes) {
        sessions.delete(id);
        await rm(session.filePath, { force: true });
        throw tooLarge('the upload', maxUploadBytes, 'maxUploadBytes');
      }
      const out = createWriteStream(session.filePath, { flags: 'a' });
      try {
        for await (const chunk of req as AsyncIterable<Buffer>) {
          let piece = chunk;
          if (skip > 0) {
            const dropped = Math.min(skip, piece.length);
            piece = piece.subarray(dropped);
            skip -= dropped;
          }
          if (piece.length === 0) continue;
          session.received += piece.length;
          if (session.received > maxUploadBytes) {
            out.destroy();
            sessions.delete(id);
            await rm(session.filePath, { force: true });
            throw tooLarge('the upload', maxUploadBytes, 'maxUploadBytes');
          }
          if (!out.write(piece)) await once(out, 'drain');
        }
      } catch (error) {
        // A chunk cut off by the client: what arrived stays (the session resumes from there).
        out.destroy();
        throw error;
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
