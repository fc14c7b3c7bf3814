import { invalid } from '../errors.js';
import { validateBucketName } from '../names.js';
import { readJson, sendEmpty, sendJson } from './http-io.js';
import { bucketResource } from './resources.js';
import type { Router } from './router.js';
import type { ServerContext } from './server-context.js';

const STORAGE_CLASSES = new Set(['STANDARD', 'NEARLINE', 'COLDLINE', 'ARCHIVE', 'MULTI_REGIONAL', 'REGIONAL', 'DURABLE_REDUCED_AVAILABILITY']);

function labelsOf(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid('Invalid value for labels: must be an object');
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
}

/** buckets.insert / get / list / delete. Every bucket belongs to every project: there is one namespace, as in GCS. */
export function addBucketRoutes(router: Router, ctx: ServerContext): void {
  router.add('POST', '/b', async ({ req, res }) => {
    const body = await readJson(req);
    const name = body.name;
    if (typeof name !== 'string') throw invalid('Required field: name');
    validateBucketName(name);
    const storageClass = typeof body.storageClass === 'string' ? body.storageClass.toUpperCase() : 'STANDARD';
    if (!STORAGE_CLASSES.has(storageClass)) throw invalid(`Invalid storageClass ${JSON.stringify(body.storageClass)}`);
    const labels = labelsOf(body.labels);
    const bucket = await ctx.catalog.createBucket(name, {
      location: typeof body.location === 'string' ? body.location.toUpperCase() : 'US',
      storageClass,
      ...(labels ? { labels } : {}),
    });
    sendJson(res, 200, bucketResource(bucket, ctx.baseUrl()));
  });

  router.add('GET', '/b', async ({ res, query }) => {
    const prefix = query.get('prefix') ?? '';
    const all = ctx.catalog.listBuckets().filter((b) => b.name.startsWith(prefix));
    const raw = query.get('maxResults');
    if (raw !== null && !/^\d+$/.test(raw)) throw invalid(`Invalid value for maxResults: ${JSON.stringify(raw)}`);
    const size = Math.min(Number(raw ?? 1000) || 1000, 1000);
    const after = query.get('pageToken');
    const from = after ? all.findIndex((b) => b.name > Buffer.from(after, 'base64url').toString('utf8')) : 0;
    const start = from < 0 ? all.length : from;
    const page = all.slice(start, start + size);
    const more = start + size < all.length;
    sendJson(res, 200, {
      kind: 'storage#buckets',
      items: page.map((b) => bucketResource(b, ctx.baseUrl())),
      ...(more ? { nextPageToken: Buffer.from(page[page.length - 1]!.name).toString('base64url') } : {}),
    });
  });

  router.add('GET', '/b/:bucket', async ({ res, params }) => {
    sendJson(res, 200, bucketResource(ctx.catalog.getBucket(params.bucket ?? ''), ctx.baseUrl()));
  });

  router.add('DELETE', '/b/:bucket', async ({ res, params }) => {
    await ctx.catalog.deleteBucket(params.bucket ?? '');
    sendEmpty(res, 204);
  });
}
