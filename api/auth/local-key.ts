/**
 * The local signing key: an ES256 key pair that exists only in the state directory (mode 0600), so
 * `landform token` can mint tokens for a local `landform serve`. Deployed servers never read it
 * (see keySource in ../config.ts).
 */
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, ROLES, type Role } from '../config.js';

export const LOCAL_ALGORITHM = 'ES256';

interface KeyFile {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

export function localKeyFile(stateDir: string): string {
  return path.join(stateDir, 'api', 'signing-key.json');
}

async function readKeyFile(file: string): Promise<KeyFile | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<KeyFile>;
  if (typeof parsed.kid !== 'string' || parsed.privateJwk?.kty !== 'EC' || parsed.publicJwk?.kty !== 'EC') {
    throw new Error(`${file} is not a Landform signing key; delete it and run \`landform token\` again`);
  }
  return parsed as KeyFile;
}

/** The key pair, created on first use. Written to a temporary name and renamed, so a reader never sees half a file. */
export async function ensureLocalKey(stateDir: string): Promise<KeyFile> {
  const file = localKeyFile(stateDir);
  const existing = await readKeyFile(file);
  if (existing) return existing;
  const { privateKey, publicKey } = await generateKeyPair(LOCAL_ALGORITHM, { extractable: true });
  const kid = randomUUID();
  const key: KeyFile = {
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: LOCAL_ALGORITHM },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: LOCAL_ALGORITHM },
  };
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(key)}\n`, { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, file);
  // Another process may have won the race: whatever is on disk now is the key.
  return (await readKeyFile(file)) ?? key;
}

/** The public half, for the verifier; null when no token was ever minted (nothing can verify then). */
export async function readLocalPublicKey(stateDir: string): Promise<JWK | null> {
  return (await readKeyFile(localKeyFile(stateDir)))?.publicJwk ?? null;
}

export interface LocalTokenRequest {
  role: Role;
  storeId?: string;
  subject?: string;
  ttlSeconds?: number;
}

/** A token the local server accepts: issuer `landform-local`, audience `landform-api`, one hour by default. */
export async function mintLocalToken(stateDir: string, request: LocalTokenRequest): Promise<string> {
  if (!ROLES.includes(request.role)) throw new Error(`role must be one of ${ROLES.join(', ')}`);
  if (request.role === 'vendor' && !request.storeId) throw new Error('a vendor token needs a store (--store <id>)');
  const key = await ensureLocalKey(stateDir);
  const privateKey = await importJWK(key.privateJwk, LOCAL_ALGORITHM);
  const claims: Record<string, string> = { role: request.role };
  if (request.storeId) claims.store_id = request.storeId;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: LOCAL_ALGORITHM, kid: key.kid, typ: 'JWT' })
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setSubject(request.subject ?? (request.storeId ? `local-${request.role}-${request.storeId}` : `local-${request.role}`))
    .setIssuedAt()
    .setExpirationTime(`${request.ttlSeconds ?? 3600}s`)
    .sign(privateKey);
}
