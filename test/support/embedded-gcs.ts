/**
 * The embedded GCS for tests: a fresh server on an ephemeral loopback port and a real
 * @google-cloud/storage client pointed at it through options, not process.env.
 *
 * With `apiEndpoint` set to a non-Google host, storage 7 sends JSON requests to
 * `<url>/storage/v1/...` and uploads to `<url>/upload/storage/v1/...` and authenticates none of them
 * (resumable uploads use plain gaxios then), so no credentials and no Google call are involved. A
 * server token is added as a request interceptor, which the client applies to JSON requests and to
 * resumable uploads alike (`useAuthWithCustomEndpoint` would not reach the resumable path).
 */
import { Storage } from '@google-cloud/storage';
import { startEmbeddedGcs, type EmbeddedGcs, type EmbeddedGcsOptions } from '@landform/embedded-gcs';

export const TEST_PROJECT_ID = 'landform-local';

export interface TestGcs {
  storage: Storage;
  server: EmbeddedGcs;
  stop(): Promise<void>;
}

/** A real Storage client for an embedded GCS at `url`; `token` is sent as a bearer token on every request when given. */
export function storageClientFor(url: string, token?: string): Storage {
  const storage = new Storage({
    projectId: TEST_PROJECT_ID,
    apiEndpoint: url,
    // A test that expects an error should see it at once, not after the client's backoff.
    retryOptions: { autoRetry: false },
  });
  if (token !== undefined) {
    storage.interceptors.push({
      request: (options) => {
        options.headers = { ...options.headers, Authorization: `Bearer ${token}` };
        // The client hands interceptors its own request options, which always hold a `uri`.
        return options as typeof options & { uri: string };
      },
    });
  }
  return storage;
}

export async function startTestGcs(options: Omit<EmbeddedGcsOptions, 'port'> = {}): Promise<TestGcs> {
  const server = await startEmbeddedGcs({ port: 0, dataPath: ':memory:', ...options });
  return {
    storage: storageClientFor(server.url, options.token),
    server,
    stop: () => server.stop(),
  };
}
