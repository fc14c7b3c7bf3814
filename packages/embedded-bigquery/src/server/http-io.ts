import type { IncomingMessage, ServerResponse } from 'node:http';
import { BigQueryApiError } from '../engine/types.js';
import { HttpError } from './http-error.js';

/** BigQuery's `error.status` for each HTTP code it uses. */
const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'ALREADY_EXISTS',
  413: 'INVALID_ARGUMENT',
  415: 'INVALID_ARGUMENT',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
};

export interface ErrorDetail {
  reason: string;
  message: string;
  location?: string;
}

/** BigQuery's JSON error body, as @google-cloud/common's ApiError and the Dataform CLI read it. */
export function errorBody(code: number, errors: ErrorDetail[]): object {
  const first = errors[0] ?? { reason: 'internalError', message: 'unknown error' };
  return {
    error: {
      code,
      message: first.message,
      errors: errors.map((e) => ({ message: e.message, domain: 'global', reason: e.reason, ...(e.location ? { location: e.location, locationType: 'other' } : {}) })),
      status: STATUS_NAMES[code] ?? 'UNKNOWN',
    },
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Length': 0, ...headers });
  res.end();
}

export function sendError(res: ServerResponse, error: unknown, headers: Record<string, string> = {}): void {
  const e = toHttpError(error);
  sendJson(res, e.httpStatus, errorBody(e.httpStatus, [{ reason: e.reason, message: e.message, ...(e.location ? { location: e.location } : {}) }]), headers);
}

/** Any thrown value as an HttpError: engine errors keep their reason and status, anything else is an internal error. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof BigQueryApiError) return new HttpError(error.httpStatus, error.reason, error.message, error.location);
  const message = error instanceof Error ? error.message : String(error);
  return new HttpError(500, 'internalError', message);
}

/** A 413 naming the limit and how to raise it. */
export function tooLarge(what: string, limit: number, option: string): HttpError {
  return new HttpError(413, 'invalid', `${what} is larger than the embedded BigQuery's limit of ${limit} bytes (option ${option})`);
}

/**
 * The whole request body, refused with a 413 as soon as it passes `limit` bytes (a declared
 * Content-Length over the limit is refused before anything is read).
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) throw tooLarge('the request body', limit, 'maxJsonBodyBytes');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge('the request body', limit, 'maxJsonBodyBytes');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The request body parsed as a JSON object ({} when empty), at most `limit` bytes. */
export async function readJson(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  const body = await readBody(req, limit);
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new BigQueryApiError('invalid', `request body is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new BigQueryApiError('invalid', 'request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}
