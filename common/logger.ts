import { pino, type Logger } from 'pino';

/** Structured JSON logs on stderr, so stdout stays free for command output. */
export function createLogger(name: string, level = process.env.LANDFORM_LOG_LEVEL ?? 'info'): Logger {
  return pino(
    {
      name,
      level,
      base: undefined,
      redact: { paths: ['databaseUrl', 'password', '*.password', 'connectionString', '*.connectionString'], censor: '[redacted]' },
    },
    pino.destination(2),
  );
}

/** A database URL with its password replaced, fit for a log line or an error message. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '[unparseable url]';
  }
}

export type { Logger };
