import { describe, expect, it } from 'vitest';
import { classifyUpstreamError, isCapacityError } from '../../src/google/upstream-errors.ts';
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

/** 429, capacity and 5xx bodies copied verbatim from wire.md §2.11 and §3. */
const WIRE = {
  rateLimit: String.raw`{"error":{"code":429,"message":"You have exhausted your capacity on this model. Your quota will reset after 0s.","status":"RESOURCE_EXHAUSTED","details":[
  {"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"RATE_LIMIT_EXCEEDED","domain":"cloudcode-pa.googleapis.com","metadata":{"model":"claude-opus-4-6-thinking","quotaResetDelay":"479.417207ms","quotaResetTimeStamp":"2026-04-20T09:19:49Z","uiMessage":"true"}},
  {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"0.479417207s"}]}}`,
  quotaExhausted: String.raw`{"error":{"code":429,"message":"You have exhausted your capacity on this model. Your quota will reset after 161h39m41s.","status":"RESOURCE_EXHAUSTED","details":[
  {"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"QUOTA_EXHAUSTED","domain":"cloudcode-pa.googleapis.com","metadata":{"uiMessage":"true","model":"claude-sonnet-4-5","quotaResetDelay":"161h39m41.300432511s","quotaResetTimeStamp":"2025-12-18T20:18:34Z"}},
  {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"581981.300432511s"}]}}`,
  capacity: String.raw`{"error":{"code":503,"message":"No capacity available for model gemini-3.1-pro-preview on the server","status":"UNAVAILABLE","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"MODEL_CAPACITY_EXHAUSTED","domain":"cloudcode-pa.googleapis.com","metadata":{"model":"gemini-3.1-pro-preview"}},{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"9s"}]}}`,
  credits: String.raw`{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"INSUFFICIENT_G1_CREDITS_BALANCE"}]}}`,
  unstructured429: String.raw`{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}`,
  publicRateLimit: String.raw`{"error":{"code":429,"message":"You exceeded your current quota, please check your plan and billing details. … Please retry in 56.185908122s.","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaMetric":"generativelanguage.googleapis.com/generate_content_free_tier_requests","quotaId":"GenerateRequestsPerMinutePerProjectPerModel-FreeTier","quotaDimensions":{"location":"global","model":"gemini-2.5-pro"},"quotaValue":"2"}]},{"@type":"type.googleapis.com/google.rpc.Help","links":[{"description":"Learn more about Gemini API quotas","url":"https://ai.google.dev/gemini-api/docs/rate-limits"}]},{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"56s"}]}}`,
  internal: String.raw`{"error":{"code":500,"message":"Internal error encountered.","status":"INTERNAL"}}`,
  unavailable: String.raw`{"error":{"code":503,"message":"The service is currently unavailable.","status":"UNAVAILABLE"}}`,
};

