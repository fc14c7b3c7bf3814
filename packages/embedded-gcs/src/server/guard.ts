import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GcsApiError } from '../errors.js';

export interface GuardOptions {
  port: number;
  /** When set, every request needs `Authorization: Bearer <token>`. */
  token?: string;
  /** Browser origins allowed to call the API (exact `scheme://host:port`); any other Origin is refused. */
  allowedOrigins: string[];
}

const forbidden = (message: string): GcsApiError => new GcsApiError(403, 'forbidden', message);

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * What keeps a loopback server from being driven by a web page the developer happens to open:
 * - `Host` must be this server's loopback address and port, so a DNS-rebinding page (whose Host is
 *   its own domain) is refused;
 * - a request with an `Origin` other than this server's own or an allowed one is refused (browsers
 *   send Origin on every cross-site POST/PUT/DELETE and CORS request, so forms and fetch() are refused
 *   whatever their content type), as is one marked `Sec-Fetch-Site: cross-site` without an allowed Origin;
 * - with a token, a request without the right bearer token is refused.
 * Returns the allowed cross-origin Origin, if any, for the CORS headers.
 */
export function checkRequest(req: IncomingMessage, options: GuardOptions): string | undefined {
  const host = (req.headers.host ?? '').toLowerCase();
  if (host !== `127.0.0.1:${options.port}` && host !== `localhost:${options.port}`) {
    throw forbidden(`Host ${JSON.stringify(req.headers.host ?? '')} is not this server (127.0.0.1:${options.port}).`);
  }
  const origin = req.headers.origin;
  let allowedOrigin: string | undefined;
  if (origin !== undefined) {
    const own = origin === `http://127.0.0.1:${options.port}` || origin === `http://localhost:${options.port}`;
    if (!own && !options.allowedOrigins.includes(origin)) throw forbidden(`Cross-origin requests from ${JSON.stringify(origin)} are not allowed.`);
    if (!own) allowedOrigin = origin;
  } else if (req.headers['sec-fetch-site'] === 'cross-site') {
    throw forbidden('Cross-site requests are not allowed.');
  }
  if (options.token !== undefined && req.method !== 'OPTIONS') {
    const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (!match?.[1] || !sameToken(match[1].trim(), options.token)) {
      throw new GcsApiError(401, 'required', 'Anonymous caller does not have storage access: a valid bearer token is required.', 'Authorization');
    }
  }
  return allowedOrigin;
}

/** CORS headers for an allowed origin; the preflight answer lists what the JSON and upload APIs use. */
export function corsHeaders(origin: string, preflight: boolean): Record<string, string> {
  return {
    'Access-Control-Allow-Origin': origin,
    Vary: 'Origin',
    'Access-Control-Expose-Headers': 'Location, Range, Content-Range, ETag, X-Goog-Hash, X-Goog-Generation, X-Goog-Metageneration, X-GUploader-UploadID',
    ...(preflight
      ? {
          'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE',
          'Access-Control-Allow-Headers': 'Authorization, Content-Type, Content-Range, Range, X-Goog-Hash, X-Upload-Content-Type, X-Upload-Content-Length',
          'Access-Control-Max-Age': '600',
        }
      : {}),
  };
}

export function answerPreflight(res: ServerResponse, origin: string): void {
  res.writeHead(204, { ...corsHeaders(origin, true), 'Content-Length': 0 });
  res.end();
}
