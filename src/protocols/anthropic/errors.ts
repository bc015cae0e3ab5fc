import type { ClientReply, ProtocolError } from '../../proxy/adapter.ts';

/** `error.type` per HTTP status (wire.md §4.5); the SDK picks its error class from the status. */
const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

/** Longer than this, a client that sleeps on `retry-after` only looks hung: it should give up and say why. */
const SENSIBLE_WAIT_SECONDS = 60;

export function anthropicErrorType(status: number): string {
  return ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

/** An error in the Messages API's shape. */
export function anthropicError(error: ProtocolError): ClientReply {
  const headers: Record<string, string> = {};
  if (error.status === 429 && (error.retryAfterSeconds ?? Infinity) > SENSIBLE_WAIT_SECONDS) {
    headers['x-should-retry'] = 'false';
  }
  return {
    status: error.status,
    headers,
    body: { type: 'error', error: { type: anthropicErrorType(error.status), message: error.message } },
  };
}
