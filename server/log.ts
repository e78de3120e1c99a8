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
 * writable stream (tests, stderr for the CLI).
 */
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

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
}

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const pinoOptions: LoggerOptions = {
    level: options.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    base: { ...(options.name ? { name: options.name } : {}), ...options.base },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  return options.destination ? pino(pinoOptions, options.destination) : pino(pinoOptions);
}

/** A logger that drops everything: the default for library code and tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
