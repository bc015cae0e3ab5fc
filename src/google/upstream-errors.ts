/**
 * Classifies an error answer from Cloud Code `v1internal` (wire.md §2.11) or the token endpoint (§1.5) into
 * what the account pool must do: rotate, cool down, or mark the account. Pure: no clock, no I/O.
 */
import {
  detailsOfType,
  errorInfoMetadata,
  parseJsonLoose,
  parseRetryHint,
  pickString,
  readRpcStatus,
} from './retry-hints.ts';
import type { HeaderBag, RetryHintSource, RpcStatus } from './retry-hints.ts';
import { isPermanentOAuthFailure } from './oauth-params.ts';
import { isPlainObject } from '../util/json.ts';

export type UpstreamErrorKind =
  | 'client_error'
  | 'client_outdated'
  | 'auth'
  | 'auth_permanent'
  | 'validation_required'
  | 'banned'
  | 'service_disabled'
  | 'forbidden'
  | 'not_found'
  | 'rate_limited'
  | 'quota_exhausted'
  | 'credits_exhausted'
  | 'capacity'
  | 'server_error'
  | 'unknown';

export interface UpstreamErrorInput {
  status: number;
  headers?: HeaderBag;
  body?: unknown;
  bodyText?: string;
  now: number;
}

export interface UpstreamErrorInfo {
  kind: UpstreamErrorKind;
  /** The HTTP status, or the rpc `code` when an error arrived inside a 2xx stream. */
  status: number;
  /** ErrorInfo `reason` (the first one found in `details[]`). */
  reason?: string;
  /** Upstream text for logs and the client: trimmed, ≤ 500 chars, tokens removed. */
  message: string;
  retryDelayMs?: number;
  retryHintSource?: RetryHintSource;
  /** ErrorInfo `metadata.model`. */
  model?: string;
  validationUrl?: string;
  /** Try another account for this request. */
  rotate: boolean;
  /** Put (account, model) on cooldown, using `retryDelayMs` when present. */
  cooldown: boolean;
  markAccount?: 'needs_login' | 'forbidden';
}

const MAX_MESSAGE_CHARS = 500;

const CAPACITY_REASONS = new Set(['MODEL_CAPACITY_EXHAUSTED', 'MODEL_CAPACITY_EXCEEDED']);
/** Reasons looked for in a body that was not valid JSON (e.g. a truncated stream error). */
const KNOWN_REASONS = [
  'MODEL_CAPACITY_EXHAUSTED',
  'MODEL_CAPACITY_EXCEEDED',
  'INSUFFICIENT_G1_CREDITS_BALANCE',
  'QUOTA_EXHAUSTED',
  'RATE_LIMIT_EXCEEDED',
  'VALIDATION_REQUIRED',
  'SERVICE_DISABLED',
  'ACCOUNT_DISABLED',
  'USER_DISABLED',
];
const VALIDATION_URL_KEYS = [
  'validation_url',
  'validationUrl',
  'validation_link',
  'validationLink',
  'appeal_url',
  'appealUrl',
];

/** Access tokens (`ya29.…`), refresh tokens (`1//…`), bearer headers and client secrets never leave here. */
export function redactSecrets(text: string): string {
  return text
    .replace(/\bBearer\s+[\w.~+/-]+=*/gi, 'Bearer [redacted]')
    .replace(/\bya29\.[\w.~+/-]+/g, '[redacted]')
    .replace(/(?<![\w/:])1\/\/[\w.~+/-]+/g, '[redacted]')
    .replace(/\bGOCSPX-[\w-]+/g, '[redacted]');
}

function cleanMessage(text: string): string {
  const clean = redactSecrets(text).trim();
  return clean.length > MAX_MESSAGE_CHARS ? `${clean.slice(0, MAX_MESSAGE_CHARS - 1)}…` : clean;
}

interface OAuthBody {
  error: string;
  description?: string;
}

function readOAuthBody(body: unknown, bodyText: string | undefined): OAuthBody | undefined {
  let value = body;
  if (value === undefined && bodyText !== undefined) value = parseJsonLoose(bodyText);
  if (!isPlainObject(value) || typeof value.error !== 'string') return undefined;
  const description = typeof value.error_description === 'string' ? value.error_description : undefined;
  return description === undefined ? { error: value.error } : { error: value.error, description };
}

function rawText(input: UpstreamErrorInput): string {
  if (typeof input.body === 'string') return input.body;
  return input.bodyText ?? '';
}

