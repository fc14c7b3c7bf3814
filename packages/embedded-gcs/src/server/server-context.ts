import type { Logger } from '../logger.js';
import type { Catalog } from '../store/catalog.js';

/** What every route module needs. */
export interface ServerContext {
  catalog: Catalog;
  logger: Logger;
  /** Base URL of this server, for selfLink, mediaLink and resumable session URIs. */
  baseUrl: () => string;
}
