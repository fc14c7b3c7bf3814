import type { IncomingMessage } from 'node:http';
import { invalid } from '../errors.js';
import { validateObjectName } from '../names.js';
import { checkPreconditions, parsePreconditions } from '../store/preconditions.js';
import { commitUpload, type UploadTarget } from './commit-upload.js';
import { parseJsonObject, readJson, sendJson } from './http-io.js';
import { boundaryOf, receiveMultipart } from './multipart.js';
import { objectProperties } from './properties.js';
import { declaredInResource, parseGoogHash, receiveInto } from './receive.js';
import { objectResource } from './resources.js';
import { ResumableUploads } from './resumable.js';
import type { Router } from './router.js';
import type { ServerContext } from './server-context.js';

const UPLOAD_PATH = '/upload/b/:bucket/o';

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The name from the query, else from the resource; validated by GCS's rules. */
function objectName(query: URLSearchParams, resource: Record<string, unknown>): string {
  const name = query.get('name') ?? (typeof resource.name === 'string' ? resource.name : undefined);
  if (name === undefined) throw invalid('Required parameter: name');
  validateObjectName(name);
  return name;
}

/**
 * objects.insert through `/upload/storage/v1/b/<bucket>/o`: `uploadType=media` (the body is the
 * object), `multipart` (resource JSON, then media: @google-cloud/storage with `resumable: false`) and
 * `resumable` (a session URI, then PUTs: the client's default).
 */
export function addUploadRoutes(router: Router, ctx: ServerContext): ResumableUploads {
  const resumable = new ResumableUploads(ctx);

  router.add('POST', UPLOAD_PATH, async ({ req, res, params, query }) => {
    const bucket = params.bucket ?? '';
    ctx.catalog.getBucket(bucket);
    const uploadType = query.get('uploadType');
    const preconditions = parsePreconditions(query);
    if (uploadType === 'media') {
      const name = objectName(query, {});
      const properties = objectProperties({ contentType: header(req, 'content-type'), contentEncoding: query.get('contentEncoding') });
      const writer = ctx.catalog.blobs.create();
      let target: UploadTarget;
      try {
        await receiveInto(req as AsyncIterable<Buffer>, writer);
        target = { bucket, name, properties, preconditions, declared: [parseGoogHash(req.headers['x-goog-hash'])] };
      } catch (error) {
        await writer.abort();
        throw error;
      }
      sendJson(res, 200, objectResource(await commitUpload(ctx.catalog, writer, target), ctx.baseUrl()));
      return;
    }
    if (uploadType === 'multipart') {
      const boundary = boundaryOf(header(req, 'content-type'));
      const writer = ctx.catalog.blobs.create();
      let target: UploadTarget;
      try {
        const upload = await receiveMultipart(req as AsyncIterable<Buffer>, boundary, writer);
        const resource = parseJsonObject(upload.metadata, 'The multipart upload resource');
        const properties = objectProperties(resource);
        properties.contentType ??= upload.mediaContentType;
        target = { bucket, name: objectName(query, resource), properties, preconditions, declared: [declaredInResource(resource), parseGoogHash(req.headers['x-goog-hash'])] };
      } catch (error) {
        await writer.abort();
        throw error;
      }
      sendJson(res, 200, objectResource(await commitUpload(ctx.catalog, writer, target), ctx.baseUrl()));
      return;
    }
    if (uploadType === 'resumable') {
      const resource = await readJson(req);
      const name = objectName(query, resource);
      const properties = objectProperties(resource);
      properties.contentType ??= header(req, 'x-upload-content-type');
      // GCS checks preconditions when the session starts (and again when it completes).
      checkPreconditions(ctx.catalog.getObject(bucket, name), preconditions);
      const location = resumable.start({ bucket, name, properties, preconditions, declared: [declaredInResource(resource)] });
      sendJson(res, 200, {}, { Location: location.uri, 'X-GUploader-UploadID': location.id });
      return;
    }
    throw invalid(`Invalid uploadType ${JSON.stringify(uploadType)} (use media, multipart or resumable)`);
  });

  router.add('PUT', UPLOAD_PATH, (request) => resumable.put(request));
  router.add('DELETE', UPLOAD_PATH, (request) => resumable.cancel(request));
  return resumable;
}
