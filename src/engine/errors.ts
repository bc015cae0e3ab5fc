import { AccountUnavailableError } from '../accounts/token-manager.ts';
import { UpstreamError } from '../google/code-assist-client.ts';
import { UpstreamTimeoutError } from '../google/generate-client.ts';
import { UpstreamNetworkError } from '../google/http.ts';

/**
 * A request that failed before anything was sent to the client. Protocols turn it into their
 * own error shape with `status` (and `retry-after` when `retryAfterSeconds` is set).
 */
export class EngineError extends Error {
  readonly status: number;
  /** A short class for the log: rate_limited, no_account, client_error, upstream_timeout… */
  readonly code: string;
  readonly retryAfterSeconds?: number;
  constructor(status: number, code: string, message: string, retryAfterSeconds?: number) {
    super(message);
    this.name = 'EngineError';
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** A stream that broke after its first byte: the protocol ends it with an error event. */
export class StreamBrokenError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'StreamBrokenError';
    this.status = status;
    this.code = code;
  }
}

/** What the client is told when the last attempt failed with `error`. */
export function engineErrorFrom(error: unknown, clientVersion: string): EngineError {
  if (error instanceof EngineError) return error;
  if (error instanceof UpstreamError) {
    const { kind, status, message, retryDelayMs } = error.info;
    if (kind === 'client_error') return new EngineError(400, kind, message);
    if (kind === 'client_outdated') {
      return new EngineError(
        502,
        kind,
        `Google no longer accepts client version ${clientVersion}; raise the setting upstream.clientVersion. (${message})`,
      );
    }
    if (kind === 'rate_limited' || kind === 'quota_exhausted' || kind === 'credits_exhausted') {
      return new EngineError(
        429,
        kind,
        message,
        retryDelayMs === undefined ? undefined : Math.ceil(retryDelayMs / 1000),
      );
    }
    if (kind === 'capacity')
      return new EngineError(
        503,
        kind,
        message,
        retryDelayMs === undefined ? undefined : Math.ceil(retryDelayMs / 1000),
      );
    if (kind === 'not_found') return new EngineError(404, kind, message);
    if (status >= 500) return new EngineError(502, kind, `Upstream error: ${message}`);
    return new EngineError(503, kind, `No account could serve the request: ${message}`);
  }
  if (error instanceof UpstreamTimeoutError) return new EngineError(504, 'upstream_timeout', error.message);
  if (error instanceof AccountUnavailableError) return new EngineError(503, 'no_account', error.message);
  if (error instanceof UpstreamNetworkError)
    return new EngineError(502, 'upstream_unreachable', `Upstream unreachable: ${error.message}`);
  return new EngineError(500, 'internal_error', 'Internal error; see the server log for details');
}

/** The client-facing form of a failure in the middle of a stream. */
export function streamBrokenFrom(error: unknown): StreamBrokenError {
  if (error instanceof StreamBrokenError) return error;
  if (error instanceof UpstreamTimeoutError)
    return new StreamBrokenError(504, 'upstream_timeout', error.message);
  if (error instanceof UpstreamError)
    return new StreamBrokenError(
      error.info.status >= 400 ? error.info.status : 502,
      error.info.kind,
      error.info.message,
    );
  if (error instanceof UpstreamNetworkError)
    return new StreamBrokenError(502, 'upstream_cut', `The upstream connection broke: ${error.message}`);
  return new StreamBrokenError(500, 'internal_error', 'The stream failed; see the server log for details');
}
