import { randomUUID } from 'node:crypto';
import { GcsApiError, invalid, notFound } from '../errors.js';
import { checkPreconditions } from '../store/preconditions.js';
import type { BlobWriter, HashedObject } from '../store/types.js';
import { commitUpload, type UploadTarget } from './commit-upload.js';
import { sendEmpty, sendError, sendJson } from './http-io.js';
import { parseGoogHash, receiveInto } from './receive.js';
import { objectResource } from './resources.js';
import type { RequestContext } from './router.js';
import type { ServerContext } from './server-context.js';

interface Session {
  target: UploadTarget;
  writer: BlobWriter;
  /** Set once the last byte is in: later PUTs answer with it, as GCS does. */
  result?: HashedObject;
  /** Chunks are appended one at a time, in order. */
  busy: boolean;
}

/** `Content-Range: bytes a-b/total`, `a-b/*`, `a-*\/total`, `a-*\/*`, `*\/total` or `*\/*`. */
export function parseContentRange(value: string | undefined): { start?: number; end?: number; total?: number } | undefined {
  if (!value) return undefined;
  const match = /^bytes (?:(\d+)-(\d+|\*)|\*)\/(\d+|\*)$/.exec(value.trim());
  if (!match) throw invalid(`Invalid Content-Range ${JSON.stringify(value)}`);
  return {
    ...(match[1] !== undefined ? { start: Number(match[1]) } : {}),
    ...(match[2] !== undefined && match[2] !== '*' ? { end: Number(match[2]) } : {}),
    ...(match[3] !== '*' ? { total: Number(match[3]) } : {}),
  };
}

/**
 * Resumable upload sessions: `POST ...?uploadType=resumable` makes one and returns its URI; each PUT
 * appends a chunk (Content-Range `bytes a-b/total`, total `*` until the last one) and is answered
 * 308 with `Range: bytes=0-<last byte held>` until the upload is complete, then 200 with the object.
 * `bytes *\/*` asks for the status. Sessions live in memory: a restart forgets unfinished ones.
 */
/** Finished sessions kept to answer a client that retries its last PUT; older ones are forgotten first. */
const KEEP_FINISHED = 1000;

export class ResumableUploads {
  private readonly sessions = new Map<string, Session>();
  private readonly finished: string[] = [];

  constructor(private readonly ctx: ServerContext) {}

  start(target: UploadTarget): { id: string; uri: string } {
    const id = randomUUID();
    this.sessions.set(id, { target, writer: this.ctx.catalog.blobs.create(), busy: false });
    const uri = `${this.ctx.baseUrl()}/upload/storage/v1/b/${target.bucket}/o?uploadType=resumable&name=${encodeURIComponent(target.name)}&upload_id=${id}`;
    return { id, uri };
  }

  private session(query: URLSearchParams): [string, Session] {
    const id = query.get('upload_id') ?? '';
    const session = this.sessions.get(id);
    if (!session) throw notFound(`No such upload session: ${JSON.stringify(id)}`);
    return [id, session];
  }

  async put({ req, res, query }: RequestContext): Promise<void> {
    const [id, session] = this.session(query);
    if (session.result) {
      req.resume();
      sendJson(res, 200, objectResource(session.result, this.ctx.baseUrl()));
      return;
    }
    if (session.busy) throw new GcsApiError(409, 'conflict', `Upload session ${id} is already receiving a chunk.`);
    session.busy = true;
    try {
      const range = parseContentRange(req.headers['content-range']);
      const held = session.writer.size;
      if (range?.start !== undefined && range.start > held) {
        throw invalid(`The chunk starts at byte ${range.start} but only ${held} bytes were received.`);
      }
      await receiveInto(req as AsyncIterable<Buffer>, session.writer, range?.start !== undefined ? held - range.start : 0);
      const size = session.writer.size;
      if (range?.total !== undefined && size > range.total) throw invalid(`Received ${size} bytes, more than the declared total ${range.total}.`);
      // No Content-Range: the PUT is the whole upload; `a-*\/*`: the rest of it, ending with this request.
      const complete = range === undefined || (range.total !== undefined ? size === range.total : range.start !== undefined && range.end === undefined);
      if (!complete) {
        sendEmpty(res, 308, size > 0 ? { Range: `bytes=0-${size - 1}` } : {});
        return;
      }
      checkPreconditions(this.ctx.catalog.getObject(session.target.bucket, session.target.name), session.target.preconditions);
      const target = { ...session.target, declared: [...session.target.declared, parseGoogHash(req.headers['x-goog-hash'])] };
      session.result = await commitUpload(this.ctx.catalog, session.writer, target);
      this.finished.push(id);
      if (this.finished.length > KEEP_FINISHED) this.sessions.delete(this.finished.shift()!);
      sendJson(res, 200, objectResource(session.result, this.ctx.baseUrl()));
    } catch (error) {
      // A failed final check ends the session, as in GCS; a broken chunk leaves it resumable.
      if (error instanceof GcsApiError && (error.code === 412 || /doesn't match calculated/.test(error.message))) {
        this.sessions.delete(id);
        await session.writer.abort();
      }
      throw error;
    } finally {
      session.busy = false;
    }
  }

  async cancel({ res, query }: RequestContext): Promise<void> {
    const [id, session] = this.session(query);
    this.sessions.delete(id);
    if (!session.result) await session.writer.abort();
    // GCS answers a cancelled session with 499 Client Closed Request.
    sendError(res, new GcsApiError(499, 'clientClosedRequest', 'The upload session was cancelled.'));
  }

  /** Drops every unfinished session's partial bytes (on stop). */
  async abortAll(): Promise<void> {
    for (const [id, session] of this.sessions) {
      this.sessions.delete(id);
      if (!session.result) await session.writer.abort();
    }
  }
}
