import type { ServerResponse } from 'node:http';
import type { Router } from './router.js';

/** Token handed out when the server has none of its own (then it checks none). */
export const EMBEDDED_ACCESS_TOKEN = 'embedded';

const FLAVOR = { 'Metadata-Flavor': 'Google' };

function sendText(res: ServerResponse, status: number, text: string, contentType = 'text/plain'): void {
  res.writeHead(status, { ...FLAVOR, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * The part of the GCE metadata server that google-auth-library (via gcp-metadata) reads when
 * GCE_METADATA_HOST points here: the availability probe, a token, the account email, the project id
 * and the universe domain. Every answer carries `Metadata-Flavor: Google`, which gcp-metadata checks.
 * The token is the server's own (request-guard.ts lets metadata requests through without it, but
 * only with `Metadata-Flavor: Google`, which a web page cannot send).
 */
export function addMetadataRoutes(router: Router, projectId: string, token: string | undefined): void {
  const email = `embedded@${projectId}.iam.gserviceaccount.com`;
  const base = '/computeMetadata/v1';
  router.add('GET', base, async ({ res }) => sendText(res, 200, 'instance/\nproject/\n'));
  router.add('GET', `${base}/instance`, async ({ res }) => sendText(res, 200, 'service-accounts/\n'));
  router.add('GET', `${base}/instance/service-accounts`, async ({ res }) => sendText(res, 200, 'default/\n'));
  router.add('GET', `${base}/instance/service-accounts/:account/token`, async ({ res }) =>
    sendText(res, 200, JSON.stringify({ access_token: token ?? EMBEDDED_ACCESS_TOKEN, expires_in: 3600, token_type: 'Bearer' }), 'application/json'),
  );
  router.add('GET', `${base}/instance/service-accounts/:account/email`, async ({ res }) => sendText(res, 200, email));
  router.add('GET', `${base}/instance/service-accounts/:account/scopes`, async ({ res }) =>
    sendText(res, 200, 'https://www.googleapis.com/auth/cloud-platform\n'),
  );
  router.add('GET', `${base}/project/project-id`, async ({ res }) => sendText(res, 200, projectId));
  router.add('GET', `${base}/project/numeric-project-id`, async ({ res }) => sendText(res, 200, '0'));
  router.add('GET', `${base}/universe/universe-domain`, async ({ res }) => sendText(res, 200, 'googleapis.com'));
}
