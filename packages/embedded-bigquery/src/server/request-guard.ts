/**
 * What keeps a web page from driving the server: a browser can send a cross-site POST with a
 * text/plain body and no preflight, and a DNS-rebinding page sends its own host name as `Host`.
 * So every request must name this server as its Host, carry no Origin unless that origin was
 * allowed, send JSON bodies as application/json, and (when a token is set) present it as a bearer
 * token. Metadata requests need `Metadata-Flavor: Google` instead of the token, as on a real
 * metadata server (a page cannot add that header without a preflight, which is refused): they are
 * how google-auth-library clients pointed here by GCE_METADATA_HOST get the token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.js';

export interface GuardOptions {
  /** The port the server listens on (known once it listens). */
  port: () => number;
  /** Every request except metadata ones must send `Authorization: Bearer <token>`. */
  token?: string;
  /** Origins (`scheme://host[:port]`) whose requests are served, with CORS headers. */
  allowedOrigins: readonly string[];
}

export const METADATA_PREFIX = '/computeMetadata/';
const UPLOAD_PREFIX = '/upload/';

const PREFLIGHT_HEADERS = {
  'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type, Content-Range, X-Upload-Content-Type, X-Upload-Content-Length, Metadata-Flavor',
  'Access-Control-Max-Age': '600',
};

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Equal-length digests compared in constant time, so response timing says nothing about the token. */
function sameToken(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

export function hasBody(req: IncomingMessage): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = Number(req.headers['content-length'] ?? 0);
  return Number.isFinite(length) && length > 0;
}

/** Whether the request names this server (its loopback address or localhost, and its port) as Host. */
export function isOwnHost(req: IncomingMessage, port: number): boolean {
  const host = (req.headers.host ?? '').toLowerCase();
  return [`127.0.0.1:${port}`, `localhost:${port}`, ...(port === 80 ? ['127.0.0.1', 'localhost'] : [])].includes(host);
}

function checkHost(req: IncomingMessage, port: number): void {
  if (!isOwnHost(req, port)) {
    throw new HttpError(
      403,
      'accessDenied',
      `request refused: Host ${JSON.stringify(req.headers.host ?? '')} is not this server (expected 127.0.0.1:${port} or localhost:${port}); the embedded BigQuery answers only requests addressed to its loopback address, which keeps DNS-rebinding pages out`,
    );
  }
}

function checkToken(req: IncomingMessage, token: string): void {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) {
    throw new HttpError(
      401,
      'authError',
      'request refused: this embedded BigQuery requires "Authorization: Bearer <token>" with the token it was started with (--token or LANDFORM_BIGQUERY_TOKEN); Google clients get it from its metadata endpoint when GCE_METADATA_HOST points at the server',
    );
  }
  if (!sameToken(match[1], token)) throw new HttpError(401, 'authError', "request refused: the bearer token is not this embedded BigQuery's token");
}

function checkContentType(req: IncomingMessage, path: string): void {
  // Uploads carry their data's own type; the upload routes check theirs (multipart/related, JSON).
  if (path.startsWith(UPLOAD_PREFIX) || !hasBody(req)) return;
  const type = mediaType(req);
  if (type !== 'application/json') {
    throw new HttpError(415, 'invalid', `request refused: a request body must be sent as Content-Type application/json (got ${JSON.stringify(req.headers['content-type'] ?? '')})`);
  }
}

/**
 * CORS headers for a request from an allowed origin (none otherwise), set before the request is
 * checked further, so a page of that origin can also read why a request was refused.
 */
export function corsHeaders(req: IncomingMessage, options: Pick<GuardOptions, 'allowedOrigins'>): Record<string, string> {
  const origin = req.headers.origin;
  if (origin === undefined || !options.allowedOrigins.includes(origin)) return {};
  return { 'Access-Control-Allow-Origin': origin, Vary: 'Origin', 'Access-Control-Expose-Headers': 'Location, Range, X-GUploader-UploadID' };
}

export type GuardDecision =
  /** Serve the request, adding these headers (CORS for an allowed origin) to the response. */
  | { kind: 'serve'; headers: Record<string, string> }
  /** A CORS preflight from an allowed origin: answer 204 with these headers. */
  | { kind: 'preflight'; headers: Record<string, string> };

/** Decides whether a request may be served; throws an HttpError (403, 401, 415) when not. */
export function guardRequest(req: IncomingMessage, path: string, options: GuardOptions): GuardDecision {
  checkHost(req, options.port());
  const origin = req.headers.origin;
  const headers: Record<string, string> = {};
  if (origin !== undefined) {
    if (!options.allowedOrigins.includes(origin)) {
      throw new HttpError(
        403,
        'accessDenied',
        `request refused: Origin ${JSON.stringify(origin)} is not allowed; a browser page may call the embedded BigQuery only from an origin given in allowedOrigins (--allow-origin)`,
      );
    }
    Object.assign(headers, corsHeaders(req, options));
    if (req.method === 'OPTIONS') return { kind: 'preflight', headers: { ...headers, ...PREFLIGHT_HEADERS } };
  }
  if (path.startsWith(METADATA_PREFIX) || path === METADATA_PREFIX.slice(0, -1)) {
    if (req.headers['metadata-flavor'] !== 'Google') {
      throw new HttpError(403, 'accessDenied', 'request refused: metadata requests must send the header "Metadata-Flavor: Google", as for a real metadata server');
    }
  } else if (options.token !== undefined) {
    checkToken(req, options.token);
  }
  checkContentType(req, path);
  return { kind: 'serve', headers };
}
