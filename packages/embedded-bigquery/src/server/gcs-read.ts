/**
 * Reading `gs://` URIs from the Cloud Storage the server is given (see gcs-upload.ts): a URI with at
 * most one `*` in its object name is listed by the prefix before the `*` (objects.list, every page)
 * and filtered by the rest; each match is downloaded with `alt=media`. Plain HTTP to the JSON API:
 * no storage package, nothing written outside the directory the caller names.
 */
import { createWriteStream } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pipeline } from 'node:stream/promises';
import { BigQueryApiError } from '../engine/types.js';
import { gcsErrorMessage, type GcsObjectName, type GcsTarget } from './gcs-upload.js';
import { HttpError } from './http-error.js';

export interface GcsListedObject extends GcsObjectName {
  size: number;
}

const BUCKET = /^[a-z0-9][a-z0-9._-]{1,221}[a-z0-9]$/;

/** A load job's source URI: its bucket, and its object name as a literal or a one-`*` pattern. */
export function parseSourceUri(uri: string): { bucket: string; pattern: string } {
  const m = /^gs:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!m || !BUCKET.test(m[1]!) || /[\r\n]/.test(m[2]!) || Buffer.byteLength(m[2]!) > 1024) {
    throw new BigQueryApiError('invalid', `Invalid source URI '${uri}'. It must be a Cloud Storage path of the form gs://bucket/object.`);
  }
  if (m[1]!.includes('*')) throw new BigQueryApiError('invalid', `Invalid source URI '${uri}': a wildcard is not allowed in the bucket name`);
  if ((m[2]!.match(/\*/g) ?? []).length > 1) throw new BigQueryApiError('invalid', `Invalid source URI '${uri}': only one wildcard '*' is allowed per URI`);
  return { bucket: m[1]!, pattern: m[2]! };
}

function send(url: URL, target: GcsTarget, signal?: AbortSignal): Promise<IncomingMessage> {
  const headers: Record<string, string> = {};
  if (target.token !== undefined) headers.Authorization = `Bearer ${target.token}`;
  const get = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = get(url, { method: 'GET', headers, ...(signal ? { signal } : {}) }, resolve);
    req.on('error', reject);
    req.end();
  });
}

async function readText(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A GCS answer other than 2xx as the error BigQuery reports for the URI. */
function failure(status: number, text: string, uri: string): Error {
  const detail = gcsErrorMessage(text) ?? `HTTP ${status}`;
  if (status === 404) return new BigQueryApiError('notFound', `Not found: URI ${uri}`);
  if (status === 401 || status === 403) return new HttpError(403, 'accessDenied', `Access Denied: ${uri}: ${detail}`);
  return new HttpError(status >= 500 ? 503 : 400, status >= 500 ? 'backendError' : 'invalid', `Reading ${uri} failed: ${detail}`);
}

async function call(url: URL, target: GcsTarget, uri: string, signal?: AbortSignal): Promise<IncomingMessage> {
  const res = await send(url, target, signal).catch((error: unknown) => {
    if (signal?.aborted) throw signal.reason;
    throw new HttpError(503, 'backendError', `Cloud Storage at ${target.url} could not be reached for ${uri}: ${(error as Error).message}`);
  });
  const status = res.statusCode ?? 0;
  if (status >= 200 && status < 300) return res;
  throw failure(status, await readText(res), uri);
}

const base = (target: GcsTarget): string => target.url.replace(/\/+$/, '');

/**
 * The objects a source URI names, in name order: the one object of a literal URI, or every object
 * matching a `*` (which matches any run of characters, `/` included). None is BigQuery's `notFound`.
 */
export async function matchSourceUri(target: GcsTarget, uri: string, signal?: AbortSignal): Promise<GcsListedObject[]> {
  const { bucket, pattern } = parseSourceUri(uri);
  const star = pattern.indexOf('*');
  const prefix = star < 0 ? pattern : pattern.slice(0, star);
  const suffix = star < 0 ? '' : pattern.slice(star + 1);
  const found: GcsListedObject[] = [];
  let pageToken: string | undefined;
  do {
    const url = new URL(`${base(target)}/storage/v1/b/${encodeURIComponent(bucket)}/o`);
    url.searchParams.set('prefix', prefix);
    url.searchParams.set('fields', 'items(name,size),nextPageToken');
    if (pageToken !== undefined) url.searchParams.set('pageToken', pageToken);
    const page = JSON.parse(await readText(await call(url, target, uri, signal))) as { items?: { name: string; size?: string }[]; nextPageToken?: string };
    for (const item of page.items ?? []) {
      const matches = star < 0 ? item.name === pattern : item.name.length >= prefix.length + suffix.length && item.name.endsWith(suffix);
      if (matches) found.push({ bucket, name: item.name, size: Number(item.size ?? 0) });
    }
    pageToken = page.nextPageToken;
  } while (pageToken !== undefined && pageToken !== '');
  if (found.length === 0) throw new BigQueryApiError('notFound', `Not found: URI ${uri}`);
  return found;
}

/** Downloads one object's bytes into `filePath`. */
export async function downloadFromGcs(target: GcsTarget, object: GcsObjectName, filePath: string, signal?: AbortSignal): Promise<void> {
  const uri = `gs://${object.bucket}/${object.name}`;
  const url = new URL(`${base(target)}/storage/v1/b/${encodeURIComponent(object.bucket)}/o/${encodeURIComponent(object.name)}?alt=media`);
  const res = await call(url, target, uri, signal);
  await pipeline(res, createWriteStream(filePath, { highWaterMark: 1 << 20 }), ...(signal ? [{ signal }] : [])).catch((error: unknown) => {
    if (signal?.aborted) throw signal.reason;
    throw new HttpError(503, 'backendError', `Reading ${uri} from Cloud Storage at ${target.url} broke off: ${(error as Error).message}`);
  });
}
