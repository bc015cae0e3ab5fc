import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ImportFormatError } from '../accounts/import-formats.ts';
import { OAuthFlowError, type OAuthFlowErrorCode } from '../accounts/oauth-flow.ts';
import { AccountNotFoundError } from '../accounts/service.ts';
import { SettingsError } from '../config/resolve.ts';
import { UpstreamError } from '../google/code-assist-client.ts';
import { UpstreamNetworkError } from '../google/http.ts';
import { OAuthError } from '../google/oauth-client.ts';
import { isStorageFull, StorageFullError } from '../store/storage-full.ts';

const FLOW_STATUS: Record<OAuthFlowErrorCode, number> = {
  unknown_flow: 404,
  state_mismatch: 400,
  expired: 410,
  already_completed: 409,
  denied: 400,
  invalid_input: 400,
  exchange_failed: 502,
};

/** An admin API failure: `{"error":{"code","message"}}` with its HTTP status. */
export class AdminError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'AdminError';
    this.status = status;
    this.code = code;
  }
}

export function sendAdminError(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
): FastifyReply {
  return reply.code(status).type('application/json').send({ error: { code, message } });
}

/** Maps every error reaching the admin routes to the admin shape; unexpected ones become a 500 without details. */
export function adminErrorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (error instanceof AdminError) return sendAdminError(reply, error.status, error.code, error.message);
  if (isStorageFull(error)) {
    // SQLite's own words ("database or disk is full") do not say what was lost or what to do.
    const message = error instanceof StorageFullError ? error.message : new StorageFullError().message;
    return sendAdminError(reply, 507, 'storage_full', message);
  }
  if (error instanceof SettingsError) return sendAdminError(reply, 400, 'invalid_setting', error.message);
  if (error instanceof AccountNotFoundError) return sendAdminError(reply, 404, 'not_found', error.message);
  if (error instanceof ImportFormatError) return sendAdminError(reply, 400, 'invalid_request', error.message);
  if (error instanceof OAuthFlowError)
    return sendAdminError(reply, FLOW_STATUS[error.code], error.code, error.message);
  if (error instanceof UpstreamError)
    return sendAdminError(reply, 502, `upstream_${error.info.kind}`, error.message);
  if (error instanceof OAuthError) return sendAdminError(reply, 502, 'upstream_oauth', error.message);
  if (error instanceof UpstreamNetworkError)
    return sendAdminError(reply, 502, 'upstream_unreachable', error.message);
  if (error.validation) return sendAdminError(reply, 400, 'invalid_request', error.message);
  const status = error.statusCode ?? 500;
  if (status < 500) {
    const code =
      status === 413 ? 'body_too_large' : status === 415 ? 'unsupported_media_type' : 'invalid_request';
    return sendAdminError(reply, status, code, error.message);
  }
  request.log.error({ err: error }, 'admin request failed');
  return sendAdminError(reply, 500, 'internal_error', 'Internal error; see the server log for details');
}
