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
