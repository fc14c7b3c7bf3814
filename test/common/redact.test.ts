/**
 * redactUrl / redactText over the forms a connection URL carries credentials in. Each case's
 * expected text is written by hand; the invariant checked on every case is that no piece of the
 * password (3 characters or more) survives.
 */
import { describe, expect, test } from '@jest/globals';
import { databaseUrlProblem, redactText, redactUrl, secretsOf } from '../../common/redact.js';

const cases: { form: string; url: string; expected: string; secret: string }[] = [
  { form: 'userinfo password', url: 'postgres://loader:s3cret-pw@db.internal:5432/fleet', expected: 'postgres://loader:***@db.internal:5432/fleet', secret: 's3cret-pw' },
  { form: 'percent-encoded password', url: 'postgres://loader:p%40ss%23word@db:5432/fleet', expected: 'postgres://loader:***@db:5432/fleet', secret: 'p%40ss%23word' },
  { form: 'password= query parameter', url: 'postgres://loader@db:5432/fleet?password=qu3ry-pw&sslmode=require', expected: 'postgres://loader@db:5432/fleet?password=***&sslmode=require', secret: 'qu3ry-pw' },
  { form: 'sslpassword and passfile', url: 'postgresql://db/fleet?sslpassword=k3y-pw&passfile=/home/me/.pgpass&application_name=x', expected: 'postgresql://db/fleet?sslpassword=***&passfile=***&application_name=x', secret: 'k3y-pw' },
  { form: 'unescaped @ before #', url: 'postgres://loader:p@ss#w0rd@db:5432/fleet', expected: 'postgres://loader:***@db:5432/fleet', secret: 'ss#w0rd' },
  { form: 'unescaped / and ?', url: 'postgres://loader:a/b?cd3f@db/fleet', expected: 'postgres://loader:***@db/fleet', secret: 'a/b?cd3f' },
  { form: 'several @ in the password', url: 'postgres://loader:x@y@zz9@db/fleet', expected: 'postgres://loader:***@db/fleet', secret: 'x@y@zz9' },
  { form: 'user that is really a password piece', url: 'postgres://lo#ader:pw1234@db/fleet', expected: 'postgres://***:***@db/fleet', secret: 'pw1234' },
  { form: 'unparseable, no scheme host', url: 'postgres://:::p4ssword@', expected: 'postgres://:***@', secret: 'p4ssword' },
  { form: 'libpq keyword string', url: 'host=db user=loader password=kw-s3cret dbname=fleet', expected: 'host=db user=loader password=*** dbname=fleet', secret: 'kw-s3cret' },
  { form: 'no credentials', url: 'postgres://db:5432/fleet?sslmode=require', expected: 'postgres://db:5432/fleet?sslmode=require', secret: '' },
];

describe('redactUrl', () => {
  test.each(cases)('$form', ({ url, expected, secret }) => {
    const redacted = redactUrl(url);
    expect(redacted).toBe(expected);
    for (const piece of secret.split(/[@#/?]/).filter((p) => p.length >= 3)) expect(redacted).not.toContain(piece);
  });
});

describe('redactText', () => {
  test('masks URLs and key=value secrets inside a message, and the known secrets wherever they appear', () => {
    const url = 'postgres://loader:p@ss#w0rd@db:5432/fleet';
    const message = `cannot connect to ${url}: getaddrinfo ENOTFOUND ss#w0rd (password=hunter22)`;
    const out = redactText(message, secretsOf(url));
    expect(out).toBe('cannot connect to postgres://loader:***@db:5432/fleet: getaddrinfo ENOTFOUND *** (password=***)');
  });

  test('secretsOf lists the password raw and decoded, and secret parameters', () => {
    expect(secretsOf('postgres://u:p%40ss@h/d?sslpassword=abc123').sort()).toEqual(['abc123', 'p%40ss', 'p@ss', 'p', 'ss'].sort());
  });
});

describe('databaseUrlProblem', () => {
  test.each([
    ['postgres://loader:pw@db:5432/fleet', undefined],
    ['postgresql://loader@db/fleet?sslmode=require&application_name=a@b', undefined],
    ['postgres://loader:p%40ss%23@db/fleet', undefined],
  ])('%s is fine', (url, problem) => {
    expect(databaseUrlProblem(url)).toBe(problem);
  });

  test.each([
    ['notaurl', 'is not a postgres:// URL'],
    ['mysql://u:p@h/d', 'is not a postgres:// URL'],
    ['postgres://loader:p@ss#w0rd@db/fleet', 'percent-encode'],
    ['postgres://loader:a/b@db/fleet', 'percent-encode'],
    ['postgres://loader:a?b@db/fleet', 'percent-encode'],
  ])('%s: %s', (url, problem) => {
    const found = databaseUrlProblem(url);
    expect(found).toContain(problem);
    // The explanation quotes nothing of the URL.
    expect(found).not.toMatch(/loader|w0rd|mysql/);
  });
});
