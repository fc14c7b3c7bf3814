/**
 * The OpenAPI 3.1 document, built from the schemas the routes were registered with (collected by an
 * onRoute hook), so the document cannot drift from what the server validates.
 */
import type { RouteOptions } from 'fastify';
import { problemSchema } from './problem.js';

interface JsonSchema {
  properties?: Record<string, JsonSchema & { description?: string }>;
  required?: readonly string[];
  [key: string]: unknown;
}

interface RouteSchema {
  summary?: string;
  querystring?: JsonSchema;
  params?: JsonSchema;
  body?: JsonSchema;
  response?: Record<string, JsonSchema>;
}

type Operation = Record<string, unknown>;

function parameters(schema: JsonSchema | undefined, location: 'query' | 'path'): object[] {
  return Object.entries(schema?.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name, in: location, required: location === 'path' || (schema?.required ?? []).includes(name),
      schema: rest, ...(description !== undefined ? { description } : {}),
    };
  });
}

const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });

export class OpenApiCollector {
  private readonly paths: Record<string, Record<string, Operation>> = {};

  /** The onRoute hook; HEAD routes Fastify adds by itself are left out. */
  readonly onRoute = (route: RouteOptions): void => {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== 'HEAD');
    const schema = (route.schema ?? {}) as RouteSchema;
    const roles = (route.config as { roles?: readonly string[] } | undefined)?.roles;
    const path = route.url.replace(/:([A-Za-z_]+)/g, '{$1}');
    for (const method of methods) {
      const responses: Record<string, object> = {};
      for (const [status, body] of Object.entries(schema.response ?? {})) responses[status] = { description: 'OK', content: { 'application/json': { schema: body } } };
      if (schema.querystring || schema.params || schema.body) responses['400'] = problemResponse('A parameter is invalid; `parameter` names it.');
      if (roles) {
        responses['401'] = problemResponse('No token, or an expired, tampered or foreign one.');
        responses['403'] = problemResponse(`The token's role is not one of: ${roles.join(', ')}.`);
        responses['429'] = problemResponse('Too many requests from this principal.');
      }
      responses['500'] = problemResponse('Unexpected error; quote `instance` (the request id).');
      const operation: Operation = {
        summary: schema.summary ?? route.url,
        parameters: [...parameters(schema.querystring, 'query'), ...parameters(schema.params, 'path')],
        responses,
        ...(roles ? { security: [{ bearer: [] }], 'x-roles': roles } : {}),
        ...(schema.body ? { requestBody: { required: false, content: { 'application/json': { schema: schema.body } } } } : {}),
      };
      (this.paths[path] ??= {})[method.toLowerCase()] = operation;
    }
  };

  document(): object {
    // Components are addressed by name, not by the $id Fastify's schema store uses.
    const problem = Object.fromEntries(Object.entries(problemSchema).filter(([k]) => k !== '$id'));
    return {
      openapi: '3.1.0',
      info: { title: 'Landform analytics API', version: '1', description: 'KPIs, time series and the export trigger, served from the Landform marts.' },
      paths: this.paths,
      components: {
        schemas: { Problem: problem },
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    };
  }
}