function collectReasons(rpc: RpcStatus | undefined, text: string): string[] {
  const reasons = detailsOfType(rpc, 'ErrorInfo')
    .map((info) => info.reason)
    .filter((reason): reason is string => typeof reason === 'string' && reason !== '');
  if (reasons.length > 0 || rpc) return reasons;
  return KNOWN_REASONS.filter((reason) => text.includes(reason));
}

function firstUrl(text: string): string | undefined {
  const found =
    /https:\/\/accounts\.google\.com\/[^\s"'<>]+/.exec(text) ?? /https?:\/\/[^\s"'<>]+/.exec(text);
  return found?.[0].replace(/[.,;:)\]]+$/, '');
}

/** Where the user can fix the account: ErrorInfo metadata, then Help links (GCLI), then the message (ACP). */
function findValidationUrl(rpc: RpcStatus | undefined, text: string): string | undefined {
  for (const meta of errorInfoMetadata(rpc)) {
    const url = pickString(meta, ...VALIDATION_URL_KEYS);
    if (url !== undefined) return url;
  }
  for (const help of detailsOfType(rpc, 'Help')) {
    const links = Array.isArray(help.links) ? help.links.filter(isPlainObject) : [];
    const url = links.map((link) => pickString(link, 'url')).find((u) => u !== undefined);
    if (url !== undefined) return url;
  }
  return firstUrl(text);
}

function findModel(rpc: RpcStatus | undefined): string | undefined {
  for (const meta of errorInfoMetadata(rpc)) {
    const model = pickString(meta, 'model');
    if (model !== undefined) return model;
  }
  for (const failure of detailsOfType(rpc, 'QuotaFailure')) {
    for (const violation of Array.isArray(failure.violations) ? failure.violations : []) {
      const dims = isPlainObject(violation)
        ? (violation.quotaDimensions ?? violation.quota_dimensions)
        : undefined;
      const model = isPlainObject(dims) ? pickString(dims, 'model') : undefined;
      if (model !== undefined) return model;
    }
  }
  return undefined;
}

/** GCLI: a QuotaFailure on a per-day quota cannot be waited out within a request. */
function hasDailyQuotaViolation(rpc: RpcStatus | undefined): boolean {
  return detailsOfType(rpc, 'QuotaFailure').some((failure) =>
    (Array.isArray(failure.violations) ? failure.violations : []).some((violation) => {
      if (!isPlainObject(violation)) return false;
      const id = pickString(violation, 'quotaId', 'quota_id') ?? '';
      return /PerDay|Daily/i.test(id);
    }),
  );
}

type Decision = Pick<UpstreamErrorInfo, 'kind' | 'rotate' | 'cooldown' | 'markAccount'>;

/** Reactions per kind, from the wire.md §2.11 table and product.md §2–3. */
const DECISIONS: Record<UpstreamErrorKind, Decision> = {
  client_error: { kind: 'client_error', rotate: false, cooldown: false },
  client_outdated: { kind: 'client_outdated', rotate: false, cooldown: false },
  // The caller refreshes the token first; a 401 that survives a refresh moves to another account.
  auth: { kind: 'auth', rotate: true, cooldown: false },
  auth_permanent: { kind: 'auth_permanent', rotate: true, cooldown: false, markAccount: 'needs_login' },
  validation_required: {
    kind: 'validation_required',
    rotate: true,
    cooldown: false,
    markAccount: 'forbidden',
  },
  banned: { kind: 'banned', rotate: true, cooldown: false, markAccount: 'forbidden' },
  // A project problem: re-discover the project; other accounts are unaffected.
  service_disabled: { kind: 'service_disabled', rotate: true, cooldown: false },
  forbidden: { kind: 'forbidden', rotate: true, cooldown: false },
  // After endpoint fallback, this account does not serve this model.
  not_found: { kind: 'not_found', rotate: true, cooldown: true },
  rate_limited: { kind: 'rate_limited', rotate: true, cooldown: true },
  quota_exhausted: { kind: 'quota_exhausted', rotate: true, cooldown: true },
  credits_exhausted: { kind: 'credits_exhausted', rotate: true, cooldown: true },
  // The server's fault, not the account's: retried on the same account with backoff.
  capacity: { kind: 'capacity', rotate: false, cooldown: false },
  server_error: { kind: 'server_error', rotate: true, cooldown: false },
  unknown: { kind: 'unknown', rotate: true, cooldown: false },
};

interface Facts {
  status: number;
  reasons: string[];
  /** Lower-cased human text: message, OAuth fields, localized messages, or the raw body. */
  text: string;
  rpc: RpcStatus | undefined;
  oauth: OAuthBody | undefined;
}

