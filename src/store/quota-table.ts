import type { Store } from './database.ts';

/** A model's quota for one account: known (with its figures) or unknown (never trusted as full). */
export interface ModelQuotaRow {
  accountId: string;
  modelId: string;
  displayName: string | null;
  status: 'known' | 'unknown';
  remainingFraction: number | null;
  resetAt: number | null;
  /** When the figures were fetched; kept from the last successful fetch when a later one fails. */
  fetchedAt: number | null;
  details: Record<string, unknown> | null;
}

export interface QuotaBucketRow {
  accountId: string;
  bucketId: string;
  groupName: string | null;
  window: string | null;
  remainingFraction: number | null;
  resetAt: number | null;
  fetchedAt: number;
}

type Raw = Record<string, unknown>;

export class QuotaTable {
  private readonly store: Store;
  constructor(store: Store) {
    this.store = store;
  }

  models(accountId: string): ModelQuotaRow[] {
    const rows = this.store
      .prepare('SELECT * FROM account_quotas WHERE account_id = ? ORDER BY model_id')
      .all(accountId) as Raw[];
    return rows.map((raw) => ({
      accountId: raw.account_id as string,
      modelId: raw.model_id as string,
      displayName: (raw.display_name as string | null) ?? null,
      status: raw.status as 'known' | 'unknown',
      remainingFraction: (raw.remaining_fraction as number | null) ?? null,
      resetAt: (raw.reset_at as number | null) ?? null,
      fetchedAt: (raw.fetched_at as number | null) ?? null,
      details: raw.details ? (JSON.parse(raw.details as string) as Record<string, unknown>) : null,
    }));
  }

  /** Replaces an account's model list with a fresh successful fetch. */
  replaceModels(accountId: string, rows: Omit<ModelQuotaRow, 'accountId'>[]): void {
    const insert = this.store.prepare(
      'INSERT INTO account_quotas (account_id, model_id, display_name, status, remaining_fraction, reset_at, fetched_at, details) ' +
        'VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.store.transaction(() => {
      this.store.prepare('DELETE FROM account_quotas WHERE account_id = ?').run(accountId);
      for (const row of rows) {
        insert.run(
          accountId,
          row.modelId,
          row.displayName,
          row.status,
          row.remainingFraction,
          row.resetAt,
          row.fetchedAt,
          row.details ? JSON.stringify(row.details) : null,
        );
      }
    });
  }

  /** After a failed fetch: figures can no longer be trusted, but the time of the last good fetch stays. */
  markAllUnknown(accountId: string): void {
    this.store
      .prepare("UPDATE account_quotas SET status = 'unknown', remaining_fraction = NULL WHERE account_id = ?")
      .run(accountId);
  }

  buckets(accountId: string): QuotaBucketRow[] {
    const rows = this.store
      .prepare('SELECT * FROM account_quota_buckets WHERE account_id = ? ORDER BY group_name, bucket_id')
      .all(accountId) as Raw[];
    return rows.map((raw) => ({
      accountId: raw.account_id as string,
      bucketId: raw.bucket_id as string,
      groupName: (raw.group_name as string | null) ?? null,
      window: (raw.window as string | null) ?? null,
      remainingFraction: (raw.remaining_fraction as number | null) ?? null,
      resetAt: (raw.reset_at as number | null) ?? null,
      fetchedAt: raw.fetched_at as number,
    }));
  }

  replaceBuckets(accountId: string, rows: Omit<QuotaBucketRow, 'accountId'>[]): void {
    const insert = this.store.prepare(
      'INSERT INTO account_quota_buckets (account_id, bucket_id, group_name, window, remaining_fraction, reset_at, fetched_at) ' +
        'VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.store.transaction(() => {
      this.store.prepare('DELETE FROM account_quota_buckets WHERE account_id = ?').run(accountId);
      for (const row of rows) {
        insert.run(
          accountId,
          row.bucketId,
          row.groupName,
          row.window,
          row.remainingFraction,
          row.resetAt,
          row.fetchedAt,
        );
      }
    });
  }
}
