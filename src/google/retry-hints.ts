import { isPlainObject } from '../util/json.ts';
/**
 * Retry hints in Google error responses (wire.md §2.11 "Retry-hint extraction") and the google.rpc.Status
 * reader shared with the error classifier. Pure functions: the clock is passed in as `now`.
 */

export type HeaderBag = Readonly<Record<string, string | string[] | undefined>>;

export type RetryHintSource =
  | 'retryInfo'
  | 'quotaResetDelay'
  | 'quotaResetTimeStamp'
  | 'retry-after'
  | 'x-ratelimit-reset'
  | 'x-ratelimit-reset-after'
  | 'message';

export interface RetryHint {
  delayMs: number;
  source: RetryHintSource;
}

export interface RetryHintInput {
  status: number;
  headers?: HeaderBag;
  /** The parsed JSON body, when the caller already has it. */
  body?: unknown;
  /** The raw body; parsed here when `body` is absent. */
  bodyText?: string;
  now: number;
}

/** A google.rpc.Status, normalised so that callers never re-check shapes. */
export interface RpcStatus {
  code?: number;
  message?: string;
  status?: string;
  details: Record<string, unknown>[];
}

export type RpcDetailType = 'ErrorInfo' | 'RetryInfo' | 'QuotaFailure' | 'Help' | 'LocalizedMessage';

/** First string value among `keys` (proto3 JSON allows camelCase and snake_case for the same field). */
export function pickString(record: Record<string, unknown>, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = record[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return undefined;
}

/**
 * Parses an error body given as text. SSE corruption can inject duplicate commas (GCLI `sanitizeJsonString`)
 * and a body may still carry its `data:` prefix, so both are repaired before giving up.
 */
export function parseJsonLoose(text: string): unknown {
  const trimmed = text.trim().replace(/^data:\s*/, '');
  if (trimmed === '') return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    try {
      return JSON.parse(trimmed.replace(/,(\s*,)+/g, ','));
    } catch {
      return undefined;
    }
  }
}

/** Reads `{error:{…}}`, the streaming endpoint's `[{error:{…}}]`, or the same as text. */
export function readRpcStatus(body: unknown, bodyText?: string): RpcStatus | undefined {
  let value = body;
  if (value === undefined && bodyText !== undefined) value = parseJsonLoose(bodyText);
  if (typeof value === 'string') value = parseJsonLoose(value);
  if (Array.isArray(value)) value = value.find((item) => isPlainObject(item) && isPlainObject(item.error));
  if (!isPlainObject(value) || !isPlainObject(value.error)) return undefined;
  const error = value.error;
  const details = Array.isArray(error.details) ? error.details.filter(isPlainObject) : [];
  const rpc: RpcStatus = { details };
  if (typeof error.code === 'number') rpc.code = error.code;
  if (typeof error.message === 'string') rpc.message = error.message;
  if (typeof error.status === 'string') rpc.status = error.status;
  return rpc;
}

const DETAIL_SHAPE_KEYS: Record<RpcDetailType, string[]> = {
  ErrorInfo: ['reason', 'metadata'],
  RetryInfo: ['retryDelay', 'retry_delay'],
  QuotaFailure: ['violations'],
  Help: ['links'],
  LocalizedMessage: ['locale'],
};

/** Details of one type, in order. Entries without `@type` are recognised by their fields. */
export function detailsOfType(rpc: RpcStatus | undefined, type: RpcDetailType): Record<string, unknown>[] {
  if (!rpc) return [];
  return rpc.details.filter((detail) => {
    const typeUrl = detail['@type'];
    if (typeof typeUrl === 'string') return typeUrl.endsWith(`google.rpc.${type}`);
    return DETAIL_SHAPE_KEYS[type].some((key) => key in detail);
  });
}

