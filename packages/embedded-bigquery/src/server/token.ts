/** The server's optional bearer token: how one is made, what one may look like, where it comes from. */
import { randomBytes } from 'node:crypto';

/** Environment variable both CLIs read the token from. */
export const TOKEN_ENV = 'LANDFORM_BIGQUERY_TOKEN';

/** RFC 6750's b64token characters, and enough of them that guessing is hopeless. */
const TOKEN = /^[A-Za-z0-9\-._~+/]{16,}=*$/;

/** 32 random bytes, base64url (43 characters). */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Throws (without echoing the value) when a token cannot be used as a bearer token. */
export function checkToken(token: string): void {
  if (!TOKEN.test(token)) {
    throw new Error(`the token must be at least 16 characters from A-Z a-z 0-9 - . _ ~ + / (a bearer token); got one of ${token.length} characters`);
  }
}

export interface TokenChoice {
  /** undefined: no token (any local client is served). */
  token: string | undefined;
  source: 'flag' | 'env' | 'generated' | 'none';
}

/** The CLIs' rule: --no-token, else --token, else $LANDFORM_BIGQUERY_TOKEN, else a fresh random one. */
export function chooseToken(flag: string | boolean | undefined, env: NodeJS.ProcessEnv = process.env): TokenChoice {
  if (flag === false) return { token: undefined, source: 'none' };
  if (typeof flag === 'string') return { token: flag, source: 'flag' };
  const fromEnv = env[TOKEN_ENV];
  if (fromEnv) return { token: fromEnv, source: 'env' };
  return { token: generateToken(), source: 'generated' };
}

/** What a CLI prints after `ready <url>`: how clients authenticate (the token itself only when it was generated). */
export function tokenUsage(url: string, projectId: string, choice: TokenChoice): string {
  const host = url.replace(/^http:\/\//, '');
  const pointAt = `  export BIGQUERY_EMULATOR_HOST=${url} GCE_METADATA_HOST=${host} GCE_METADATA_IP=${host} METADATA_SERVER_DETECTION=assume-present`;
  if (choice.source === 'none') return `no token: any local client is served\n${pointAt}\n`;
  return [
    `token: every request must send "Authorization: Bearer <token>"; Google's clients get it from this server's metadata endpoint:`,
    pointAt,
    ...(choice.source === 'generated' ? [`  export ${TOKEN_ENV}=${choice.token ?? ''}   (generated for this run; --token or ${TOKEN_ENV} to choose one, --no-token for none)`] : [`  (the token given with ${choice.source === 'flag' ? '--token' : TOKEN_ENV})`]),
    `  curl -H "Authorization: Bearer ${choice.source === 'flag' ? '<token>' : `$${TOKEN_ENV}`}" ${url}/bigquery/v2/projects/${projectId}/datasets`,
    '',
  ].join('\n');
}
