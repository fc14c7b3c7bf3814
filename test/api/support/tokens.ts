/** Tokens a test signs itself (with jose): valid ones, and every way of being wrong. */
import { readFile } from 'node:fs/promises';
import { SignJWT, importJWK, type CryptoKey, type JWK, type JWTPayload, type KeyObject } from 'jose';
import { localKeyFile } from '../../../api/auth/local-key.js';

export interface SignOptions {
  alg?: string;
  kid?: string;
  issuer?: string;
  audience?: string;
  subject?: string | null;
  expiresIn?: string | number;
}

export async function sign(key: CryptoKey | KeyObject | Uint8Array, claims: JWTPayload, options: SignOptions = {}): Promise<string> {
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: options.alg ?? 'ES256', ...(options.kid ? { kid: options.kid } : {}) })
    .setIssuer(options.issuer ?? 'landform-local')
    .setAudience(options.audience ?? 'landform-api')
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '10m');
  if (options.subject !== null) jwt = jwt.setSubject(options.subject ?? 'test-user');
  return jwt.sign(key);
}

export async function localPrivateKey(stateDir: string): Promise<{ key: CryptoKey | Uint8Array; kid: string; publicJwk: JWK }> {
  const file = JSON.parse(await readFile(localKeyFile(stateDir), 'utf8')) as { kid: string; privateJwk: JWK; publicJwk: JWK };
  return { key: await importJWK(file.privateJwk, 'ES256'), kid: file.kid, publicJwk: file.publicJwk };
}

const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An unsigned token (`alg: none`), as an attacker would send it. */
export function unsignedToken(claims: JWTPayload): string {
  const now = Math.floor(Date.now() / 1000);
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iss: 'landform-local', aud: 'landform-api', sub: 'attacker', iat: now, exp: now + 600, ...claims })}.`;
}

/** The same token with its payload replaced and the original signature kept. */
export function withPayload(token: string, claims: JWTPayload): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const original = JSON.parse(Buffer.from(payload, 'base64url').toString()) as JWTPayload;
  return `${header}.${b64({ ...original, ...claims })}.${signature}`;
}
