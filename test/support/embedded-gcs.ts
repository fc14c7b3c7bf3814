/**
 * The embedded GCS for tests: a fresh server on an ephemeral loopback port and a real
 * @google-cloud/storage client pointed at it through options, not process.env.
 *
 * `apiEndpoint` sends JSON requests to `<url>/storage/v1/...` and uploads to `<url>/upload/storage/v1/...`.
 * The client skips authentication for a custom endpoint except in resumable uploads, which always
 * ask their auth client for a token, so it gets an OAuth2 client that already holds one (no Google
 * call). `useAuthWithCustomEndpoint` makes every request carry it, for servers started with a token.
 */
import { Storage } from '@google-cloud/storage';
import { OAuth2Client } from 'google-auth-library';
import { startEmbeddedGcs, type EmbeddedGcs, type EmbeddedGcsOptions } from '@landform/embedded-gcs';

export const TEST_PROJECT_ID = 'landform-local';

/**
 * @google-cloud/storage 7 declares google-auth-library 9's AuthClient; the root has version 10. An
 * OAuth2Client of either answers getAccessToken/getRequestHeaders/request, which is all the client calls.
 */
type StorageAuthClient = NonNullable<ConstructorParameters<typeof Storage>[0]>['authClient'];

export interface TestGcs {
  storage: Storage;
  server: EmbeddedGcs;
  stop(): Promise<void>;
}

/** A real Storage client for an embedded GCS at `url`; `token` is sent on every request when given. */
export function storageClientFor(url: string, token?: string): Storage {
  const authClient = new OAuth2Client();
  authClient.setCredentials({ access_token: token ?? 'embedded', expiry_date: Date.now() + 24 * 3600 * 1000 });
  return new Storage({
    projectId: TEST_PROJECT_ID,
    apiEndpoint: url,
    authClient: authClient as unknown as StorageAuthClient,
    useAuthWithCustomEndpoint: token !== undefined,
    // A test that expects an error should see it at once, not after the client's backoff.
    retryOptions: { autoRetry: false },
  });
}

export async function startTestGcs(options: Omit<EmbeddedGcsOptions, 'port'> = {}): Promise<TestGcs> {
  const server = await startEmbeddedGcs({ port: 0, dataPath: ':memory:', ...options });
  return {
    storage: storageClientFor(server.url, options.token),
    server,
    stop: () => server.stop(),
  };
}
