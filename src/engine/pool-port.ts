import type { CooldownKind, SelectRequest, Selection } from '../pool/types.ts';
import type { AccountRow } from '../store/accounts-table.ts';

/** What the engine needs of the account pool. */
export interface PoolPort {
  select(request: SelectRequest): Selection;
  reportSuccess(accountId: string, model: string): void;
  /** A limit on (account, model); `retryDelayMs` is the upstream's hint. */
  reportFailure(accountId: string, model: string, kind: CooldownKind, retryDelayMs?: number): void;
  capacityBackoffMs(retry: number): number;
  countEligible(model: string, limit?: number): number;
}

/**
 * Where the engine reports what an upstream answer says about an account. The accounts service
 * stores the state and tells the pool: the engine itself writes no table.
 */
export interface AccountOutcomePort {
  /** The account can't serve until the user acts (signs in again, or verifies with Google). */
  markUnusable(
    accountId: string,
    state: 'needs_login' | 'forbidden',
    reason: string,
    validationUrl?: string,
  ): void;
  /** A token refresh failed and may have changed the account's state: the service re-reads it. */
  tokenRefreshFailed(accountId: string): void;
}

/** The account fields an attempt needs, read from memory (the table caches rows). */
export interface AccountLookup {
  get(accountId: string): AccountRow | undefined;
}
