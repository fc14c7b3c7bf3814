/** The analytics API's configuration: parsed and checked once at start-up, read-only afterwards. */
import { datasetId, projectId as checkProjectId } from '../common/identifiers.js';

export type Role = 'vendor' | 'admin' | 'analyst';
export const ROLES: readonly Role[] = ['vendor', 'admin', 'analyst'];

/** Where the token-signing public keys come from. `local` is the key `landform token` signs with (embedded defaults only). */
export type KeySource = { kind: 'jwks'; url: string } | { kind: 'pem'; pem: string; algorithm: string } | { kind: 'local'; stateDir: string };

export interface AuthConfig {
  keys: KeySource;
  issuer: string;
  audience: string;
  /** Claim holding the role (`vendor` | `admin` | `analyst`). */
  roleClaim: string;
  /** Claim holding a vendor's store id. */
  storeClaim: string;
}

export interface ApiConfig {
  host: string;
  port: number;
  projectId: string;
  location: string;
  martsDataset: string;
  /** `maximumBytesBilled` of every query job: a runaway query fails instead of costing money. */
  maximumBytesBilled: number;
  /** 0 turns the in-process cache off. */
  cacheTtlSeconds: number;
  /** Requests per principal per minute. */
  rateLimitPerMinute: number;
  exportEnabled: boolean;
  auth: AuthConfig;
  /** Today's date anchors the presets; injectable so tests pin the window. */
  now: () => Date;
}

export class ApiConfigError extends Error {
  constructor(readonly setting: string, rule: string) {
    super(`${setting} ${rule}`);
    this.name = 'ApiConfigError';
  }
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new ApiConfigError(name, `must be a whole number from ${min} to ${max} (got ${JSON.stringify(raw)})`);
  return value;
}

const CLAIM = /^[A-Za-z_][A-Za-z0-9_.:/-]{0,127}$/;

function claimName(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const value = env[name] ?? fallback;
  if (!CLAIM.test(value)) throw new ApiConfigError(name, 'must be a claim name (letters, digits, _ . : / -)');
  return value;
}

/** Asymmetric algorithms only: an HMAC "signed" with the public key, or `none`, must never verify. */
export const PEM_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

const LOOPBACK = ['127.0.0.1', '::1', 'localhost'];

export const LOCAL_ISSUER = 'landform-local';
export const LOCAL_AUDIENCE = 'landform-api';

/**
 * The key source from the environment: `LANDFORM_API_JWKS_URL` or `LANDFORM_API_PUBLIC_KEY` (PEM).
 * With neither, the local key is accepted, but only on embedded defaults (`local` true): a deployed
 * API must never trust a key that sits in a developer's state directory.
 */
function keySource(env: NodeJS.ProcessEnv, local: { stateDir: string } | null): KeySource {
  const jwks = env.LANDFORM_API_JWKS_URL ?? '';
  const pem = env.LANDFORM_API_PUBLIC_KEY ?? '';
  if (jwks !== '' && pem !== '') throw new ApiConfigError('LANDFORM_API_JWKS_URL', 'and LANDFORM_API_PUBLIC_KEY are both set: choose one');
  if (jwks !== '') {
    let url: URL;
    try {
      url = new URL(jwks);
    } catch {
      throw new ApiConfigError('LANDFORM_API_JWKS_URL', 'is not a URL');
    }
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw new ApiConfigError('LANDFORM_API_JWKS_URL', 'must be https (plain http only on loopback)');
    return { kind: 'jwks', url: url.toString() };
  }
  if (pem !== '') {
    const algorithm = env.LANDFORM_API_PUBLIC_KEY_ALG ?? 'RS256';
    if (!PEM_ALGORITHMS.includes(algorithm)) throw new ApiConfigError('LANDFORM_API_PUBLIC_KEY_ALG', `must be one of ${PEM_ALGORITHMS.join(', ')}`);
    return { kind: 'pem', pem, algorithm };
  }
  if (local !== null) return { kind: 'local', stateDir: local.stateDir };
  throw new ApiConfigError('LANDFORM_API_JWKS_URL', 'or LANDFORM_API_PUBLIC_KEY is required outside embedded defaults (the local signing key is accepted only there)');
}

export interface ConfigInputs {
  env: NodeJS.ProcessEnv;
  projectId: string;
  /** Set on embedded defaults: the state directory whose local signing key is trusted. */
  local: { stateDir: string } | null;
  port?: number;
  host?: string;
  now?: () => Date;
}

export function apiConfigFromEnv(inputs: ConfigInputs): ApiConfig {
  const { env } = inputs;
  const keys = keySource(env, inputs.local);
  const local = keys.kind === 'local';
  const issuer = env.LANDFORM_API_ISSUER ?? (local ? LOCAL_ISSUER : '');
  const audience = env.LANDFORM_API_AUDIENCE ?? (local ? LOCAL_AUDIENCE : '');
  if (issuer === '') throw new ApiConfigError('LANDFORM_API_ISSUER', 'is required with a JWKS URL or public key (the token issuer to accept)');
  if (audience === '') throw new ApiConfigError('LANDFORM_API_AUDIENCE', 'is required with a JWKS URL or public key (the audience tokens are minted for)');
  const host = inputs.host ?? env.LANDFORM_API_HOST ?? '127.0.0.1';
  // Anyone who can read the state directory can mint local tokens: such a server must not be reachable from elsewhere.
  if (local && !LOOPBACK.includes(host)) throw new ApiConfigError('--host', `${host} is not a loopback address; with local tokens the server binds to 127.0.0.1, ::1 or localhost only`);
  return {
    host,
    port: inputs.port ?? integer(env, 'PORT', 8080, 0, 65535),
    projectId: checkProjectId(inputs.projectId),
    location: env.LANDFORM_LOCATION ?? 'US',
    martsDataset: datasetId(env.LANDFORM_MARTS_DATASET ?? 'landform_marts'),
    maximumBytesBilled: integer(env, 'LANDFORM_API_MAX_BYTES_BILLED', 10 * 1024 ** 3, 1, Number.MAX_SAFE_INTEGER),
    cacheTtlSeconds: integer(env, 'LANDFORM_API_CACHE_TTL_SECONDS', 60, 0, 3600),
    rateLimitPerMinute: integer(env, 'LANDFORM_API_RATE_LIMIT', 600, 1, 1_000_000),
    exportEnabled: env.LANDFORM_EXPORT_ENABLED === 'true',
    auth: {
      keys,
      issuer,
      audience,
      roleClaim: claimName(env, 'LANDFORM_API_ROLE_CLAIM', 'role'),
      storeClaim: claimName(env, 'LANDFORM_API_STORE_CLAIM', 'store_id'),
    },
    now: inputs.now ?? (() => new Date()),
  };
}
