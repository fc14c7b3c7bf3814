import type { IncomingMessage, ServerResponse } from 'node:http';
import { GcsApiError, invalid, notFound } from '../errors.js';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  /** Path parameters named in the route template, URL-decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
}

export type Handler = (ctx: RequestContext) => Promise<void>;

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

/** A minimal method + path-template router (`/b/:bucket/o/:object`); `:name` matches one path segment. */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, template: string, handler: Handler): this {
    const names: string[] = [];
    const source = template
      .split('/')
      .map((segment) => {
        if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(segment.slice(1));
        return '([^/]+)';
      })
      .join('/');
    this.routes.push({ method, pattern: new RegExp(`^${source}/?$`), names, handler });
    return this;
  }

  /** The handler for a request, or a GCS-shaped 404/405 error. */
  match(method: string, path: string): { handler: Handler; params: Record<string, string> } {
    let pathMatched = false;
    for (const route of this.routes) {
      const match = route.pattern.exec(path);
      if (!match) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        const raw = match[i + 1] ?? '';
        try {
          params[name] = decodeURIComponent(raw);
        } catch {
          throw invalid(`Malformed percent-encoding in ${name} ${JSON.stringify(raw)}`);
        }
      });
      return { handler: route.handler, params };
    }
    if (pathMatched) throw new GcsApiError(405, 'methodNotAllowed', `Method ${method} is not supported on ${path}`);
    throw notFound(`Not Found: ${method} ${path} is not part of the embedded GCS API`);
  }
}
