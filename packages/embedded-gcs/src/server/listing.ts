import { invalid } from '../errors.js';

export interface ListOptions {
  prefix: string;
  delimiter: string;
  startOffset: string;
  endOffset: string;
  includeTrailingDelimiter: boolean;
  maxResults: number;
  /** The last entry of the previous page: an object name, or a collapsed prefix (`afterPrefix`). */
  after?: string;
  afterPrefix?: boolean;
}

export interface ListPage {
  names: string[];
  prefixes: string[];
  nextPageToken?: string;
}

const DEFAULT_MAX_RESULTS = 1000;

const utf8Compare = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/**
 * Page tokens carry the last entry returned and whether it was a prefix, so a page stays correct
 * when objects change in between (an object named `dir/` and the prefix `dir/` are different entries).
 */
function encodeToken(after: string, isPrefix: boolean): string {
  return Buffer.from(`${isPrefix ? 'p' : 'n'}:${after}`, 'utf8').toString('base64url');
}

function decodeToken(token: string): { after: string; afterPrefix: boolean } {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (!/^[pn]:/.test(text)) throw invalid(`Invalid pageToken ${JSON.stringify(token)}`);
  return { after: text.slice(2), afterPrefix: text.startsWith('p') };
}

export function parseListOptions(query: URLSearchParams): ListOptions {
  const raw = query.get('maxResults');
  let maxResults = DEFAULT_MAX_RESULTS;
  if (raw !== null && raw !== '') {
    if (!/^\d+$/.test(raw)) throw invalid(`Invalid value for maxResults: ${JSON.stringify(raw)}`);
    // GCS caps a page at 1000 entries whatever is asked.
    maxResults = Math.min(Number(raw), DEFAULT_MAX_RESULTS) || DEFAULT_MAX_RESULTS;
  }
  const token = query.get('pageToken');
  return {
    prefix: query.get('prefix') ?? '',
    delimiter: query.get('delimiter') ?? '',
    startOffset: query.get('startOffset') ?? '',
    endOffset: query.get('endOffset') ?? '',
    includeTrailingDelimiter: query.get('includeTrailingDelimiter') === 'true',
    maxResults,
    ...(token ? decodeToken(token) : {}),
  };
}

/**
 * One page of objects.list over `sorted` names (UTF-8 byte order): names under `prefix` within
 * [startOffset, endOffset), with everything past the next `delimiter` collapsed into one prefix.
 * Names and prefixes share the page budget, as in GCS.
 */
export function listPage(sorted: string[], options: ListOptions): ListPage {
  const { prefix, delimiter } = options;
  const names: string[] = [];
  const prefixes: string[] = [];
  let count = 0;
  let last: string | undefined;
  let lastIsPrefix = false;
  let start = 0;
  let from = options.after ?? options.startOffset;
  if (utf8Compare(prefix, from) > 0) from = prefix;
  if (from) {
    // Binary search for the first name at or after `from`.
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (utf8Compare(sorted[mid]!, from) < 0) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  for (let i = start; i < sorted.length; i++) {
    const name = sorted[i]!;
    if (!name.startsWith(prefix)) {
      if (utf8Compare(name, prefix) > 0) break;
      continue;
    }
    if (options.endOffset && utf8Compare(name, options.endOffset) >= 0) break;
    if (options.after !== undefined && (options.afterPrefix ? name.startsWith(options.after) : name === options.after)) continue;
    const cut = delimiter ? name.indexOf(delimiter, prefix.length) : -1;
    if (cut >= 0) {
      const collapsed = name.slice(0, cut + delimiter.length);
      if (collapsed === last) {
        continue;
      }
      if (count === options.maxResults) return { names, prefixes, nextPageToken: encodeToken(last!, lastIsPrefix) };
      prefixes.push(collapsed);
      if (options.includeTrailingDelimiter && collapsed === name) names.push(name);
      last = collapsed;
      lastIsPrefix = true;
      count += 1;
      continue;
    }
    if (count === options.maxResults) return { names, prefixes, nextPageToken: encodeToken(last!, lastIsPrefix) };
    names.push(name);
    last = name;
    lastIsPrefix = false;
    count += 1;
  }
  return { names, prefixes };
}
