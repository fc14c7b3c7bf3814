/** What every route gets: configuration, the warehouse, the cache and the export runs; plus the request decorations. */
import type { Principal } from './auth/verifier.js';
import type { ResponseCache } from './cache.js';
import type { ApiConfig, Role } from './config.js';
import type { ExportRuns } from './exports.js';
import type { Datasets } from './queries/marketplace.js';
import type { QueryStats, TableRef, Warehouse } from './warehouse.js';

export interface ApiContext {
  config: ApiConfig;
  datasets: Datasets;
  warehouse: Warehouse;
  cache: ResponseCache;
  exports: ExportRuns | null;
  tables: TableRef[];
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Roles allowed on the route; a route without it is public (health, OpenAPI). */
    roles?: readonly Role[];
  }
  interface FastifyRequest {
    principal: Principal | null;
    /** BigQuery jobs this request ran, for the request log. */
    queryStats: QueryStats[];
    cacheSource: string | null;
  }
}
