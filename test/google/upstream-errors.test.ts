import { describe, expect, it } from 'vitest';
import { classifyUpstreamError, redactSecrets } from '../../src/google/upstream-errors.ts';
import {
  expectBodyEqualsText,
  expectClassified,
  info,
  NOW,
  ROTATE_COOLDOWN,
  ROTATE_ONLY,
  rpc,
  STAY,
  type Case,
} from './error-cases.ts';

const BT = '`';
/** 4xx bodies copied verbatim from wire.md §2.11 (429s are in upstream-errors-limits.test.ts). */
const WIRE = {
  invalidArgument: String.raw`{"error":{"code":400,"message":"Invalid JSON payload received. Unknown name \"model\": Cannot find field.","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.BadRequest","fieldViolations":[{"description":"Invalid JSON payload received. Unknown name \"model\": Cannot find field."}]}]}}`,
  missingSignature: String.raw`{"error":{"code":400,"message":"Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call ${BT}default_api:Bash${BT} , position 32. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.","status":"INVALID_ARGUMENT"}}`,
  claudePassthrough: String.raw`{"error":{"code":400,"message":"{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"messages.1.content.0: Invalid ${BT}signature${BT} in ${BT}thinking${BT} block\"},\"request_id\":\"req_vrtx_011CW5dZAWEaAJygc23rzEsy\"}","status":"INVALID_ARGUMENT"}}`,
  unauthenticated: String.raw`{"error":{"code":401,"message":"Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.","status":"UNAUTHENTICATED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"ACCESS_TOKEN_EXPIRED","domain":"googleapis.com","metadata":{"service":"cloudcode-pa.googleapis.com","method":"google.internal.cloud.code.v1internal.CloudCode.GenerateContent"}}]}}`,
  validation: String.raw`{"error":{"code":403,"message":"Validation required to continue.","status":"PERMISSION_DENIED","details":[
  {"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"VALIDATION_REQUIRED","domain":"cloudcode-pa.googleapis.com","metadata":{"validation_url":"https://accounts.google.com/signin/continue?sarp=1&scc=1&continue=…","validation_link":"https://accounts.google.com/signin/continue?sarp=1&scc=1&continue=…"}},
  {"@type":"type.googleapis.com/google.rpc.Help","links":[{"description":"Complete validation to continue","url":"https://accounts.google.com/signin/continue?sarp=1&scc=1&continue=…"},{"description":"Learn more","url":"https://support.google.com/accounts?p=al_alert"}]}]}}`,
  tosBan: String.raw`{"error":{"code":403,"message":"This service has been disabled in this account for violation of Terms of Service. Please submit an appeal to continue using this product.","status":"PERMISSION_DENIED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","domain":"cloudcode-pa.googleapis.com","metadata":{"appeal_url_link_text":"Submit Appeal","appeal_url":"https://forms.gle/hGzM9MEUv2azZsrb9"}}]}}`,
  serviceDisabled: String.raw`{"error":{"code":403,"message":"Cloud Code Private API has not been used in project fluted-text-jllrg before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/cloudcode-pa.googleapis.com/overview?project=fluted-text-jllrg then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.","status":"PERMISSION_DENIED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"SERVICE_DISABLED","domain":"googleapis.com","metadata":{"consumer":"projects/fluted-text-jllrg","service":"cloudcode-pa.googleapis.com","serviceTitle":"Cloud Code Private API","containerInfo":"fluted-text-jllrg","activationUrl":"https://console.developers.google.com/apis/api/cloudcode-pa.googleapis.com/overview?project=fluted-text-jllrg"}},{"@type":"type.googleapis.com/google.rpc.LocalizedMessage","locale":"en-US","message":"Cloud Code Private API has not been used in project …"}]}}`,
  notFound: String.raw`{"error":{"code":404,"message":"Requested entity was not found.","status":"NOT_FOUND"}}`,
};

const VALIDATION_URL = 'https://accounts.google.com/signin/continue?sarp=1&scc=1&continue=…';