/** Metadata maps of every ErrorInfo entry (not only `details[0]`, which is all AM reads). */
export function errorInfoMetadata(rpc: RpcStatus | undefined): Record<string, unknown>[] {
  return detailsOfType(rpc, 'ErrorInfo')
    .map((info) => info.metadata)
    .filter(isPlainObject);
}

export function getHeader(headers: HeaderBag | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string' && first.trim() !== '') return first.trim();
  }
  return undefined;
}

const GO_UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
const GO_PART = String.raw`(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|\u00b5s|\u03bcs|ms|s|m|h)`;
const GO_DURATION = new RegExp(`^[+-]?(?:${GO_PART})+$`);
const GO_PARTS = /(\d+(?:\.\d*)?|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/g;

/**
 * Go `time.ParseDuration` syntax in milliseconds: `161h39m41.3s`, `33740.9s`, `479.417207ms`, `1h2m`, `0`.
 * Upstream `quotaResetDelay` uses every one of these forms.
 */
export function parseGoDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^[+-]?0$/.test(trimmed)) return 0;
  if (!GO_DURATION.test(trimmed)) return undefined;
  let total = 0;
  for (const match of trimmed.matchAll(GO_PARTS)) {
    total += Number(match[1]) * (GO_UNIT_MS[match[2] ?? ''] ?? Number.NaN);
  }
  if (!Number.isFinite(total)) return undefined;
  return trimmed.startsWith('-') ? -total : total;
}

/** proto3 Duration: normally the string `"3.5s"`; tolerate the object form and a bare number of seconds. */
function parseProtoDuration(value: unknown): number | undefined {
  if (typeof value === 'string') return parseGoDuration(value);
  if (typeof value === 'number' && Number.isFinite(value)) return value * 1000;
  if (isPlainObject(value)) {
    const seconds = Number(value.seconds ?? 0);
    const nanos = Number(value.nanos ?? 0);
    if (Number.isFinite(seconds) && Number.isFinite(nanos)) return seconds * 1000 + nanos / 1e6;
  }
  return undefined;
}

function parseNumber(text: string): number | undefined {
  return /^\d+(?:\.\d+)?$/.test(text) ? Number(text) : undefined;
}

const WORD_UNIT_MS: Array<[RegExp, number]> = [
  [/^millis/i, 1],
  [/^ms/i, 1],
  [/^s/i, 1000],
  [/^m/i, 60_000],
  [/^h/i, 3_600_000],
];
const MESSAGE_DURATION = String.raw`((?:(?:\d+(?:\.\d+)?)(?:ms|us|\u00b5s|ns|h|m|s)(?![a-z]))+|\d+(?:\.\d+)?\s*(?:milliseconds?|seconds?|secs?|minutes?|mins?|hours?|hrs?)\b)`;
/** Most specific first, so that "after 30s" never wins over "reset after …" elsewhere in the text. */
const MESSAGE_PATTERNS = [
  new RegExp(String.raw`(?:\bresets?|\bretry|\btry again)\s+(?:after|in)\s+${MESSAGE_DURATION}`, 'i'),
  new RegExp(String.raw`\bafter\s+${MESSAGE_DURATION}`, 'i'),
];

function parseMessageDuration(text: string): number | undefined {
  const go = parseGoDuration(text);
  if (go !== undefined) return go;
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(text.trim());
  if (!match) return undefined;
  const unit = WORD_UNIT_MS.find(([pattern]) => pattern.test(match[2] ?? ''));
  return unit ? Number(match[1]) * unit[1] : undefined;
}

/** Retry delay stated in human text, e.g. `Your quota will reset after 2h13m5s.` */
export function parseRetryDelayFromMessage(message: string): number | undefined {
  // Bounded input keeps the regexes linear-time on hostile bodies.
  const text = message.slice(0, 4000);
  for (const pattern of MESSAGE_PATTERNS) {
    const found = pattern.exec(text);
    if (found?.[1] !== undefined) {
      const ms = parseMessageDuration(found[1]);
      if (ms !== undefined) return ms;
    }
  }
  return undefined;
}

