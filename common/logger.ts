import { pino, type Logger } from 'pino';
import { redactText, secretsOf } from './redact.js';

export { redactUrl } from './redact.js';

/** The secrets of the configured database URL, masked in every log line wherever they appear. */
function knownSecrets(): string[] {
  return process.env.DATABASE_URL ? secretsOf(process.env.DATABASE_URL) : [];
}

/** Every string in a log object (nested objects and arrays too) passed through redactText. */
function redactValue(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secrets, depth + 1));
  if (value instanceof Error) return { type: value.name, message: redactText(value.message, secrets) };
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, secrets, depth + 1)]));
}

/** Structured JSON logs on stderr, so stdout stays free for command output. URLs and secrets are masked in every field and message. */
export function createLogger(name: string, level = process.env.LANDFORM_LOG_LEVEL ?? 'info'): Logger {
  const secrets = knownSecrets();
  return pino(
    {
      name,
      level,
      base: undefined,
      redact: { paths: ['databaseUrl', 'password', '*.password', 'connectionString', '*.connectionString'], censor: '[redacted]' },
      formatters: { log: (object) => redactValue(object, secrets) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((arg) => (typeof arg === 'string' ? redactText(arg, secrets) : arg)) as Parameters<typeof method>);
        },
      },
    },
    pino.destination(2),
  );
}

export type { Logger };
