/**
 * The two ready-to-paste `curl` lines `npm start` ends with: a vendor call and an admin call
 * against `landform serve --demo`, each with a fresh token signed by the state directory's local key.
 */
import { mintLocalToken } from './auth/local-key.js';

export interface DemoCurlOptions {
  /** Where `landform serve --demo` listens (its default). */
  baseUrl?: string;
  /** A vendor store in the demo data. */
  storeId?: string;
  preset?: '7d' | '30d' | '90d';
  ttlSeconds?: number;
}

export async function demoCurlLines(stateDir: string, options: DemoCurlOptions = {}): Promise<string[]> {
  const base = options.baseUrl ?? 'http://127.0.0.1:8080';
  const preset = options.preset ?? '7d';
  const ttl = options.ttlSeconds ?? 12 * 3600;
  const vendor = await mintLocalToken(stateDir, { role: 'vendor', storeId: options.storeId ?? 'vendor-001', ttlSeconds: ttl });
  const admin = await mintLocalToken(stateDir, { role: 'admin', ttlSeconds: ttl });
  return [
    `curl -s -H 'Authorization: Bearer ${vendor}' '${base}/api/v1/vendor/analytics?preset=${preset}'`,
    `curl -s -H 'Authorization: Bearer ${admin}' '${base}/api/v1/admin/analytics?preset=${preset}'`,
  ];
}
