import { conditionNotMet, invalid } from '../errors.js';
import type { Digest } from '../hashing.js';
import { validateObjectName } from '../names.js';
import type { Catalog } from '../store/catalog.js';
import { checkPreconditions, parsePreconditions } from '../store/preconditions.js';
import type { ObjectProperties, ObjectRecord } from '../store/types.js';
import { readJson, sendJson } from './http-io.js';
import { objectProperties } from './properties.js';
import { objectResource } from './resources.js';
import type { RequestContext, Router } from './router.js';
import type { ServerContext } from './server-context.js';

const MAX_COMPOSE_SOURCES = 32;
const MAX_COMPONENTS = 1024;

function ownProperties(object: ObjectRecord): ObjectProperties {
  const { contentType, contentEncoding, contentDisposition, contentLanguage, cacheControl, metadata } = object;
  return Object.fromEntries(Object.entries({ contentType, contentEncoding, contentDisposition, contentLanguage, cacheControl, metadata }).filter(([, v]) => v !== undefined));
}

/** Streams the bytes of `sources`, in order, into one new blob; returns it uncommitted. */
async function concatenate(catalog: Catalog, sources: ObjectRecord[]): Promise<{ blob: string; digest: Digest }> {
  const writer = catalog.blobs.create();
  try {
    for (const source of sources) {
      for await (const chunk of catalog.blobs.read(source.blob, 0, source.size) as AsyncIterable<Buffer>) await writer.write(chunk);
    }
    return { blob: writer.id, digest: await writer.finish() };
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

/**
 * rewriteTo (what @google-cloud/storage's file.copy sends; always done in one call here), the older
 * copyTo, and compose. Metadata in the request body overrides the source's; the destination's
 * preconditions come from the query, the source's from `ifSource...` parameters.
 */
export function addCopyRoutes(router: Router, ctx: ServerContext): void {
  const copy = async ({ req, res, params, query }: RequestContext, rewrite: boolean): Promise<void> => {
    const source = ctx.catalog.requireObject(params.bucket ?? '', params.object ?? '', query.get('sourceGeneration'));
    checkPreconditions(source, parsePreconditions(query, true));
    const destBucket = params.destBucket ?? '';
    const destName = params.destObject ?? '';
    validateObjectName(destName);
    ctx.catalog.getBucket(destBucket);
    const preconditions = parsePreconditions(query);
    checkPreconditions(ctx.catalog.getObject(destBucket, destName), preconditions);
    const properties = { ...ownProperties(source), ...objectProperties(await readJson(req)) };
    const { blob, digest } = await concatenate(ctx.catalog, [source]);
    const record = await ctx.catalog.commitObject({
      bucket: destBucket,
      name: destName,
      blob,
      digest,
      properties,
      preconditions,
      ...(source.componentCount !== undefined ? { componentCount: source.componentCount } : {}),
    });
    const resource = objectResource(record, ctx.baseUrl());
    if (!rewrite) {
      sendJson(res, 200, resource);
      return;
    }
    const size = String(record.size);
    sendJson(res, 200, { kind: 'storage#rewriteResponse', totalBytesRewritten: size, objectSize: size, done: true, resource });
  };
  router.add('POST', '/b/:bucket/o/:object/rewriteTo/b/:destBucket/o/:destObject', (request) => copy(request, true));
  router.add('POST', '/b/:bucket/o/:object/copyTo/b/:destBucket/o/:destObject', (request) => copy(request, false));

  router.add('POST', '/b/:bucket/o/:object/compose', async ({ req, res, params, query }) => {
    const bucket = params.bucket ?? '';
    const name = params.object ?? '';
    validateObjectName(name);
    ctx.catalog.getBucket(bucket);
    const body = await readJson(req);
    const list = body.sourceObjects;
    if (!Array.isArray(list) || list.length === 0) throw invalid('Required field: sourceObjects');
    if (list.length > MAX_COMPOSE_SOURCES) throw invalid(`The number of source components provided (${list.length}) exceeds the maximum (${MAX_COMPOSE_SOURCES}).`);
    const sources = list.map((entry: unknown) => {
      const item = (entry ?? {}) as { name?: unknown; generation?: unknown; objectPreconditions?: { ifGenerationMatch?: unknown } };
      if (typeof item.name !== 'string') throw invalid('Required field: sourceObjects[].name');
      const generation = item.generation === undefined || item.generation === null ? null : String(item.generation);
      const source = ctx.catalog.requireObject(bucket, item.name, generation);
      const expected = item.objectPreconditions?.ifGenerationMatch;
      if (expected !== undefined && String(expected) !== source.generation) throw conditionNotMet('sourceObjects.objectPreconditions.ifGenerationMatch');
      return source;
    });
    const componentCount = sources.reduce((sum, s) => sum + (s.componentCount ?? 1), 0);
    if (componentCount > MAX_COMPONENTS) throw invalid(`The composed object would have ${componentCount} components, more than ${MAX_COMPONENTS}.`);
    const preconditions = parsePreconditions(query);
    checkPreconditions(ctx.catalog.getObject(bucket, name), preconditions);
    const destination = (body.destination ?? {}) as Record<string, unknown>;
    const { blob, digest } = await concatenate(ctx.catalog, sources);
    const record = await ctx.catalog.commitObject({ bucket, name, blob, digest, properties: objectProperties(destination), preconditions, componentCount });
    sendJson(res, 200, objectResource(record, ctx.baseUrl()));
  });
}
