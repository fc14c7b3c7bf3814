/**
 * Bearer token verification with jose: signature against a JWKS URL, a PEM public key or the local
 * key; issuer, audience and expiry checked; only asymmetric algorithms accepted (so `alg: none` and
 * an HMAC signed with the public key both fail). The result is the principal the routes scope by.
 */
import { createLocalJWKSet, createRemoteJWKSet, errors, importSPKI, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type KeyObject, type CryptoKey } from 'jose';
import { PEM_ALGORITHMS, ROLES, type AuthConfig, type Role } from '../config.js';
import { ProblemError } from '../problem.js';
import { readLocalPublicKey } from './local-key.js';

const STORE_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
const SUBJECT = /^[\x21-\x7e]{1,256}$/;

export interface Principal {
  /** The token's `sub`: who is asking, for logs and rate limits. */
  id: string;
  role: Role;
  /** The vendor's store; set for vendors only, and only ever from the token. */
  storeId?: string;
}

export type VerifyToken = (token: string) => Promise<Principal>;

const unauthorized = (detail: string): ProblemError => new ProblemError(401, detail, undefined, { 'www-authenticate': 'Bearer' });

async function keyResolver(config: AuthConfig): Promise<JWTVerifyGetKey | KeyObject | CryptoKey> {
  const keys = config.keys;
  if (keys.kind === 'jwks') return createRemoteJWKSet(new URL(keys.url), { cooldownDuration: 30_000, cacheMaxAge: 600_000 });
  if (keys.kind === 'pem') return importSPKI(keys.pem, keys.algorithm);
  const jwk = await readLocalPublicKey(keys.stateDir);
  if (jwk === null) throw new Error(`no local signing key in ${keys.stateDir}: run \`landform token\` once, or \`landform serve --demo\` creates it`);
  return createLocalJWKSet({ keys: [jwk] });
}

function keyAlgorithms(config: AuthConfig): string[] {
  return config.keys.kind === 'pem' ? [config.keys.algorithm] : PEM_ALGORITHMS;
}

function principalOf(payload: JWTPayload, config: AuthConfig): Principal {
  const sub = payload.sub;
  if (typeof sub !== 'string' || !SUBJECT.test(sub)) throw unauthorized('the token has no usable subject (sub) claim');
  const role = payload[config.roleClaim];
  if (typeof role !== 'string' || !(ROLES as string[]).includes(role)) {
    throw new ProblemError(403, `the token's ${config.roleClaim} claim must be one of ${ROLES.join(', ')}`);
  }
  if (role !== 'vendor') return { id: sub, role: role as Role };
  const store = payload[config.storeClaim];
  if (typeof store !== 'string' || !STORE_ID.test(store)) throw new ProblemError(403, `a vendor token needs a ${config.storeClaim} claim holding a store id`);
  return { id: sub, role: 'vendor', storeId: store };
}

/**
 * Verified tokens, remembered until their own expiry: a client sends the same token with every
 * request, and the signature check is most of the cost of a cached response. A JWT cannot be
 * revoked before `exp` anyway, so remembering the verdict changes nothing about who gets in.
 */
class VerifiedTokens {
  private readonly entries = new Map<string, { principal: Principal; expiresAt: number }>();

  constructor(private readonly max = 10_000) {}

  get(token: string): Principal | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    if (Date.now() >= entry.expiresAt) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.principal;
  }

  set(token: string, principal: Principal, exp: number): void {
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(token, { principal, expiresAt: exp * 1000 });
  }
}

/** Resolves the key source once; each call verifies one token. */
export async function createVerifier(config: AuthConfig): Promise<VerifyToken> {
  const key = await keyResolver(config);
  const verified = new VerifiedTokens();
  return async (token: string) => {
    const known = verified.get(token);
    if (known) return known;
    let payload: JWTPayload;
    try {
      const options = { issuer: config.issuer, audience: config.audience, algorithms: keyAlgorithms(config), requiredClaims: ['exp', 'sub'] };
      // Two overloads (key vs key getter) that TypeScript cannot pick from a union.
      payload = (typeof key === 'function' ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options)).payload;
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw unauthorized('the token has expired');
      if (error instanceof errors.JWTClaimValidationFailed) throw unauthorized(`the token's ${error.claim} claim is not accepted`);
      if (error instanceof errors.JOSEAlgNotAllowed) throw unauthorized('the token is signed with an algorithm this server does not accept');
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWSSignatureVerificationFailed) throw unauthorized('the token signature does not verify');
      if (error instanceof errors.JOSEError) throw unauthorized('the token is not a valid signed JWT');
      throw error;
    }
    const principal = principalOf(payload, config);
    verified.set(token, principal, payload.exp as number);
    return principal;
  };
}

/** The token from `Authorization: Bearer <token>`; 401 without one. */
export function bearerToken(header: string | undefined): string {
  if (header === undefined || header === '') throw unauthorized('this route needs a bearer token (Authorization: Bearer <token>)');
  const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/i.exec(header.trim());
  if (!match?.[1]) throw unauthorized('the Authorization header must be "Bearer <token>" with a JWT');
  return match[1];
}
