/**
 * Serves a value through the response cache with HTTP validators: `ETag` on every answer, 304 when
 * `If-None-Match` matches, and `Cache-Control: private` (the body depends on the caller's token).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Computed } from '../cache.js';
import type { ApiContext } from '../context.js';
import type { QueryStats } from '../warehouse.js';


function matches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*');
}

export async function cachedReply<T>(
  ctx: ApiContext,
  request: FastifyRequest,
  reply: FastifyReply,
  key: string,
  compute: () => Promise<Computed<T, QueryStats>>,
): Promise<FastifyReply> {
  const found = await ctx.cache.get(key, compute);
  request.cacheSource = found.source;
  if (found.source !== 'hit') request.queryStats.push(...found.value.stats);
  const ttl = ctx.cache.ttlMs;
  const remaining = ttl > 0 ? Math.max(0, Math.ceil((found.storedAt + ttl - Date.now()) / 1000)) : 0;
  reply.header('etag', found.etag);
  reply.header('cache-control', remaining > 0 ? `private, max-age=${remaining}` : 'private, no-cache');
  reply.header('vary', 'Authorization');
  reply.header('x-cache', found.source);
  if (matches(request.headers['if-none-match'], found.etag)) return reply.code(304).send();
  // The bytes the ETag was computed over; no second serialization per hit.
  return reply.type('application/json; charset=utf-8').send(found.json);
}
