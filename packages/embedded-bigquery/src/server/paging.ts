import { BigQueryApiError } from '../engine/types.js';

/** Page tokens are plain offsets: the server keeps every list in a stable order. */
export function parseOffset(pageToken: string | null, startIndex: string | null = null): number {
  const raw = pageToken ?? startIndex;
  if (raw === null || raw === '') return 0;
  if (!/^\d+$/.test(raw)) throw new BigQueryApiError('invalid', `invalid ${pageToken !== null ? 'pageToken' : 'startIndex'} ${JSON.stringify(raw)}`);
  return Number(raw);
}

export function parseMaxResults(value: string | null, fallback: number): number {
  if (value === null || value === '') return fallback;
  if (!/^\d+$/.test(value)) throw new BigQueryApiError('invalid', `invalid maxResults ${JSON.stringify(value)}: must be a non-negative integer`);
  return Number(value);
}

export function paginate<T>(items: T[], query: URLSearchParams, defaultPageSize: number): { page: T[]; nextPageToken?: string } {
  const offset = parseOffset(query.get('pageToken'));
  const size = parseMaxResults(query.get('maxResults'), defaultPageSize) || defaultPageSize;
  const page = items.slice(offset, offset + size);
  const next = offset + size;
  return next < items.length ? { page, nextPageToken: String(next) } : { page };
}
