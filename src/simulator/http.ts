import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RpcError } from './rpc-errors.ts';
import type { HostAlias, RecordedRequest } from './types.ts';

/** One request in flight, as the route modules see it. */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Path without the alias prefix. */
  path: string;
  alias: HostAlias | 'root';
  record: RecordedRequest;
  body: unknown;
  /** Aborts when the client goes away or the simulator closes; pending delays end with it. */
  signal: AbortSignal;
  /** Marks the coming socket teardown as the simulator's own doing, not a client abort. */
  markServerClose(): void;
}

export class BodyParseError extends Error {}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** JSON bodies parse as JSON, form bodies into a plain object; anything else stays a string. */
export function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    if (contentType && !contentType.includes('json')) return text;
    throw new BodyParseError('Invalid JSON payload received. Unexpected token.');
  }
}

export function sendJson(
  ex: Exchange,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (ex.res.headersSent || ex.res.destroyed) return;
  ex.record.status = status;
  const text = JSON.stringify(body);
  ex.res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  ex.res.end(text);
}

export function sendRpcError(ex: Exchange, error: RpcError): void {
  sendJson(ex, error.status, error.body, error.headers);
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null;
  return match?.[1];
}
