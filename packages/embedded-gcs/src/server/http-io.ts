import type { IncomingMessage, ServerResponse } from 'node:http';
import { GcsApiError, invalid } from '../errors.js';

/** The largest JSON request body accepted (object resources and compose requests are small). */
const MAX_JSON_BODY_BYTES = 4 * 1024 * 1024;

/** GCS's JSON error body, as @google-cloud/storage's ApiError reads it. */
export function errorBody(error: GcsApiError): object {
  return {
    error: {
      code: error.code,
      message: error.message,
      errors: [
        {
          message: error.message,
          domain: 'global',
          reason: error.reason,
          ...(error.location ? { locationType: 'header', location: error.location } : {}),
        },
      ],
    },
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, 'Content-Length': 0 });
  res.end();
}

export function toApiError(error: unknown): GcsApiError {
  if (error instanceof GcsApiError) return error;
  return new GcsApiError(500, 'backendError', error instanceof Error ? error.message : String(error));
}

export function sendError(res: ServerResponse, error: unknown): void {
  const apiError = toApiError(error);
  if (apiError.code === 304) {
    sendEmpty(res, 304);
    return;
  }
  sendJson(res, apiError.code, errorBody(apiError));
}

export async function readBody(req: IncomingMessage, limit = MAX_JSON_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new GcsApiError(413, 'uploadTooLarge', `The request body is larger than ${limit} bytes.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** True for `application/json` with or without parameters. */
export function isJsonContentType(value: string | undefined): boolean {
  return /^application\/json\s*(;|$)/i.test(value ?? '');
}

export function parseJsonObject(bytes: Buffer, what: string): Record<string, unknown> {
  if (bytes.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw invalid(`${what} is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalid(`${what} must be a JSON object`);
  return parsed as Record<string, unknown>;
}

/**
 * The request body as a JSON object ({} when empty). A body must say `application/json`: a browser
 * cannot send that cross-site without a CORS preflight, which the server refuses.
 */
export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readBody(req);
  if (body.length === 0) return {};
  if (!isJsonContentType(req.headers['content-type'])) {
    throw invalid(`A JSON request body needs Content-Type application/json (got ${JSON.stringify(req.headers['content-type'] ?? '')})`);
  }
  return parseJsonObject(body, 'The request body');
}
