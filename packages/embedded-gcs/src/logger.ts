/**
 * The logging the server does (a debug line per request). A pino logger fits this shape, so a host
 * application passes its own; the package itself depends on no logger.
 */
export interface Logger {
  debug(fields: Record<string, unknown>, message: string): void;
}

/** The default: JSON lines on stderr when EMBEDDED_GCS_DEBUG is set, otherwise nothing. */
export function defaultLogger(env: NodeJS.ProcessEnv = process.env): Logger {
  if (!env.EMBEDDED_GCS_DEBUG) return { debug: () => undefined };
  return {
    debug(fields, message) {
      process.stderr.write(`${JSON.stringify({ level: 'debug', time: Date.now(), name: 'embedded-gcs', ...fields, msg: message })}\n`);
    },
  };
}
