/**
 * One small pino logger factory for the whole server and the CLI.
 *
 *   const log = createLogger({ level: config.logLevel, name: 'engine' });
 *   log.info({ device: 'cuda' }, 'model ready');
 *   const child = log.child({ requestId });
 *
 * Secrets are redacted wherever they appear under the usual names (tokens,
 * API keys, authorization headers, cookies), at the top level or one level
 * down (`req.headers.authorization` included). Logs are JSON lines on stdout
 * by default (what Cloud Run and Spaces collect); `destination` takes any
 * writable stream (tests, stderr for the CLI). `pretty: true` (the server
 * sets it when stdout is a terminal) writes pino-pretty's one-line form
 * instead, "12:00:01 INFO (server): listening {port: 7860}", formatted in
 * this thread (no transport worker), after redaction.
 */
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { PinoPretty } from 'pino-pretty';

export type { Logger } from 'pino';

export const REDACTED = '[redacted]';

const SECRET_KEYS = [
  'hfToken',
  'HF_TOKEN',
  'apiKey',
  'API_KEY',
  'token',
  'accessToken',
  'password',
  'secret',
  'authorization',
  'Authorization',
  'cookie',
  'x-api-key',
  'X-API-Key',
];

function quote(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `["${key}"]`;
}

/** pino redact paths: each secret key at the top, one and two levels down, and under req/res headers. */
export const REDACT_PATHS: string[] = SECRET_KEYS.flatMap((key) => {
  const k = quote(key);
  return [k.startsWith('.') ? k.slice(1) : k, `*${k}`, `*.*${k}`, `req.headers${k}`, `headers${k}`];
}).filter((p, i, all) => all.indexOf(p) === i);

export interface CreateLoggerOptions {
  /** pino level name (default 'info'); 'silent' turns logging off. */
  level?: string;
  /** Component name, added as `name` to every line. */
  name?: string;
  /** Where lines go (default stdout). */
  destination?: DestinationStream;
  /** Extra fields on every line. */
  base?: Record<string, unknown>;
  /** One readable line per record (a person at a terminal) instead of JSON (a log collector). */
  pretty?: boolean;
}

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const pinoOptions: LoggerOptions = {
    level: options.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    base: { ...(options.name ? { name: options.name } : {}), ...options.base },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  if (options.pretty) {
    const stream = PinoPretty({
      colorize: Boolean((options.destination ?? process.stdout) === process.stdout && process.stdout.isTTY),
      translateTime: 'SYS:HH:MM:ss',
      ignore: 'pid,hostname',
      singleLine: true,
      sync: true,
      destination: (options.destination as NodeJS.WritableStream | undefined) ?? 1,
    });
    return pino(pinoOptions, stream);
  }
  return options.destination ? pino(pinoOptions, options.destination) : pino(pinoOptions);
}

/** A logger that drops everything: the default for library code and tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
