import { createHash } from 'node:crypto';

/** google.rpc.Status bodies as Cloud Code sends them (wire.md §2.11). */

export interface RpcError {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  408: 'DEADLINE_EXCEEDED',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'NOT_IMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const GENERIC_MESSAGES: Record<number, string> = {
  400: 'Request contains an invalid argument.',
  401: 'Request had invalid authentication credentials.',
  403: 'The caller does not have permission',
  404: 'Requested entity was not found.',
  429: 'Resource has been exhausted (e.g. check quota).',
  500: 'Internal error encountered.',
  503: 'The service is currently unavailable.',
  504: 'The request timed out. Please try again.',
};

export const DOMAIN = 'cloudcode-pa.googleapis.com';
export const ERROR_INFO = 'type.googleapis.com/google.rpc.ErrorInfo';
export const RETRY_INFO = 'type.googleapis.com/google.rpc.RetryInfo';
export const HELP = 'type.googleapis.com/google.rpc.Help';

export function statusName(code: number): string {
  return STATUS_NAMES[code] ?? (code >= 500 ? 'INTERNAL' : 'UNKNOWN');
}

export function rpcError(code: number, message: string, details?: unknown[], status?: string): RpcError {
  const error: Record<string, unknown> = { code, message, status: status ?? statusName(code) };
  if (details && details.length > 0) error.details = details;
  return { status: code, body: { error } };
}

/** The body a status gets when nothing more specific applies (host failures, plain presets). */
export function genericError(code: number): RpcError {
  return rpcError(code, GENERIC_MESSAGES[code] ?? `HTTP ${code}`);
}

export function notFound(): RpcError {
  return rpcError(404, 'Requested entity was not found.');
}

export function invalidArgument(message: string): RpcError {
  return rpcError(400, message);
}

/** ESF's answer to a field the proto does not have; `at` is the snake_case path of the parent. */
export function unknownField(name: string, at?: string): RpcError {
  const where = at ? ` at '${at}'` : '';
  const message = `Invalid JSON payload received. Unknown name "${name}"${where}: Cannot find field.`;
  return rpcError(400, message, [
    {
      '@type': 'type.googleapis.com/google.rpc.BadRequest',
      fieldViolations: [{ field: at ?? '', description: message }],
    },
  ]);
}

const CREDENTIALS_HELP =
  'Expected OAuth 2 access token, login cookie or other valid authentication credential. ' +
  'See https://developers.google.com/identity/sign-in/web/devconsole-project.';

export function unauthenticated(reason: 'missing' | 'expired' | 'invalid', rpcMethod?: string): RpcError {
  const message =
    reason === 'missing'
      ? `Request is missing required authentication credential. ${CREDENTIALS_HELP}`
      : `Request had invalid authentication credentials. ${CREDENTIALS_HELP}`;
  const errorReason =
    reason === 'missing'
      ? 'CREDENTIALS_MISSING'
      : reason === 'expired'
        ? 'ACCESS_TOKEN_EXPIRED'
        : 'ACCESS_TOKEN_TYPE_UNSUPPORTED';
  const metadata: Record<string, string> = { service: DOMAIN };
  if (rpcMethod) {
    metadata.method = `google.internal.cloud.code.v1internal.CloudCode.${rpcMethod[0]?.toUpperCase()}${rpcMethod.slice(1)}`;
  }
  return rpcError(401, message, [
    { '@type': ERROR_INFO, reason: errorReason, domain: 'googleapis.com', metadata },
  ]);
}

/** The OAuth userinfo service answers bad tokens without details. */
export function userinfoUnauthenticated(): RpcError {
  return rpcError(401, `Request had invalid authentication credentials. ${CREDENTIALS_HELP}`);
}

export function tosBan(): RpcError {
  return rpcError(
    403,
    'This service has been disabled in this account for violation of Terms of Service. Please submit an appeal to continue using this product.',
    [
      {
        '@type': ERROR_INFO,
        domain: DOMAIN,
        metadata: {
          appeal_url_link_text: 'Submit Appeal',
          appeal_url: 'https://forms.gle/hGzM9MEUv2azZsrb9',
        },
      },
    ],
  );
}

export function validationRequired(url: string): RpcError {
  return rpcError(403, 'Validation required to continue.', [
    {
      '@type': ERROR_INFO,
      reason: 'VALIDATION_REQUIRED',
      domain: DOMAIN,
      metadata: { validation_url: url, validation_link: url },
    },
    {
      '@type': HELP,
      links: [
        { description: 'Complete validation to continue', url },
        { description: 'Learn more', url: 'https://support.google.com/accounts?p=al_alert' },
      ],
    },
  ]);
}

export function serviceDisabled(project: string): RpcError {
  const activationUrl = `https://console.developers.google.com/apis/api/cloudcode-pa.googleapis.com/overview?project=${project}`;
  const message =
    `Cloud Code Private API has not been used in project ${project} before or it is disabled. ` +
    `Enable it by visiting ${activationUrl} then retry. If you enabled this API recently, wait a few ` +
    'minutes for the action to propagate to our systems and retry.';
  return rpcError(403, message, [
    {
      '@type': ERROR_INFO,
      reason: 'SERVICE_DISABLED',
      domain: 'googleapis.com',
      metadata: {
        consumer: `projects/${project}`,
        service: DOMAIN,
        serviceTitle: 'Cloud Code Private API',
        containerInfo: project,
        activationUrl,
      },
    },
    { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message },
  ]);
}

export const OUTDATED_CLIENT_MESSAGE =
  'This version of Antigravity is no longer supported. Please update to receive the latest features!';

export function outdatedClient(): RpcError {
  return rpcError(400, OUTDATED_CLIENT_MESSAGE, undefined, 'FAILED_PRECONDITION');
}

/** Anthropic's error travels as a JSON string inside `message` (wire.md §2.11, CPA#517). */
export function claudeError(message: string, requestSeed: string): RpcError {
  const digest = createHash('sha256')
    .update(requestSeed)
    .digest('base64url')
    .replace(/[^A-Za-z0-9]/g, '');
  const requestId = `req_vrtx_011CW${digest.slice(0, 19)}`;
  const inner = JSON.stringify({
    type: 'error',
    error: { type: 'invalid_request_error', message },
    request_id: requestId,
  });
  return rpcError(400, inner);
}
