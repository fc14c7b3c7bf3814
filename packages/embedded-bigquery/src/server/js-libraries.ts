/**
 * JavaScript UDF libraries (OPTIONS(library = ...)) read from the Cloud Storage the server is given:
 * `gs://bucket/object`, or the same object as its public `https://storage.googleapis.com/bucket/object`
 * URL (the form BigQuery also accepts). The text is handed to the UDF's sandbox, never run here.
 * Nothing is fetched from anywhere else: another URL fails with BigQuery's kind of error.
 */
import { BigQueryApiError } from '../engine/types.js';
import type { GcsTarget } from './gcs-upload.js';

/** BigQuery's limit on a JavaScript UDF's libraries is far smaller; this only keeps one bad object from filling memory. */
const MAX_LIBRARY_BYTES = 16 * 1024 * 1024;
const BUCKET = /^[a-z0-9][a-z0-9._-]{1,221}[a-z0-9]$/;

export function libraryObject(uri: string): { bucket: string; name: string } {
  const m = /^gs:\/\/([^/]+)\/(.+)$/.exec(uri) ?? /^https:\/\/storage\.googleapis\.com\/([^/]+)\/(.+)$/.exec(uri);
  if (!m || !BUCKET.test(m[1]!) || /[\r\n]/.test(m[2]!)) {
    throw new BigQueryApiError('invalidQuery', `Invalid JavaScript library URI ${uri}: it must be gs://bucket/object (or https://storage.googleapis.com/bucket/object)`);
  }
  return { bucket: m[1]!, name: decodeURIComponent(m[2]!) };
}

/** Reads library URIs as text from `target`. */
export function jsLibraryReader(target: GcsTarget): (uri: string) => Promise<string> {
  return async (uri) => {
    const { bucket, name } = libraryObject(uri);
    const url = `${target.url.replace(/\/$/, '')}/storage/v1/b/${encodeURIComponent(bucket)}/o/${encodeURIComponent(name)}?alt=media`;
    let res: Response;
    try {
      res = await fetch(url, target.token !== undefined ? { headers: { Authorization: `Bearer ${target.token}` } } : {});
    } catch (error) {
      throw new BigQueryApiError('invalidQuery', `Cloud Storage at ${target.url} could not be reached for JavaScript library ${uri}: ${(error as Error).message}`);
    }
    if (res.status === 404) throw new BigQueryApiError('invalidQuery', `Not found: JavaScript library ${uri}`);
    if (!res.ok) throw new BigQueryApiError('invalidQuery', `Reading JavaScript library ${uri} from Cloud Storage failed with HTTP ${res.status}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    if (bytes.length > MAX_LIBRARY_BYTES) throw new BigQueryApiError('invalidQuery', `JavaScript library ${uri} is larger than ${MAX_LIBRARY_BYTES / 1024 / 1024} MB`);
    return bytes.toString('utf8');
  };
}
