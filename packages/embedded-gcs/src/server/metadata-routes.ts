import type { ServerResponse } from 'node:http';
import type { Router } from './router.js';

/** Token handed out when the server has none of its own (it then checks none). */
export const EMBEDDED_ACCESS_TOKEN = 'embedded';

const FLAVOR = { 'Metadata-Flavor': 'Google' };

function sendText(res: ServerResponse, status: number, text: string, contentType = 'text/plain'): void {
  res.writeHead(status, { ...FLAVOR, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * The part of the GCE metadata server google-auth-library reads when GCE_METADATA_HOST points here,
 * so a child process given only `env` never looks for Google credentials, even when something in it
 * asks for a token or a project id. Behind the same guard as the API: with a server token set, these
 * routes need that token too, so they hand nothing out to a caller that does not already hold it.
 */
export function addMetadataRoutes(router: Router, projectId: string): void {
  const base = '/computeMetadata/v1';
  router.add('GET', base, async ({ res }) => sendText(res, 200, 'instance/\nproject/\n'));
  router.add('GET', `${base}/instance`, async ({ res }) => sendText(res, 200, 'service-accounts/\n'));
  router.add('GET', `${base}/instance/service-accounts`, async ({ res }) => sendText(res, 200, 'default/\n'));
  router.add('GET', `${base}/instance/service-accounts/:account/token`, async ({ res }) =>
    sendText(res, 200, JSON.stringify({ access_token: EMBEDDED_ACCESS_TOKEN, expires_in: 3600, token_type: 'Bearer' }), 'application/json'),
  );
  router.add('GET', `${base}/instance/service-accounts/:account/email`, async ({ res }) => sendText(res, 200, `embedded@${projectId}.iam.gserviceaccount.com`));
  router.add('GET', `${base}/project/project-id`, async ({ res }) => sendText(res, 200, projectId));
  router.add('GET', `${base}/project/numeric-project-id`, async ({ res }) => sendText(res, 200, '0'));
  router.add('GET', `${base}/universe/universe-domain`, async ({ res }) => sendText(res, 200, 'googleapis.com'));
}
