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