const cases: Case[] = [
  // 429
  {
    name: '429 RATE_LIMIT_EXCEEDED',
    status: 429,
    bodyText: WIRE.rateLimit,
    expected: {
      kind: 'rate_limited',
      reason: 'RATE_LIMIT_EXCEEDED',
      model: 'claude-opus-4-6-thinking',
      retryDelayMs: 680,
      retryHintSource: 'retryInfo',
      ...ROTATE_COOLDOWN,
    },
  },
  {
    name: '429 QUOTA_EXHAUSTED',
    status: 429,
    bodyText: WIRE.quotaExhausted,
    expected: {
      kind: 'quota_exhausted',
      reason: 'QUOTA_EXHAUSTED',
      model: 'claude-sonnet-4-5',
      retryDelayMs: 581_981_301,
      ...ROTATE_COOLDOWN,
    },
  },
  {
    name: '429 QUOTA_EXHAUSTED, newer wording',
    status: 429,
    bodyText: rpc(
      429,
      'Individual quota reached. Please upgrade your subscription to increase your limits. Resets in 9h22m20s.',
      [info('QUOTA_EXHAUSTED', { quotaResetDelay: '33740.910400305s' })],
      'RESOURCE_EXHAUSTED',
    ),
    expected: { kind: 'quota_exhausted', retryDelayMs: 33_740_911, retryHintSource: 'quotaResetDelay' },
  },
  {
    name: '429 INSUFFICIENT_G1_CREDITS_BALANCE',
    status: 429,
    bodyText: WIRE.credits,
    expected: { kind: 'credits_exhausted', ...ROTATE_COOLDOWN },
  },
  {
    name: '429 without details',
    status: 429,
    bodyText: WIRE.unstructured429,
    expected: { kind: 'rate_limited', retryDelayMs: undefined, ...ROTATE_COOLDOWN },
  },
  {
    name: '429 QuotaFailure PerMinute',
    status: 429,
    bodyText: WIRE.publicRateLimit,
    expected: { kind: 'rate_limited', model: 'gemini-2.5-pro', retryDelayMs: 56_000 },
  },
  {
    name: '429 QuotaFailure PerDay',
    status: 429,
    bodyText: WIRE.publicRateLimit.replace('PerMinute', 'PerDay'),
    expected: { kind: 'quota_exhausted' },
  },
  {
    name: '429 "limit: 0"',
    status: 429,
    bodyText: rpc(429, 'Quota exceeded, limit: 0', [], 'RESOURCE_EXHAUSTED'),
    expected: { kind: 'quota_exhausted' },
  },
  {
    name: '429 QUOTA_EXHAUSTED in a non-JSON body',
    status: 429,
    bodyText: '{"error":{"details":[{"reason":"QUOTA_EXHAUSTED"',
    expected: { kind: 'quota_exhausted' },
  },
  // capacity
  {
    name: '503 MODEL_CAPACITY_EXHAUSTED',
    status: 503,
    bodyText: WIRE.capacity,
    expected: { kind: 'capacity', model: 'gemini-3.1-pro-preview', retryDelayMs: 9000, ...STAY },
  },
  {
    name: '429 MODEL_CAPACITY_EXHAUSTED',
    status: 429,
    bodyText: WIRE.capacity.replace('"code":503', '"code":429'),
    expected: { kind: 'capacity', ...STAY },
  },
  {
    name: '429 MODEL_CAPACITY_EXCEEDED after RetryInfo',
    status: 429,
    bodyText: rpc(
      429,
      'Busy',
      [
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '5s' },
        info('MODEL_CAPACITY_EXCEEDED'),
      ],
      'RESOURCE_EXHAUSTED',
    ),
    expected: { kind: 'capacity', reason: 'MODEL_CAPACITY_EXCEEDED' },
  },
  {
    name: '503 "No capacity available" text, no details',
    status: 503,
    bodyText: rpc(503, 'No capacity available for model gemini-3-flash on the server', [], 'UNAVAILABLE'),
    expected: { kind: 'capacity' },
  },
  {
    name: '503 "no CAPACITY available" non-JSON',
    status: 503,
    bodyText: 'upstream: no CAPACITY available right now',
    expected: { kind: 'capacity', ...STAY },
  },
  {
    name: '529 "No capacity available"',
    status: 529,
    bodyText: 'No capacity available',
    expected: { kind: 'capacity' },
  },
  {
    name: '429 "model is currently overloaded"',
    status: 429,
    bodyText: rpc(429, 'The model is currently overloaded.', [], 'RESOURCE_EXHAUSTED'),
    expected: { kind: 'capacity' },
  },
  {
    name: '500 with "No capacity available" stays a server error',
    status: 500,
    bodyText: 'No capacity available',
    expected: { kind: 'server_error' },
  },
  // 5xx and others
  { name: '500', status: 500, bodyText: WIRE.internal, expected: { kind: 'server_error', ...ROTATE_ONLY } },
  {
    name: '503',
    status: 503,
    bodyText: WIRE.unavailable,
    expected: { kind: 'server_error', ...ROTATE_ONLY },
  },
  { name: '502 HTML', status: 502, bodyText: '<html>Bad Gateway</html>', expected: { kind: 'server_error' } },
  { name: '504 empty', status: 504, bodyText: '', expected: { kind: 'server_error', message: 'HTTP 504' } },
  { name: '409', status: 409, bodyText: rpc(409, 'Aborted', [], 'ABORTED'), expected: { kind: 'unknown' } },
  // shapes
  {
    name: 'stream array [{error}]',
    status: 429,
    bodyText: `[${WIRE.quotaExhausted}]`,
    expected: { kind: 'quota_exhausted', model: 'claude-sonnet-4-5' },
  },
  {
    name: 'error inside a 200 stream uses the rpc code',
    status: 200,
    bodyText: WIRE.rateLimit,
    expected: { kind: 'rate_limited', status: 429 },
  },
];

describe('classifyUpstreamError: limits, capacity, 5xx', () => {
  it.each(cases)('$name', (row) => expectClassified(row));

  it('reads a parsed body the same as its text', () => expectBodyEqualsText(Object.values(WIRE)));

  it('takes retry hints from headers too', () => {
    const result = classifyUpstreamError({
      status: 429,
      headers: { 'Retry-After': '12' },
      bodyText: WIRE.unstructured429,
      now: NOW,
    });
    expect(result).toMatchObject({ retryDelayMs: 12_000, retryHintSource: 'retry-after' });
  });

  it('isCapacityError', () => {
    expect(isCapacityError(classifyUpstreamError({ status: 503, bodyText: WIRE.capacity, now: NOW }))).toBe(
      true,
    );
    expect(
      isCapacityError(classifyUpstreamError({ status: 503, bodyText: WIRE.unavailable, now: NOW })),
    ).toBe(false);
  });
});
