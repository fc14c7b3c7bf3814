/**
 * One place that masks credentials, in every form a connection URL can carry them, before a URL or
 * a message that may hold one reaches a log line, an error or the terminal:
 * - the userinfo password (`postgres://user:secret@host`);
 * - query parameters whose name suggests a secret (`?password=`, `sslpassword=`, `token=`, ...);
 * - unescaped characters: a password holding `@`, `#`, `/` or `?` makes URL parsing split it
 *   (`user:p@ss#w@host` parses as host `ss`), so the userinfo is taken as everything up to the
 *   LAST `@` of the authority-like text, never from the parser's idea of it;
 * - URLs that do not parse at all: whatever sits before that `@` is masked whole.
 * Over-masking is the failure mode chosen: when in doubt, a part is hidden, never printed.
 */

const MASK = '***';

/** Query or keyword parameter names that carry a secret (compared lowercase, `-`/`_` ignored). */
const SECRET_NAME = /pass|pwd|secret|token|key|credential|auth|signature|sig$/i;

function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name.replace(/[-_]/g, ''));
}

/** `name=value` pairs (query strings and libpq `key=value` strings) with secret values masked. */
function maskParams(text: string): string {
  return text.replace(/([A-Za-z_][A-Za-z0-9_.-]*)=([^&\s;,)"']*)/g, (whole, name: string, value: string) => (isSecretName(name) && value !== '' ? `${name}=${MASK}` : whole));
}

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/**
 * A URL with every credential masked, fit for a log line or an error message. Keeps the scheme,
 * the user (when it is plain), host, port, path and harmless parameters, so the message still says
 * where it tried to connect.
 */
export function redactUrl(url: string): string {
  const scheme = SCHEME.exec(url)?.[0];
  if (!scheme) return maskParams(url);
  const rest = url.slice(scheme.length);
  const at = rest.lastIndexOf('@');
  if (at < 0) return scheme + maskParams(rest);
  const userinfo = rest.slice(0, at);
  const colon = userinfo.indexOf(':');
  const user = colon < 0 ? userinfo : userinfo.slice(0, colon);
  // A user that holds URL delimiters is part of a mangled URL: it may be a piece of the password.
  const shownUser = /^[A-Za-z0-9._~%!$&'()*+,;=-]*$/.test(user) ? user : MASK;
  const hidden = colon < 0 && shownUser === user ? shownUser : `${shownUser}:${MASK}`;
  return `${scheme}${hidden}@${maskParams(rest.slice(at + 1))}`;
}

/** A URL-like run of text: from a scheme to the next whitespace or quote. */
const URL_IN_TEXT = /[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s"'<>`]+/g;

/**
 * Free text (an error message, a log line) with every URL in it redacted, `key=value` secrets masked,
 * and each of `secrets` (e.g. the password of the configured DATABASE_URL, raw and percent-decoded)
 * replaced wherever it appears, since a driver may quote a piece of a URL without its scheme.
 */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 3) out = out.split(secret).join(MASK);
  return maskParams(out.replace(URL_IN_TEXT, (match) => redactUrl(match)));
}

/** The secret parts of a connection URL (its password, raw, decoded and in pieces, and secret parameters), for redactText. */
export function secretsOf(url: string): string[] {
  const scheme = SCHEME.exec(url)?.[0];
  const secrets = new Set<string>();
  const rest = scheme ? url.slice(scheme.length) : url;
  const at = rest.lastIndexOf('@');
  if (scheme && at >= 0) {
    const userinfo = rest.slice(0, at);
    const colon = userinfo.indexOf(':');
    if (colon >= 0) secrets.add(userinfo.slice(colon + 1));
  }
  for (const match of rest.matchAll(/([A-Za-z_][A-Za-z0-9_.-]*)=([^&\s;]*)/g)) {
    if (isSecretName(match[1] ?? '') && match[2]) secrets.add(match[2]);
  }
  for (const secret of [...secrets]) {
    try {
      secrets.add(decodeURIComponent(secret));
    } catch {
      // not percent-encoded: the raw form is already listed
    }
  }
  for (const secret of [...secrets]) {
    // A mangled URL hands the driver pieces of the password (as a host, a path): list every piece
    // on either side of a delimiter too.
    for (let i = 0; i < secret.length; i++) {
      if ('@#/?:'.includes(secret[i] ?? '')) {
        secrets.add(secret.slice(0, i));
        secrets.add(secret.slice(i + 1));
      }
    }
    for (const segment of secret.split(/[@#/?:]/)) secrets.add(segment);
  }
  return [...secrets].filter((s) => s.length > 0);
}

/**
 * Why a database URL cannot be used, in words that quote none of it, or undefined when it is a
 * well-formed postgres:// URL. Catches the mangled forms before a driver turns a piece of the
 * password into a host name and prints it (`getaddrinfo ENOTFOUND <piece>`).
 */
export function databaseUrlProblem(url: string): string | undefined {
  if (!/^postgres(ql)?:\/\//i.test(url)) return 'is not a postgres:// URL (postgres://user:password@host:port/database)';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a valid URL; percent-encode special characters in the password (@ as %40, # as %23, / as %2F, ? as %3F)';
  }
  const rest = url.replace(/^postgres(ql)?:\/\//i, '');
  const queryAt = rest.indexOf('?');
  const beforeQuery = queryAt < 0 ? rest : rest.slice(0, queryAt);
  const query = queryAt < 0 ? '' : rest.slice(queryAt + 1);
  const authorityEnd = beforeQuery.indexOf('/');
  // Where a password character ended the authority early, an `@` turns up later: in the path (`/`),
  // in a query piece that is no key=value (`?`), or anywhere after a `#` (Postgres URLs have no fragment).
  const mangled = rest.includes('#') || (authorityEnd >= 0 && beforeQuery.slice(authorityEnd).includes('@')) || query.split('&').some((piece) => piece.includes('@') && !piece.includes('='));
  if (mangled) return 'has an unescaped @, #, / or ? in its user or password; percent-encode them (@ as %40, # as %23, / as %2F, ? as %3F)';
  if (!parsed.hostname) return 'names no host (postgres://user:password@host:port/database)';
  return undefined;
}
