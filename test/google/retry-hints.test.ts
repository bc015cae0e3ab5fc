import { describe, expect, it } from 'vitest';
import { parseGoDuration, parseRetryHint, readRpcStatus } from '../../src/google/retry-hints.ts';
import type { RetryHintInput } from '../../src/google/retry-hints.ts';

/** Bodies copied from wire.md §2.11 and §3. */
const RATE_LIMIT = String.raw`{"error":{"code":429,"message":"You have exhausted your capacity on this model. Your quota will reset after 0s.","status":"RESOURCE_EXHAUSTED","details":[
  {"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"RATE_LIMIT_EXCEEDED","domain":"cloudcode-pa.googleapis.com","metadata":{"model":"claude-opus-4-6-thinking","quotaResetDelay":"479.417207ms","quotaResetTimeStamp":"2026-04-20T09:19:49Z","uiMessage":"true"}},
  {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"0.479417207s"}]}}`;
const QUOTA_EXHAUSTED = String.raw`{"error":{"code":429,"message":"You have exhausted your capacity on this model. Your quota will reset after 161h39m41s.","status":"RESOURCE_EXHAUSTED","details":[
  {"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"QUOTA_EXHAUSTED","domain":"cloudcode-pa.googleapis.com","metadata":{"uiMessage":"true","model":"claude-sonnet-4-5","quotaResetDelay":"161h39m41.300432511s","quotaResetTimeStamp":"2025-12-18T20:18:34Z"}},
  {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"581981.300432511s"}]}}`;
const CAPACITY = String.raw`{"error":{"code":503,"message":"No capacity available for model gemini-3.1-pro-preview on the server","status":"UNAVAILABLE","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"MODEL_CAPACITY_EXHAUSTED","domain":"cloudcode-pa.googleapis.com","metadata":{"model":"gemini-3.1-pro-preview"}},{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"9s"}]}}`;
const PUBLIC_RATE_LIMIT = String.raw`{"error":{"code":429,"message":"You exceeded your current quota, please check your plan and billing details. … Please retry in 56.185908122s.","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaMetric":"generativelanguage.googleapis.com/generate_content_free_tier_requests","quotaId":"GenerateRequestsPerMinutePerProjectPerModel-FreeTier","quotaDimensions":{"location":"global","model":"gemini-2.5-pro"},"quotaValue":"2"}]},{"@type":"type.googleapis.com/google.rpc.Help","links":[{"description":"Learn more about Gemini API quotas","url":"https://ai.google.dev/gemini-api/docs/rate-limits"}]},{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"56s"}]}}`;
const UNSTRUCTURED_429 = String.raw`{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}`;

const NOW = Date.parse('2026-04-20T09:19:00Z');

function rpc(message: string, details: unknown[]): unknown {
  return { error: { code: 429, message, status: 'RESOURCE_EXHAUSTED', details } };
}
const errorInfo = (metadata: Record<string, string>): unknown => ({
  '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
  reason: 'QUOTA_EXHAUSTED',
  metadata,
});
const retryInfo = (retryDelay: unknown): unknown => ({
  '@type': 'type.googleapis.com/google.rpc.RetryInfo',
  retryDelay,
});
const help = { '@type': 'type.googleapis.com/google.rpc.Help', links: [{ url: 'https://example.test' }] };

describe('parseGoDuration', () => {
  it.each([
    ['161h39m41.3s', 581_981_300],
    ['161h39m41.300432511s', 581_981_300.432511],
    ['33740.910400305s', 33_740_910.400305],
    ['479.417207ms', 479.417207],
    ['1h2m', 3_720_000],
    ['2m30s', 150_000],
    ['0.479417207s', 479.417207],
    ['56s', 56_000],
    ['1.5h', 5_400_000],
    ['.5s', 500],
    ['300us', 0.3],
    ['300µs', 0.3],
    ['1500ns', 0.0015],
    ['0', 0],
    ['0s', 0],
    ['-1s', -1000],
    [' 2s ', 2000],
  ])('%s → %d ms', (text, ms) => {
    expect(parseGoDuration(text)).toBeCloseTo(ms, 6);
  });

  it.each(['', 'abc', '5', '1x', 's', '1h 2m', '1.2.3s', '2 hours', 'h1', '1s2'])('rejects %j', (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });
});

