import pino, { type Logger, type DestinationStream } from 'pino';
import type { IncomingMessage } from 'node:http';

/** Header and field names whose values are secrets; they are replaced before a line is written. */
const SECRET_HEADERS = [
  'authorization',
  'x-api-key',
  'x-goog-api-key',
  'cookie',
  'set-cookie',
  'proxy-authorization',
];
const SECRET_FIELDS = [
  'password',
  'adminPassword',
  'apiKey',
  'apiKeys',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'idToken',
  'id_token',
  'clientSecret',
  'client_secret',
  'code_verifier',
  'codeVerifier',
];

export const REDACT_PATHS = [
  ...SECRET_HEADERS.map((name) => `req.headers["${name}"]`),
  ...SECRET_HEADERS.map((name) => `headers["${name}"]`),
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((name) => `*.${name}`),
];

/** Query parameters that carry secrets (`?key=` is how Gemini clients send their API key). */
const SECRET_QUERY = /([?&](?:key|api_key|access_token|token|code|password)=)[^&#]*/gi;

export function maskUrl(url: string): string {
  return url.replace(SECRET_QUERY, '$1[redacted]');
}

function serializeRequest(req: IncomingMessage & { id?: string; ip?: string }): Record<string, unknown> {
  return {
    id: req.id,
    method: req.method,
    url: maskUrl(req.url ?? ''),
    remoteAddress: req.ip ?? req.socket?.remoteAddress,
    headers: { ...req.headers },
  };
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { req: serializeRequest as pino.SerializerFn },
    },
    destination ?? pino.destination({ fd: 1, sync: false }),
  );
}

export type { Logger };

type LevelName = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * A per-request logger that becomes a pino child (with the request id) only when something is
 * logged at an enabled level. Fastify makes one child per request; at the default level almost
 * none of them write a line, and building them cost every proxied request time and memory.
 */
export class LazyChildLogger {
  readonly #parent: Logger;
  readonly #bindings: Record<string, unknown>;
  #child: Logger | undefined;

  constructor(parent: Logger, bindings: Record<string, unknown>) {
    this.#parent = parent;
    this.#bindings = bindings;
  }

  private get real(): Logger {
    return (this.#child ??= this.#parent.child(this.#bindings));
  }

  get level(): string {
    return this.#child?.level ?? this.#parent.level;
  }

  set level(level: string) {
    this.real.level = level;
  }

  isLevelEnabled(level: string): boolean {
    return (this.#child ?? this.#parent).isLevelEnabled(level);
  }

  private write(level: LevelName, args: unknown[]): void {
    if (!this.isLevelEnabled(level)) return;
    (this.real[level] as (...values: unknown[]) => void)(...args);
  }

  fatal(...args: unknown[]): void {
    this.write('fatal', args);
  }
  error(...args: unknown[]): void {
    this.write('error', args);
  }
  warn(...args: unknown[]): void {
    this.write('warn', args);
  }
  info(...args: unknown[]): void {
    this.write('info', args);
  }
  debug(...args: unknown[]): void {
    this.write('debug', args);
  }
  trace(...args: unknown[]): void {
    this.write('trace', args);
  }
  silent(): void {}

  child(bindings: Record<string, unknown>, options?: Record<string, unknown>): Logger {
    return this.real.child(bindings, options);
  }
}

/** Fastify's `childLoggerFactory`: lazy children, unless a route asks for its own level or serializers. */
export function lazyChildLoggerFactory(
  this: unknown,
  logger: Logger,
  bindings: Record<string, unknown>,
  options: Record<string, unknown>,
): Logger {
  if (Object.keys(options).length > 0) return logger.child(bindings, options);
  return new LazyChildLogger(logger, bindings) as unknown as Logger;
}
