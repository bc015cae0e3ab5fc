/**
 * The account pool: who serves a request (product.md §2–3). Pure logic with an injected clock; the
 * caller keeps it fed from the store and reports the outcome of every upstream attempt.
 *
 * Typical use by the retry engine, per client request:
 *
 *   const tried = new Set<string>();
 *   for (;;) {
 *     const pick = pool.select({ model, sessionKey, exclude: tried });
 *     if (pick.kind === 'unavailable') → answer pick.status (429 with retry-after = pick.retryAfterMs) + pick.reason
 *     if (pick.waitMs) → wait (sticky mode keeps a session on a briefly cooling account), then send
 *     send with pick.accountId and request.sessionId = pick.sessionId, then:
 *       success                       → pool.reportSuccess(accountId, model)
 *       classified with cooldown=true → pool.reportFailure(accountId, model, kind, retryDelayMs); select again
 *                                        WITHOUT adding the account to `tried` (the cooldown already rules it
 *                                        out, and sticky mode may choose to wait for it)
 *       capacity                      → wait pool.capacityBackoffMs(n), retry the same account
 *       other rotating errors         → tried.add(accountId); select again
 *   }
 *
 * Accounts: `upsert` on load and whenever the store changes one (status, enabled, order, models,
 * current); `remove` on delete; `setModelQuota` after every quota fetch ('unknown' when it failed).
 * `select` sets the account's lastUsedAt in the pool and calls `onUsed` so the caller can persist it.
 */
export { AccountPool } from './account-pool.ts';
export type { AccountPoolOptions, CooldownListener } from './account-pool.ts';
export { capacityBackoffMs, DEFAULT_CAPACITY_BACKOFF } from './backoff.ts';
export type { CapacityBackoffOptions } from './backoff.ts';
export {
  DEDUPE_WINDOW_MS,
  NOT_FOUND_COOLDOWN_MS,
  QUOTA_COOLDOWN_LADDER_MS,
  RATE_LIMIT_COOLDOWN_MS,
} from './cooldowns.ts';
export { sessionIdFor } from './session-table.ts';
export type {
  CooldownInfo,
  CooldownKind,
  ModelQuota,
  PoolAccount,
  PoolAccountStatus,
  PoolSettings,
  SelectRequest,
  Selection,
} from './types.ts';