/** ACP's sanity rule: a zero or negative hint still means "wait a little", and tiny ones get slack. */
function sanitise(ms: number): number {
  if (!Number.isFinite(ms) || ms <= 0) return 500;
  const rounded = Math.ceil(ms);
  return rounded < 500 ? rounded + 200 : rounded;
}

/** `x-ratelimit-reset` is unix seconds; values too small to be an epoch are read as seconds from now. */
function parseRateLimitReset(value: string, now: number): number | undefined {
  const n = parseNumber(value);
  if (n === undefined) return undefined;
  if (n < 1e9) return n * 1000;
  // Some servers send milliseconds since the epoch.
  return (n >= 1e12 ? n : n * 1000) - now;
}

function fromBody(rpc: RpcStatus | undefined, now: number): RetryHint | undefined {
  for (const info of detailsOfType(rpc, 'RetryInfo')) {
    const ms = parseProtoDuration(info.retryDelay ?? info.retry_delay);
    if (ms !== undefined) return { delayMs: ms, source: 'retryInfo' };
  }
  const metadata = errorInfoMetadata(rpc);
  for (const meta of metadata) {
    const text = pickString(meta, 'quotaResetDelay', 'quota_reset_delay');
    const ms = text === undefined ? undefined : parseGoDuration(text);
    if (ms !== undefined) return { delayMs: ms, source: 'quotaResetDelay' };
  }
  for (const meta of metadata) {
    const text = pickString(meta, 'quotaResetTimeStamp', 'quotaResetTimestamp', 'quota_reset_time_stamp');
    const at = text === undefined ? Number.NaN : Date.parse(text);
    if (Number.isFinite(at)) return { delayMs: at - now, source: 'quotaResetTimeStamp' };
  }
  return undefined;
}

function fromHeaders(headers: HeaderBag | undefined, now: number): RetryHint | undefined {
  const retryAfter = getHeader(headers, 'retry-after');
  if (retryAfter !== undefined) {
    const seconds = parseNumber(retryAfter);
    if (seconds !== undefined) return { delayMs: seconds * 1000, source: 'retry-after' };
    const at = Date.parse(retryAfter);
    if (Number.isFinite(at)) return { delayMs: at - now, source: 'retry-after' };
  }
  const reset = getHeader(headers, 'x-ratelimit-reset');
  const resetMs = reset === undefined ? undefined : parseRateLimitReset(reset, now);
  if (resetMs !== undefined) return { delayMs: resetMs, source: 'x-ratelimit-reset' };
  const resetAfter = getHeader(headers, 'x-ratelimit-reset-after');
  const seconds = resetAfter === undefined ? undefined : parseNumber(resetAfter);
  if (seconds !== undefined) return { delayMs: seconds * 1000, source: 'x-ratelimit-reset-after' };
  return undefined;
}

/** The human-readable text of an error response: the rpc message, else the raw text. */
function messageText(input: RetryHintInput, rpc: RpcStatus | undefined): string | undefined {
  if (rpc?.message !== undefined) return rpc.message;
  if (typeof input.body === 'string') return input.body;
  return input.bodyText;
}

/**
 * The delay the upstream asks for, from the first source that has one, in wire.md §2.11 order:
 * RetryInfo, quotaResetDelay, quotaResetTimeStamp, headers, message text.
 */
export function parseRetryHint(input: RetryHintInput): RetryHint | undefined {
  const rpc = readRpcStatus(input.body, input.bodyText);
  let hint = fromBody(rpc, input.now) ?? fromHeaders(input.headers, input.now);
  if (!hint) {
    const text = messageText(input, rpc);
    const ms = text === undefined ? undefined : parseRetryDelayFromMessage(text);
    if (ms !== undefined) hint = { delayMs: ms, source: 'message' };
  }
  return hint ? { delayMs: sanitise(hint.delayMs), source: hint.source } : undefined;
}
