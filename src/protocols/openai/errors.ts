import type { ClientReply, ProtocolError } from '../../proxy/adapter.ts';

/** `type` and `code` per HTTP status (wire.md §5.4). */
function typeAndCode(error: ProtocolError): { type: string; code: string | null } {
  switch (error.status) {
    case 400:
    case 413:
      return {
        type: 'invalid_request_error',
        code: error.status === 413 ? 'request_too_large' : 'invalid_value',
      };
    case 401:
      return { type: 'authentication_error', code: 'invalid_api_key' };
    case 403:
      return { type: 'permission_error', code: 'permission_denied' };
    case 404:
      return {
        type: 'invalid_request_error',
        code: error.param === 'model' ? 'model_not_found' : 'not_found',
      };
    case 429:
      return { type: 'rate_limit_error', code: 'rate_limit_exceeded' };
    case 503:
      return { type: 'server_error', code: 'service_unavailable' };
    default:
      if (error.status >= 500)
        return {
          type: 'server_error',
          code: error.status === 500 ? 'internal_server_error' : 'upstream_error',
        };
      return { type: 'invalid_request_error', code: null };
  }
}

/** An error in the OpenAI APIs' shape. */
export function openaiError(error: ProtocolError): ClientReply {
  const { type, code } = typeAndCode(error);
  return {
    status: error.status,
    body: { error: { message: error.message, type, param: error.param ?? null, code } },
  };
}
