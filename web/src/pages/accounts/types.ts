/**
 * The JSON of the accounts admin API as this page reads it. Mirrors src/accounts/views.ts
 * (AccountView), src/admin/accounts-routes.ts (cooldowns, import answer), src/accounts/service.ts
 * (ImportResult) and src/accounts/oauth-flow.ts (FlowStatus, FlowCompletion).
 */

export type AccountState = 'active' | 'disabled' | 'needs_login' | 'forbidden';

interface ModelQuotaBase {
  model: string;
  displayName: string | null;
  /** ISO time of the fetch that produced this figure; null when never fetched. */
  fetchedAt: string | null;
  /** Older than two refresh intervals: shown, but marked. */
  stale: boolean;
}

/** A model's quota: known (fraction and reset) or unknown — an unknown quota is never a full bar. */
export type ModelQuotaView =
  | (ModelQuotaBase & {
      status: 'known';
      remainingFraction: number;
      /** floor(remainingFraction * 100). */
      percent: number;
      resetAt: string | null;
    })
  | (ModelQuotaBase & { status: 'unknown' });

export interface QuotaBucketView {
  id: string;
  group: string | null;
  window: string | null;
  remainingFraction: number | null;
  resetAt: string | null;
  fetchedAt: string;
}

export interface CooldownView {
  model: string;
  /** ISO time when the account may serve the model again. */
  until: string;
  /** rate_limited, quota_exhausted, credits_exhausted, not_found (src/pool/types.ts CooldownKind). */
  reason: string;
}

export interface AccountView {
  id: string;
  email: string;
  displayName: string | null;
  label: string | null;
  state: AccountState;
  stateReason: string | null;
  validationUrl: string | null;
  enabled: boolean;
  /** free, pro, ultra; null before the first loadCodeAssist. */
  tier: string | null;
  tierName: string | null;
  projectId: string | null;
  isCurrent: boolean;
  order: number;
  /** Masked: first and last four characters. */
  refreshToken: string;
  createdAt: string;
  updatedAt: string;
  lastUsedAt: string | null;
  quota: {
    fetchedAt: string | null;
    error: string | null;
    stale: boolean;
    models: ModelQuotaView[];
    buckets: QuotaBucketView[];
  };
  cooldowns: CooldownView[];
}

export interface AccountsResponse {
  accounts: AccountView[];
}

export interface AccountResponse {
  account: AccountView;
}

export interface ImportResult {
  index: number;
  outcome: 'created' | 'updated' | 'failed';
  email?: string;
  id?: string;
  state?: string;
  error?: string;
}

export interface ImportResponse {
  results: ImportResult[];
  created: number;
  updated: number;
  failed: number;
}

export interface OAuthStartResponse {
  authUrl: string;
  state: string;
  redirectUri: string;
  expiresAt: string;
}

export interface OAuthFlowStatus {
  state: string;
  status: 'pending' | 'completed' | 'failed' | 'expired';
  authUrl: string;
  redirectUri: string;
  expiresAt: string;
  accountId: string | null;
  error: string | null;
}

export interface OAuthCompletion {
  outcome: 'created' | 'updated';
  account: AccountView;
}

/** `POST /api/accounts/{id}/verify`: the account after a fresh check, and the outcome in words. */
export interface VerifyResponse {
  account: AccountView;
  outcome: 'active' | 'forbidden' | 'needs_login' | 'disabled' | 'error';
  message: string;
}
