import pg from 'pg';
import { redactUrl } from '../common/logger.js';
import { DemoError } from './errors.js';

const EXPECTED = 'expected postgres://user:password@host:port/database';

/** Rejects a DATABASE_URL that is not a Postgres URL before anything connects with it (pg would read `notaurl` as a host name). */
export function checkDatabaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DemoError(`DATABASE_URL is not a URL (${EXPECTED}); fix it, or unset it to use the embedded Postgres`, 2);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new DemoError(`DATABASE_URL starts with "${parsed.protocol}//", not postgres:// (${EXPECTED}); fix it, or unset it to use the embedded Postgres`, 2);
  }
  if (parsed.hostname === '' && !parsed.searchParams.has('host')) {
    throw new DemoError(`DATABASE_URL ${redactUrl(url)} names no host (${EXPECTED}); fix it, or unset it to use the embedded Postgres`, 2);
  }
  return url;
}

function where(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname || parsed.searchParams.get('host') || 'localhost'}:${parsed.port || '5432'}`;
}

/** A connection failure in one sentence: what failed (host and port, password masked) and what to do. */
export function explainConnectError(error: unknown, url: string): DemoError {
  const e = error as { code?: string; message?: string };
  const at = where(url);
  const shown = `DATABASE_URL ${redactUrl(url)}`;
  const user = decodeURIComponent(new URL(url).username || 'postgres');
  switch (e.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new DemoError(`cannot resolve the host of ${shown}; check the host name`, 2, { cause: error });
    case 'ECONNREFUSED':
      return new DemoError(`nothing accepts connections at ${at} (${shown}); check that Postgres runs there and that the port is right`, 2, { cause: error });
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new DemoError(`cannot reach ${at} (${shown}): ${e.code}; check the network, a firewall, or the host`, 2, { cause: error });
    case '28P01':
    case '28000':
      return new DemoError(`Postgres at ${at} refused user "${user}" (${e.message ?? 'authentication failed'}); check the user and password in DATABASE_URL`, 2, { cause: error });
    case '3D000':
      return new DemoError(`Postgres at ${at} has no database named in ${shown}; create it or fix the URL's database name`, 2, { cause: error });
    default:
      if (/timeout/i.test(e.message ?? '')) return new DemoError(`no answer from Postgres at ${at} within 10 s (${shown}); check the host, the port and the network`, 2, { cause: error });
      return new DemoError(`cannot connect to Postgres at ${at} (${shown}): ${(e.message ?? String(error)).split('\n')[0]}`, 2, { cause: error });
  }
}

/** One `select 1` before the run creates or reads anything, so a wrong URL fails in seconds, explained. */
export async function checkReachable(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  // pg emits 'error' on the client for a connection lost later; without a listener that would crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw explainConnectError(error, url);
  } finally {
    await client.end().catch(() => undefined);
  }
}
