/** createLogger masks credentials in every field and message of a log line (a real child process writing to stderr). */
import { execFile } from 'node:child_process';
import { describe, expect, test } from '@jest/globals';

function logFromChild(script: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env: { ...process.env, NODE_OPTIONS: '', ...env }, timeout: 60_000 }, (error, _stdout, stderr) =>
      error ? reject(error) : resolve(stderr),
    );
  });
}

describe('createLogger', () => {
  test('no password survives in a message, a field, a nested error or a libpq string', async () => {
    const script = `
      import { createLogger } from './common/logger.ts';
      const log = createLogger('t');
      log.error({ err: new Error('connect to postgres://loader:Field-Pw1@db:5432/x failed'), nested: { url: 'postgres://u@h/d?password=Query-Pw2' } }, 'cannot reach postgres://loader:Msg-Pw3@db/x');
      log.warn('host=db password=Kw-Pw4 dbname=x; getaddrinfo ENOTFOUND Piece-Pw5');
    `;
    const stderr = await logFromChild(script, { DATABASE_URL: 'postgres://loader:Hash@Piece-Pw5#x@db/fleet', LANDFORM_LOG_LEVEL: 'info' });
    const lines = stderr.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    for (const secret of ['Field-Pw1', 'Query-Pw2', 'Msg-Pw3', 'Kw-Pw4', 'Piece-Pw5']) expect(stderr).not.toContain(secret);
    expect(lines[0]).toMatchObject({ msg: 'cannot reach postgres://loader:***@db/x', nested: { url: 'postgres://u@h/d?password=***' } });
  });
});
