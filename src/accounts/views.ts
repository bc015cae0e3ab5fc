import type { AccountRow } from '../store/accounts-table.ts';
import type { ModelQuotaRow, QuotaBucketRow } from '../store/quota-table.ts';

export type AccountState = 'active' | 'disabled' | 'needs_login' | 'forbidden';

export type ModelQuotaView =
  | {
      model: string;
      displayName: string | null;
      status: 'known';
      remainingFraction: number;
      percent: number;
      resetAt: string | null;
      fetchedAt: string | null;
      stale: boolean;
    }
  | {
      model: string;
      displayName: string | null;
      status: 'unknown';
      fetchedAt: string | null;
      stale: boolean;
    };

export interface AccountView {
  id: string;
  email: string;
  displayName: string | null;
  label: string | null;
  state: AccountState;
  stateReason: string | null;
  validationUrl: string | null;
  enabled: boolean;
  tier: string | null;
  tierName: string | null;
  projectId: string | null;
  isCurrent: boolean;
  order: number;
  refreshToken: string;
  createdAt: string;
  updatedAt: string;
  lastUsedAt: string | null;
  quota: {
    fetchedAt: string | null;
    error: string | null;
    stale: boolean;
    models: ModelQuotaView[];
    buckets: Array<{
      id: string;
      group: string | null;
      window: string | null;
      remainingFraction: number | null;
      resetAt: string | null;
      fetchedAt: string;
    }>;
  };
}

const iso = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();

/** Secrets leave the server only like this: enough to tell two tokens apart, not enough to use one. */
export function maskToken(token: string): string {
  if (token.length <= 12) return '****';
  return `${token.slice(0, 4)}…${token.slice(-4)}`;
}

export function accountState(row: Pick<AccountRow, 'enabled' | 'status'>): AccountState {
  if (!row.enabled) return 'disabled';
  return row.status === 'ok' ? 'active' : row.status;
}

/** A figure older than two refresh intervals is marked stale (product.md §1). */
export function isStale(fetchedAt: number | null, now: number, intervalMinutes: number): boolean {
  if (fetchedAt === null) return true;
  const interval = (intervalMinutes > 0 ? intervalMinutes : 10) * 60_000;
  return now - fetchedAt > 2 * interval;
}

export function toAccountView(
  row: AccountRow,
  refreshTokenPlain: string,
  models: ModelQuotaRow[],
  buckets: QuotaBucketRow[],
  now: number,
  intervalMinutes: number,
): AccountView {
  return {
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    label: row.label,
    state: accountState(row),
    stateReason: row.status === 'ok' ? null : row.statusReason,
    validationUrl: row.validationUrl,
    enabled: row.enabled,
    tier: row.tier,
    tierName: row.tierName,
    projectId: row.projectId,
    isCurrent: row.isCurrent,
    order: row.sortOrder,
    refreshToken: maskToken(refreshTokenPlain),
    createdAt: iso(row.createdAt)!,
    updatedAt: iso(row.updatedAt)!,
    lastUsedAt: iso(row.lastUsedAt),
    quota: {
      fetchedAt: iso(row.quotaFetchedAt),
      error: row.quotaError,
      stale: isStale(row.quotaFetchedAt, now, intervalMinutes),
      models: models.map((quota): ModelQuotaView => {
        const stale = isStale(quota.fetchedAt, now, intervalMinutes);
        if (quota.status === 'known' && quota.remainingFraction !== null) {
          return {
            model: quota.modelId,
            displayName: quota.displayName,
            status: 'known',
            remainingFraction: quota.remainingFraction,
            percent: Math.floor(quota.remainingFraction * 100),
            resetAt: iso(quota.resetAt),
            fetchedAt: iso(quota.fetchedAt),
            stale,
          };
        }
        return {
          model: quota.modelId,
          displayName: quota.displayName,
          status: 'unknown',
          fetchedAt: iso(quota.fetchedAt),
          stale,
        };
      }),
      buckets: buckets.map((bucket) => ({
        id: bucket.bucketId,
        group: bucket.groupName,
        window: bucket.window,
        remainingFraction: bucket.remainingFraction,
        resetAt: iso(bucket.resetAt),
        fetchedAt: iso(bucket.fetchedAt)!,
      })),
    },
  };
}
