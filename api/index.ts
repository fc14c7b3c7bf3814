/** The analytics API's public surface: what `landform serve`, `landform token`, the demo and the bench use. */
export { ensureLocalKey, mintLocalToken, localKeyFile, type LocalTokenRequest } from './auth/local-key.js';
export { createVerifier, type Principal } from './auth/verifier.js';
export { apiConfigFromEnv, ApiConfigError, ROLES, type ApiConfig, type Role } from './config.js';
export { demoCurlLines, type DemoCurlOptions } from './demo-curl.js';
export { createExportRunner } from './export-runner.js';
export { ApiNotReadyError, buildApi, startApi, type ApiServerOptions, type RunningApi } from './server.js';
export { openServeTarget, type ServeTarget } from './serve-target.js';