interface HintCase {
  name: string;
  input: Omit<RetryHintInput, 'now' | 'status'> & { status?: number; now?: number };
  delayMs: number;
  source: string;
}

const hintCases: HintCase[] = [
  // 1. RetryInfo
  {
    name: 'wire RATE_LIMIT: RetryInfo beats the earlier ErrorInfo',
    input: { bodyText: RATE_LIMIT },
    delayMs: 680,
    source: 'retryInfo',
  },
  {
    name: 'wire QUOTA_EXHAUSTED RetryInfo',
    input: { bodyText: QUOTA_EXHAUSTED },
    delayMs: 581_981_301,
    source: 'retryInfo',
  },
  {
    name: 'wire capacity RetryInfo "9s"',
    input: { body: JSON.parse(CAPACITY) },
    delayMs: 9000,
    source: 'retryInfo',
  },
  {
    name: 'RetryInfo at details[2] (QuotaFailure, Help first)',
    input: { bodyText: PUBLIC_RATE_LIMIT },
    delayMs: 56_000,
    source: 'retryInfo',
  },
  {
    name: 'RetryInfo without @type, snake_case',
    input: { body: rpc('x', [{ retry_delay: '3.5s' }]) },
    delayMs: 3500,
    source: 'retryInfo',
  },
  {
    name: 'RetryInfo as {seconds,nanos}',
    input: { body: rpc('x', [retryInfo({ seconds: '2', nanos: 500_000_000 })]) },
    delayMs: 2500,
    source: 'retryInfo',
  },
  // 2. quotaResetDelay in every Go form
  {
    name: 'quotaResetDelay Go duration 161h39m41.3s',
    input: { body: rpc('x', [errorInfo({ quotaResetDelay: '161h39m41.3s' })]) },
    delayMs: 581_981_300,
    source: 'quotaResetDelay',
  },
  {
    name: 'quotaResetDelay plain seconds',
    input: { body: rpc('Resets in 9h22m20s.', [errorInfo({ quotaResetDelay: '33740.910400305s' })]) },
    delayMs: 33_740_911,
    source: 'quotaResetDelay',
  },
  {
    name: 'quotaResetDelay milliseconds (+200 ms slack)',
    input: { body: rpc('x', [errorInfo({ quotaResetDelay: '479.417207ms' })]) },
    delayMs: 680,
    source: 'quotaResetDelay',
  },
  {
    name: 'quotaResetDelay 1h2m',
    input: { body: rpc('x', [errorInfo({ quotaResetDelay: '1h2m' })]) },
    delayMs: 3_720_000,
    source: 'quotaResetDelay',
  },
  {
    name: 'quotaResetDelay 2m30s',
    input: { body: rpc('x', [errorInfo({ quotaResetDelay: '2m30s' })]) },
    delayMs: 150_000,
    source: 'quotaResetDelay',
  },
  {
    name: 'ErrorInfo after a Help entry is still read',
    input: { body: rpc('x', [help, errorInfo({ quotaResetDelay: '10s' })]) },
    delayMs: 10_000,
    source: 'quotaResetDelay',
  },
  {
    name: 'quota_reset_delay snake_case',
    input: { body: rpc('x', [errorInfo({ quota_reset_delay: '4s' })]) },
    delayMs: 4000,
    source: 'quotaResetDelay',
  },
  {
    name: 'unparseable RetryInfo falls through to quotaResetDelay',
    input: { body: rpc('x', [retryInfo('soon'), errorInfo({ quotaResetDelay: '7s' })]) },
    delayMs: 7000,
    source: 'quotaResetDelay',
  },
  {
    name: 'quotaResetDelay beats quotaResetTimeStamp',
    input: {
      body: rpc('x', [errorInfo({ quotaResetDelay: '7s', quotaResetTimeStamp: '2026-04-20T10:19:00Z' })]),
    },
    delayMs: 7000,
    source: 'quotaResetDelay',
  },
  // 3. quotaResetTimeStamp − now
  {
    name: 'quotaResetTimeStamp − now',
    input: { body: rpc('x', [errorInfo({ quotaResetTimeStamp: '2026-04-20T09:19:49Z' })]) },
    delayMs: 49_000,
    source: 'quotaResetTimeStamp',
  },
  {
    name: 'quotaResetTimeStamp in the past → 500 ms',
    input: { body: rpc('x', [errorInfo({ quotaResetTimeStamp: '2025-12-18T20:18:34Z' })]) },
    delayMs: 500,
    source: 'quotaResetTimeStamp',
  },
  {
    name: 'quotaResetTimeStamp beats headers',
    input: {
      body: rpc('x', [errorInfo({ quotaResetTimeStamp: '2026-04-20T09:20:00Z' })]),
      headers: { 'retry-after': '5' },
    },
    delayMs: 60_000,
    source: 'quotaResetTimeStamp',
  },
  // 4. headers
  {
    name: 'Retry-After seconds',
    input: { headers: { 'Retry-After': '120' }, bodyText: UNSTRUCTURED_429 },
    delayMs: 120_000,
    source: 'retry-after',
  },
  {
    name: 'Retry-After HTTP-date',
    input: { headers: { 'retry-after': 'Mon, 20 Apr 2026 09:20:00 GMT' } },
    delayMs: 60_000,
    source: 'retry-after',
  },
  {
    name: 'Retry-After as a header array',
    input: { headers: { 'RETRY-AFTER': ['3', '9'] } },
    delayMs: 3000,
    source: 'retry-after',
  },
  {
    name: 'Retry-After beats x-ratelimit-reset',
    input: { headers: { 'retry-after': '3', 'x-ratelimit-reset': String(NOW / 1000 + 30) } },
    delayMs: 3000,
    source: 'retry-after',
  },
  {
    name: 'x-ratelimit-reset unix seconds',
    input: { headers: { 'x-ratelimit-reset': String(NOW / 1000 + 30) } },
    delayMs: 30_000,
    source: 'x-ratelimit-reset',
  },
  {
    name: 'x-ratelimit-reset beats -after',
    input: { headers: { 'x-ratelimit-reset': String(NOW / 1000 + 30), 'x-ratelimit-reset-after': '9' } },
    delayMs: 30_000,
    source: 'x-ratelimit-reset',
  },
  {
    name: 'x-ratelimit-reset-after seconds',
    input: { headers: { 'x-ratelimit-reset-after': '15' } },
    delayMs: 15_000,
    source: 'x-ratelimit-reset-after',
  },
  {
    name: 'unparseable Retry-After falls through',
    input: { headers: { 'retry-after': 'later', 'x-ratelimit-reset-after': '2' } },
    delayMs: 2000,
    source: 'x-ratelimit-reset-after',
  },
  {
    name: 'headers beat the message',
    input: { headers: { 'retry-after': '4' }, bodyText: 'retry after 60 seconds' },
    delayMs: 4000,
    source: 'retry-after',
  },
  // 5. message text
  {
    name: 'message "reset after 2h13m5s"',
    input: { body: rpc('Your quota will reset after 2h13m5s.', []) },
    delayMs: 7_985_000,
    source: 'message',
  },
  {
    name: 'message "Resets in 9h22m20s"',
    input: {
      body: rpc(
        'Individual quota reached. Please upgrade your subscription to increase your limits. Resets in 9h22m20s.',
        [],
      ),
    },
    delayMs: 33_740_000,
    source: 'message',
  },
  {
    name: 'message "Please retry in 56.185908122s"',
    input: { body: rpc('… Please retry in 56.185908122s.', []) },
    delayMs: 56_186,
    source: 'message',
  },
  {
    name: 'message "retry after 60 seconds" (text body)',
    input: { bodyText: 'Too many requests, retry after 60 seconds' },
    delayMs: 60_000,
    source: 'message',
  },
  {
    name: 'message "after 30s"',
    input: { bodyText: 'Rate limited; try later after 30s' },
    delayMs: 30_000,
    source: 'message',
  },
  {
    name: 'message "retry in 2 minutes"',
    input: { bodyText: 'Please retry in 2 minutes.' },
    delayMs: 120_000,
    source: 'message',
  },
  {
    name: 'message "reset after 0s" → 500 ms',
    input: { body: rpc('Your quota will reset after 0s.', []) },
    delayMs: 500,
    source: 'message',
  },
  { name: 'message as a string body', input: { body: 'Resets in 1m.' }, delayMs: 60_000, source: 'message' },
  // shapes
  {
    name: 'streaming array [{error}]',
    input: { body: [JSON.parse(RATE_LIMIT)] },
    delayMs: 680,
    source: 'retryInfo',
  },
  { name: 'array as text', input: { bodyText: `[${CAPACITY}]` }, delayMs: 9000, source: 'retryInfo' },
  {
    name: 'duplicate commas from SSE corruption',
    input: { bodyText: `data: ${CAPACITY.replace('},{', '},,{')}` },
    delayMs: 9000,
    source: 'retryInfo',
  },
  // sanity rules
  {
    name: 'retryDelay 0s → 500 ms',
    input: { body: rpc('x', [retryInfo('0s')]) },
    delayMs: 500,
    source: 'retryInfo',
  },
  {
    name: 'retryDelay negative → 500 ms',
    input: { body: rpc('x', [retryInfo('-5s')]) },
    delayMs: 500,
    source: 'retryInfo',
  },
  {
    name: 'retryDelay 0.1s → +200 ms',
    input: { body: rpc('x', [retryInfo('0.1s')]) },
    delayMs: 300,
    source: 'retryInfo',
  },
  {
    name: 'retryDelay 0.5s is not bumped',
    input: { body: rpc('x', [retryInfo('0.5s')]) },
    delayMs: 500,
    source: 'retryInfo',
  },
];