function isCapacity(f: Facts): boolean {
  if (f.reasons.some((reason) => CAPACITY_REASONS.has(reason))) return true;
  if (![429, 503, 529].includes(f.status)) return false;
  return f.text.includes('no capacity available') || f.text.includes('model is currently overloaded');
}

function classify403(f: Facts): UpstreamErrorKind {
  const has = (reason: string): boolean => f.reasons.includes(reason);
  const tosBan = f.text.includes('has been disabled') && f.text.includes('terms of service');
  if (
    tosBan ||
    has('ACCOUNT_DISABLED') ||
    has('USER_DISABLED') ||
    /account_disabled|user_disabled/.test(f.text)
  ) {
    return 'banned';
  }
  if (
    has('VALIDATION_REQUIRED') ||
    f.reasons.some((reason) => reason.includes('INELIGIBLE')) ||
    /validation_required|validation required|verify your account|further action is required|ineligible/.test(
      f.text,
    )
  ) {
    return 'validation_required';
  }
  if (
    has('SERVICE_DISABLED') ||
    f.text.includes('has not been used in project') ||
    f.text.includes('it is disabled')
  ) {
    return 'service_disabled';
  }
  return 'forbidden';
}

function classify429(f: Facts): UpstreamErrorKind {
  if (f.reasons.includes('INSUFFICIENT_G1_CREDITS_BALANCE')) return 'credits_exhausted';
  if (f.reasons.includes('QUOTA_EXHAUSTED') || hasDailyQuotaViolation(f.rpc) || f.text.includes('limit: 0')) {
    return 'quota_exhausted';
  }
  return 'rate_limited';
}

function classifyKind(f: Facts): UpstreamErrorKind {
  if (f.text.includes('this version of antigravity is no longer supported')) return 'client_outdated';
  if (
    f.oauth
      ? isPermanentOAuthFailure(f.oauth.error, f.oauth.description)
      : isPermanentOAuthFailure('', f.text)
  ) {
    return 'auth_permanent';
  }
  if (isCapacity(f)) return 'capacity';
  if (f.status === 400) return 'client_error';
  if (f.status === 401) return 'auth';
  if (f.status === 403) return classify403(f);
  if (f.status === 404) return 'not_found';
  if (f.status === 429) return classify429(f);
  if (f.status >= 500 && f.status <= 599) return 'server_error';
  return 'unknown';
}

/** Mid-stream errors arrive with HTTP 200; their rpc `code` is the status that matters. */
function effectiveStatus(status: number, rpc: RpcStatus | undefined): number {
  if (status >= 400 || rpc?.code === undefined || rpc.code < 400) return status;
  return rpc.code;
}

export function classifyUpstreamError(input: UpstreamErrorInput): UpstreamErrorInfo {
  const rpc = readRpcStatus(input.body, input.bodyText);
  const oauth = rpc ? undefined : readOAuthBody(input.body, input.bodyText);
  const raw = rawText(input);
  const localized = detailsOfType(rpc, 'LocalizedMessage')
    .map((detail) => pickString(detail, 'message'))
    .filter((message): message is string => message !== undefined);
  const humanParts = rpc
    ? [rpc.message ?? '', ...localized]
    : oauth
      ? [oauth.error, oauth.description ?? '']
      : [raw];
  const status = effectiveStatus(input.status, rpc);
  const facts: Facts = {
    status,
    reasons: collectReasons(rpc, raw),
    text: humanParts.join('\n').toLowerCase(),
    rpc,
    oauth,
  };
  const kind = classifyKind(facts);

  const message = rpc?.message ?? oauth?.description ?? oauth?.error ?? raw;
  const info: UpstreamErrorInfo = {
    ...DECISIONS[kind],
    status,
    message: cleanMessage(message) || `HTTP ${status}`,
  };
  const reason = facts.reasons[0];
  if (reason !== undefined) info.reason = reason;
  const model = findModel(rpc);
  if (model !== undefined) info.model = model;
  if (kind === 'validation_required' || kind === 'banned') {
    const url = findValidationUrl(rpc, humanParts.join('\n'));
    if (url !== undefined) info.validationUrl = url;
  }
  const hint = parseRetryHint({ ...input, status });
  if (hint) {
    info.retryDelayMs = hint.delayMs;
    info.retryHintSource = hint.source;
  }
  return info;
}

export function isCapacityError(info: Pick<UpstreamErrorInfo, 'kind'>): boolean {
  return info.kind === 'capacity';
}
