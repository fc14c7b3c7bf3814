import type { IncomingMessage, ServerResponse } from 'node:http';
import { BigQueryApiError } from '../engine/types.js';

/** BigQuery's `error.status` for each HTTP code it uses. */
const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'ALREADY_EXISTS',
  413: 'INVALID_ARGUMENT',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
};

/** The largest JSON request body accepted (insertAll's real limit is 10 MB; leave room). */
const MAX_JSON_BODY_BYTES = 64 * 1024 * 1024;

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

export function sendError(res: ServerResponse, error: unknown): void {
  const apiError = toApiError(error);
  sendJson(res, apiError.httpStatus, errorBody(apiError.httpStatus, [{ reason: apiError.reason, message: apiError.message, ...(apiError.location ? { location: apiError.location } : {}) }]));
}

/** Any thrown value as a BigQueryApiError; engine errors already are one, anything else is an internal error. */
export function toApiError(error: unknown): BigQueryApiError {
  if (error instanceof BigQueryApiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new BigQueryApiError('internalError', message);
}

export async function readBody(req: IncomingMessage, limit = MAX_JSON_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BigQueryApiError('invalid', `request body larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The request body parsed as a JSON object ({} when empty). */
export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readBody(req);
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