const cases: Case[] = [
  // 400
  {
    name: '400 unknown field',
    status: 400,
    bodyText: WIRE.invalidArgument,
    expected: { kind: 'client_error', ...STAY },
  },
  {
    name: '400 missing thought_signature',
    status: 400,
    bodyText: WIRE.missingSignature,
    expected: { kind: 'client_error', ...STAY },
  },
  {
    name: '400 Claude error passed through',
    status: 400,
    bodyText: WIRE.claudePassthrough,
    expected: { kind: 'client_error', message: JSON.parse(WIRE.claudePassthrough).error.message },
  },
  {
    name: '400 version gate → client_outdated',
    status: 400,
    bodyText: rpc(
      400,
      'This version of Antigravity is no longer supported. Please update to receive the latest features!',
      [],
      'FAILED_PRECONDITION',
    ),
    expected: { kind: 'client_outdated', ...STAY },
  },
  {
    name: 'version gate on a 403, text only',
    status: 403,
    bodyText: 'This version of Antigravity is no longer supported.',
    expected: { kind: 'client_outdated', ...STAY },
  },
  // 401 and OAuth (§1.5)
  {
    name: '401 ACCESS_TOKEN_EXPIRED',
    status: 401,
    bodyText: WIRE.unauthenticated,
    expected: { kind: 'auth', reason: 'ACCESS_TOKEN_EXPIRED', ...ROTATE_ONLY, markAccount: undefined },
  },
  {
    name: '401 CREDENTIALS_MISSING',
    status: 401,
    bodyText: rpc(
      401,
      'Request is missing required authentication credential.',
      [info('CREDENTIALS_MISSING')],
      'UNAUTHENTICATED',
    ),
    expected: { kind: 'auth', reason: 'CREDENTIALS_MISSING' },
  },
  ...(
    [
      [
        400,
        '{"error":"invalid_grant","error_description":"Token has been expired or revoked."}',
        'Token has been expired or revoked.',
      ],
      [400, '{"error":"invalid_grant","error_description":"Bad Request"}', 'Bad Request'],
      [
        400,
        '{"error":"invalid_grant","error_description":"Invalid code verifier."}',
        'Invalid code verifier.',
      ],
      [
        401,
        '{"error":"invalid_client","error_description":"The OAuth client was not found."}',
        'The OAuth client was not found.',
      ],
      [401, '{"error":"invalid_client","error_description":"Unauthorized"}', 'Unauthorized'],
      [400, 'Token has been expired or revoked.', 'Token has been expired or revoked.'],
    ] as const
  ).map(([status, bodyText, message]) => ({
    name: `OAuth ${status} ${bodyText} → auth_permanent`,
    status,
    bodyText,
    expected: {
      kind: 'auth_permanent' as const,
      markAccount: 'needs_login' as const,
      ...ROTATE_ONLY,
      message,
    },
  })),
  ...(
    [
      '{"error":"invalid_request","error_description":"Missing required parameter: code"}',
      '{"error":"unsupported_grant_type","error_description":"Invalid grant_type: foo"}',
      '{"error":"redirect_uri_mismatch","error_description":"Bad Request"}',
    ] as const
  ).map((bodyText) => ({
    name: `OAuth 400 ${bodyText} → client_error`,
    status: 400,
    bodyText,
    expected: { kind: 'client_error' as const, markAccount: undefined },
  })),
  // 403
  {
    name: '403 VALIDATION_REQUIRED',
    status: 403,
    bodyText: WIRE.validation,
    expected: {
      kind: 'validation_required',
      reason: 'VALIDATION_REQUIRED',
      validationUrl: VALIDATION_URL,
      markAccount: 'forbidden',
      ...ROTATE_ONLY,
    },
  },
  {
    name: '403 validation, URL only in the message (ACP wording)',
    status: 403,
    bodyText: rpc(
      403,
      'To continue, verify your account at\n\nhttps://accounts.google.com/signin/continue?sarp=1&scc=1&continue=abc\n\nLearn more',
    ),
    expected: {
      kind: 'validation_required',
      validationUrl: 'https://accounts.google.com/signin/continue?sarp=1&scc=1&continue=abc',
      markAccount: 'forbidden',
    },
  },
  {
    name: '403 validation, camelCase validationUrl in details[1]',
    status: 403,
    bodyText: rpc(403, 'Further action is required.', [
      { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en', message: 'x' },
      info('VALIDATION_REQUIRED', { validationUrl: 'https://v.test/a' }),
    ]),
    expected: { kind: 'validation_required', validationUrl: 'https://v.test/a' },
  },
  {
    name: '403 validation, appeal_url',
    status: 403,
    bodyText: rpc(403, 'Validation required.', [
      info('VALIDATION_REQUIRED', { appeal_url: 'https://forms.gle/x' }),
    ]),
    expected: { kind: 'validation_required', validationUrl: 'https://forms.gle/x' },
  },
  {
    name: '403 validation, URL only in Help links (GCLI)',
    status: 403,
    bodyText: rpc(403, 'Validation required to continue.', [
      info('VALIDATION_REQUIRED'),
      { '@type': 'type.googleapis.com/google.rpc.Help', links: [{ url: 'https://accounts.google.com/h' }] },
    ]),
    expected: { kind: 'validation_required', validationUrl: 'https://accounts.google.com/h' },
  },
  {
    name: '403 INELIGIBLE_ACCOUNT',
    status: 403,
    bodyText: rpc(403, 'Not eligible.', [info('INELIGIBLE_ACCOUNT')]),
    expected: { kind: 'validation_required', markAccount: 'forbidden' },
  },
  {
    name: '403 ToS ban',
    status: 403,
    bodyText: WIRE.tosBan,
    expected: {
      kind: 'banned',
      markAccount: 'forbidden',
      validationUrl: 'https://forms.gle/hGzM9MEUv2azZsrb9',
      reason: undefined,
      ...ROTATE_ONLY,
    },
  },
  {
    name: '403 ToS ban, older wording as text',
    status: 403,
    bodyText:
      'Gemini has been disabled in this account for violation of Terms of Service. Please submit an appeal.',
    expected: { kind: 'banned', markAccount: 'forbidden' },
  },
  {
    name: '403 ACCOUNT_DISABLED reason',
    status: 403,
    bodyText: rpc(403, 'Denied.', [info('ACCOUNT_DISABLED')]),
    expected: { kind: 'banned', markAccount: 'forbidden' },
  },
  {
    name: '403 user_disabled in text',
    status: 403,
    bodyText: rpc(403, 'user_disabled'),
    expected: { kind: 'banned' },
  },
  {
    name: '403 SERVICE_DISABLED',
    status: 403,
    bodyText: WIRE.serviceDisabled,
    expected: {
      kind: 'service_disabled',
      reason: 'SERVICE_DISABLED',
      markAccount: undefined,
      ...ROTATE_ONLY,
    },
  },
  {
    name: '403 "has not been used in project" without reason',
    status: 403,
    bodyText: rpc(
      403,
      'Gemini for Google Cloud API has not been used in project p-1 before or it is disabled.',
    ),
    expected: { kind: 'service_disabled' },
  },
  {
    name: '403 other',
    status: 403,
    bodyText: rpc(403, 'The caller does not have permission'),
    expected: { kind: 'forbidden', markAccount: undefined, ...ROTATE_ONLY },
  },
  // 404
  {
    name: '404',
    status: 404,
    bodyText: WIRE.notFound,
    expected: { kind: 'not_found', message: 'Requested entity was not found.', ...ROTATE_COOLDOWN },
  },
];

describe('classifyUpstreamError: 4xx and OAuth', () => {
  it.each(cases)('$name', (row) => expectClassified(row));

  it('reads a parsed body the same as its text', () => expectBodyEqualsText(Object.values(WIRE)));

  it('never leaks tokens in the message', () => {
    const body = rpc(
      400,
      'bad header Authorization: Bearer ya29.a0AS3H6Nx-secret_1 and refresh 1//0gLx-secret.2 and ya29.other and GOCSPX-K58Fabc',
    );
    const { message } = classifyUpstreamError({ status: 400, bodyText: body, now: NOW });
    expect(message).not.toMatch(/ya29|1\/\/|secret|GOCSPX/);
    expect(message).toContain('[redacted]');
  });

  it('trims and caps the message at 500 characters', () => {
    const { message } = classifyUpstreamError({ status: 500, bodyText: `  ${'x'.repeat(2000)}  `, now: NOW });
    expect(message).toHaveLength(500);
    expect(message.startsWith('x')).toBe(true);
    expect(classifyUpstreamError({ status: 500, bodyText: '  oops \n', now: NOW }).message).toBe('oops');
  });
});

describe('redactSecrets', () => {
  it.each([
    ['ya29.a0AS3H6Nx... rest', '[redacted] rest'],
    ['token=1//0gLx_abc-DEF', 'token=[redacted]'],
    ['Authorization: Bearer abc.def', 'Authorization: Bearer [redacted]'],
    ['see https://example.com/v1//x', 'see https://example.com/v1//x'],
    ['http://1//x', 'http://1//x'],
  ])('%s', (input, output) => {
    expect(redactSecrets(input)).toBe(output);
  });
});
