import { AccountUnavailableError } from '../accounts/token-manager.ts';
import { UpstreamError } from '../google/code-assist-client.ts';
import { UpstreamTimeoutError } from '../google/generate-client.ts';
import { UpstreamNetworkError } from '../google/http.ts';
import type { CooldownKind } from '../pool/types.ts';

/**
 * What the attempt loop does after one upstream attempt failed (product.md §3). One type per
 * reaction, so the loop is a `switch` and a new error class cannot fall through silently.
 */
export type AttemptOutcome =
  /** The client's fault or a setting to fix: answer now, no other account would do better. */
  | { kind: 'fatal'; status: number; errorClass: string; error: unknown }
  /** 401: refresh the token once and try the same account again. */
  | { kind: 'refresh'; status: number; errorClass: string; error: unknown }
  /** Server capacity: the same account after a backoff, no cooldown (it is Google's fault, not the account's). */
  | { kind: 'capacity'; status: number; errorClass: string; error: unknown }
  /** A limit on (account, model): cool it down and choose again. */
  | {
      kind: 'cooldown';
      status: number;
      errorClass: string;
      cooldown: CooldownKind;
      retryDelayMs?: number;
      error: unknown;
    }
  /** The account can't be used until the user acts: store its new state, then rotate. */
  | {
      kind: 'unusable';
      status: number;
      errorClass: string;
      state: 'needs_login' | 'forbidden';
      reason: string;
      validationUrl?: string;
      error: unknown;
    }
  /** Anything else worth another account: 5xx, network errors, timeouts, broken or empty streams. */
  | { kind: 'rotate'; status: number; errorClass: string; error: unknown };

const COOLDOWN_KINDS: ReadonlySet<string> = new Set<CooldownKind>([
  'rate_limited',
  'quota_exhausted',
  'credits_exhausted',
  'not_found',
]);

function isCooldownKind(kind: string): kind is CooldownKind {
  return COOLDOWN_KINDS.has(kind);
}

/** Classifies the error one attempt ended with. Pure. */
export function attemptOutcome(error: unknown): AttemptOutcome {
  if (error instanceof UpstreamError) {
    const info = error.info;
    const base = { status: info.status, errorClass: info.kind, error };
    if (info.kind === 'client_error' || info.kind === 'client_outdated') return { kind: 'fatal', ...base };
    if (info.kind === 'auth') return { kind: 'refresh', ...base };
    if (info.kind === 'capacity') return { kind: 'capacity', ...base };
    if (info.markAccount) {
      return {
        kind: 'unusable',
        ...base,
        state: info.markAccount,
        reason: info.message,
        ...(info.validationUrl ? { validationUrl: info.validationUrl } : {}),
      };
    }
    if (info.cooldown && isCooldownKind(info.kind)) {
      return {
        kind: 'cooldown',
        ...base,
        cooldown: info.kind,
        ...(info.retryDelayMs !== undefined ? { retryDelayMs: info.retryDelayMs } : {}),
      };
    }
    return { kind: 'rotate', ...base };
  }
  if (error instanceof UpstreamTimeoutError)
    return { kind: 'rotate', status: 504, errorClass: 'timeout', error };
  if (error instanceof UpstreamNetworkError)
    return { kind: 'rotate', status: 502, errorClass: 'network', error };
  if (error instanceof AccountUnavailableError) {
    return { kind: 'rotate', status: 401, errorClass: 'token_refresh', error };
  }
  return { kind: 'fatal', status: 500, errorClass: 'internal_error', error };
}
