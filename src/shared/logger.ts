import { pino, type Logger } from 'pino';

/**
 * Personal data and secrets never reach logs: these paths are censored wherever they appear
 * in a log object. Message text is logged only at debug level and through `redactText`.
 */
const REDACT_PATHS = [
  'text', '*.text', 'phone', '*.phone', 'email', '*.email', 'name', '*.name', 'address', '*.address',
  'shipAddress', '*.shipAddress', 'password', '*.password', 'token', '*.token', 'secret', '*.secret',
  'authorization', '*.authorization', 'headers.authorization', 'headers.cookie', 'cookie', '*.cookie',
  'apiKey', '*.apiKey', 'databaseUrl', '*.databaseUrl', 'raw', '*.raw',
];

let root: Logger | undefined;

export function rootLogger(): Logger {
  root ??= pino({
    level: process.env.LOG_LEVEL ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { app: 'shopdesk' },
  });
  return root;
}

/** A child logger that carries the module name (and any ids given) on every line. */
export function logger(module: string, bindings: Record<string, unknown> = {}): Logger {
  return rootLogger().child({ module, ...bindings });
}

const PHONE = /(?:\+?86[- ]?)?1[3-9]\d{9}|\+?\d[\d -]{8,}\d/g;
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;

/** Masks phone numbers and e-mail addresses in free text before it may be logged. */
export function redactText(text: string): string {
  return text.replace(EMAIL, '[email]').replace(PHONE, '[phone]');
}

/** Removes credentials from a connection URL (postgresql://user:pass@host → postgresql://***@host). */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
