import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { redactText, secretsOf } from './redact.js';

const LEVELS: Record<number, string> = { 40: 'warning', 50: 'error', 60: 'fatal' };

/** One log record as a sentence: its message, plus the fields a person can act on; never a stack. */
export function humanLine(record: Record<string, unknown>): string | null {
  const level = Number(record.level);
  if (!(level >= 40)) return null;
  const err = record.err as { message?: string } | undefined;
  const detail = err?.message !== undefined ? `: ${err.message.split('\n')[0]}` : '';
  return `${LEVELS[level] ?? 'warning'}: ${String(record.msg ?? '')}${detail}`;
}

/**
 * The logger for a person at a terminal: warnings and errors as plain sentences on stderr, no JSON,
 * no stack traces. Off a terminal, or when asked for debug output, the structured JSON logs stay.
 */
export function createRunLogger(name: string, options: { tty: boolean; level: string; json: (name: string, level: string) => Logger }): Logger {
  if (!options.tty || options.level === 'debug' || options.level === 'trace') return options.json(name, options.level);
  // Sentences quote driver messages as they are: mask URLs and the configured database password in them.
  const secrets = process.env.DATABASE_URL ? secretsOf(process.env.DATABASE_URL) : [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString().split('\n').filter(Boolean)) {
        try {
          const line = humanLine(JSON.parse(text) as Record<string, unknown>);
          if (line !== null) process.stderr.write(`${redactText(line, secrets)}\n`);
        } catch {
          process.stderr.write(`${redactText(text, secrets)}\n`);
        }
      }
      done();
    },
  });
  return pino({ name, level: options.level === 'info' ? 'warn' : options.level, base: undefined, redact: { paths: ['databaseUrl', 'password', '*.password', 'connectionString', '*.connectionString'], censor: '[redacted]' } }, sink);
}