describe('parseRetryHint', () => {
  it.each(hintCases)('$name', ({ input, delayMs, source }) => {
    expect(parseRetryHint({ status: 429, now: NOW, ...input })).toEqual({ delayMs, source });
  });

  it.each([
    ['unstructured 429', { bodyText: UNSTRUCTURED_429 }],
    ['no body, no headers', {}],
    ['garbage text', { bodyText: '<html>502 Bad Gateway</html>' }],
    ['empty details, unrelated message', { body: rpc('Resource has been exhausted', []) }],
    [
      'bad timestamp, bad header',
      {
        body: rpc('x', [errorInfo({ quotaResetTimeStamp: 'tomorrow' })]),
        headers: { 'retry-after': 'soon' },
      },
    ],
  ])('no hint: %s', (_name, input) => {
    expect(parseRetryHint({ status: 429, now: NOW, ...input })).toBeUndefined();
  });
});

describe('readRpcStatus', () => {
  it('normalises object, array and text bodies alike', () => {
    const fromObject = readRpcStatus(JSON.parse(RATE_LIMIT));
    expect(fromObject).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED' });
    expect(fromObject?.details).toHaveLength(2);
    expect(readRpcStatus([JSON.parse(RATE_LIMIT)])).toEqual(fromObject);
    expect(readRpcStatus(undefined, RATE_LIMIT)).toEqual(fromObject);
  });

  it.each([null, 42, 'plain text', { error: 'invalid_grant' }, [], [{ foo: 1 }]])('rejects %j', (body) => {
    expect(readRpcStatus(body)).toBeUndefined();
  });

  it('drops non-object details', () => {
    expect(
      readRpcStatus({ error: { message: 'm', details: ['x', null, { reason: 'R' }] } })?.details,
    ).toEqual([{ reason: 'R' }]);
  });
});
