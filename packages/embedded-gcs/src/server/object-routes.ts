import { parsePreconditions, checkPreconditions } from '../store/preconditions.js';
import { sendMedia } from './download.js';
import { readJson, sendEmpty, sendJson } from './http-io.js';
import { listPage, parseListOptions } from './listing.js';
import { objectPatch } from './properties.js';
import { objectResource } from './resources.js';
import type { RequestContext, Router } from './router.js';
import type { ServerContext } from './server-context.js';

const OBJECT_PATH = '/b/:bucket/o/:object';

/** objects.get (metadata, or the bytes with alt=media), list, patch and delete. */
export function addObjectRoutes(router: Router, ctx: ServerContext): void {
  const get = async ({ req, res, params, query }: RequestContext, media: boolean): Promise<void> => {
    const found = ctx.catalog.requireObject(params.bucket ?? '', params.object ?? '', query.get('generation'));
    checkPreconditions(found, parsePreconditions(query), true);
    // an object handed over in process gets its hashes here, on the first request (x-goog-hash included)
    const object = await ctx.catalog.hashed(found);
    if (media) await sendMedia(req, res, object, ctx.catalog.blobs);
    else sendJson(res, 200, objectResource(object, ctx.baseUrl()));
  };
  router.add('GET', OBJECT_PATH, (request) => get(request, request.query.get('alt') === 'media'));
  // mediaLink's address.
  router.add('GET', `/download${OBJECT_PATH}`, (request) => get(request, true));

  router.add('GET', '/b/:bucket/o', async ({ res, params, query }) => {
    const bucket = params.bucket ?? '';
    const page = listPage(ctx.catalog.sortedNames(bucket), parseListOptions(query));
    const base = ctx.baseUrl();
    const items: Record<string, unknown>[] = [];
    // one object at a time: a page of objects whose hashes are not computed yet is read in turn, not all at once
    for (const name of page.names) items.push(objectResource(await ctx.catalog.hashed(ctx.catalog.requireObject(bucket, name)), base));
    sendJson(res, 200, {
      kind: 'storage#objects',
      ...(page.prefixes.length > 0 ? { prefixes: page.prefixes } : {}),
      items,
      ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
    });
  });

  router.add('PATCH', OBJECT_PATH, async ({ req, res, params, query }) => {
    const patch = objectPatch(await readJson(req));
    const object = await ctx.catalog.patchObject(params.bucket ?? '', params.object ?? '', patch, parsePreconditions(query), query.get('generation'));
    sendJson(res, 200, objectResource(await ctx.catalog.hashed(object), ctx.baseUrl()));
  });

  router.add('DELETE', OBJECT_PATH, async ({ res, params, query }) => {
    await ctx.catalog.deleteObject(params.bucket ?? '', params.object ?? '', parsePreconditions(query), query.get('generation'));
    sendEmpty(res, 204);
  });
}
