import type { Settings } from '../config/schema.ts';

/** The settings the pool reads. Read through a getter on every call, because they change live. */
export type PoolSettings = Pick<Settings, 'scheduling' | 'quotaProtection'>;

export type PoolAccountStatus = 'ok' | 'needs_login' | 'forbidden';

/** What the pool needs to know about one account; the store stays the source of truth. */
export interface PoolAccount {
  id: string;
  email: string;
  enabled: boolean;
  status: PoolAccountStatus;
  isCurrent: boolean;
  order: number;
  lastUsedAt: number | null;
  /** Upstream model ids the account offers; `undefined` = not known yet, so any model is allowed. */
  models?: ReadonlySet<string>;
}

/** A model's quota as last fetched: a fraction in [0, 1], or `unknown` (never fetched, failed, absent). */
export type ModelQuota = { remainingFraction: number } | 'unknown';

export interface SelectRequest {
  /** Upstream model id (after mapping). */
  model: string;
  /** The client's session key (product.md §2); without it there is no stickiness. */
  sessionKey?: string;
  /** Accounts already tried for this request; never returned again, not even to wait for. */
  exclude?: ReadonlySet<string>;
}

export type Selection =
  | {
      kind: 'account';
      accountId: string;
      /** Upstream `request.sessionId`: the same session key always gives the same value. */
      sessionId: string;
      /** Sticky mode only: the account cools down briefly; wait this long, then send to it. */
      waitMs?: number;
    }
  | {
      kind: 'unavailable';
      /** 429: accounts exist but all cool down; 503: no account can serve the model at all. */
      status: 429 | 503;
      /** With 429: time until the earliest cooldown ends. */
      retryAfterMs?: number;
      /** Names the model and why, for the client's error message. */
      reason: string;
    };

/**
 * Failures that put (account, model) on cooldown. The names match `UpstreamErrorKind` of the error
 * classifier, so the caller can pass its kind straight through whenever it says `cooldown: true`.
 */
export type CooldownKind = 'rate_limited' | 'quota_exhausted' | 'credits_exhausted' | 'not_found';

export interface CooldownInfo {
  accountId: string;
  model: string;
  /** Epoch ms when the account may serve the model again. */
  until: number;
  reason: CooldownKind;
}
