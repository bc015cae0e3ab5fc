import type { Store } from './database.ts';

export type AccountStatus = 'ok' | 'needs_login' | 'forbidden';
export type AccountTier = 'free' | 'pro' | 'ultra' | 'unknown';

export interface AccountRow {
  id: string;
  email: string;
  displayName: string | null;
  refreshTokenEnc: string;
  accessTokenEnc: string | null;
  accessTokenExpiresAt: number | null;
  projectId: string | null;
  tier: AccountTier | null;
  tierName: string | null;
  enabled: boolean;
  status: AccountStatus;
  statusReason: string | null;
  validationUrl: string | null;
  label: string | null;
  sortOrder: number;
  isCurrent: boolean;
  createdAt: number;
  updatedAt: number;
  lastUsedAt: number | null;
  quotaFetchedAt: number | null;
  quotaError: string | null;
}

type Raw = Record<string, unknown>;

const COLUMNS: Record<keyof AccountRow, string> = {
  id: 'id',
  email: 'email',
  displayName: 'display_name',
  refreshTokenEnc: 'refresh_token_enc',
  accessTokenEnc: 'access_token_enc',
  accessTokenExpiresAt: 'access_token_expires_at',
  projectId: 'project_id',
  tier: 'tier',
  tierName: 'tier_name',
  enabled: 'enabled',
  status: 'status',
  statusReason: 'status_reason',
  validationUrl: 'validation_url',
  label: 'label',
  sortOrder: 'sort_order',
  isCurrent: 'is_current',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  lastUsedAt: 'last_used_at',
  quotaFetchedAt: 'quota_fetched_at',
  quotaError: 'quota_error',
};
const BOOLEAN_FIELDS = new Set<keyof AccountRow>(['enabled', 'isCurrent']);

function fromRaw(raw: Raw): AccountRow {
  const row: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(COLUMNS)) {
    const value = raw[column];
    row[field] = BOOLEAN_FIELDS.has(field as keyof AccountRow) ? value === 1 : (value ?? null);
  }
  return row as unknown as AccountRow;
}

function toSql(value: unknown): string | number | null {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === undefined) return null;
  return value as string | number | null;
}

/**
 * Rows read by id, shared by every AccountsTable on one Store. The proxy reads an account per
 * request; SQLite building a 21-column row each time was the largest piece of the engine's own
 * CPU. An entry is dropped by any write through this module, and the whole cache when another
 * connection (the `accounts` command of a second process) has committed since it was filled;
 * that is checked at most every CROSS_PROCESS_CHECK_MS, as the check itself costs a statement.
 */
interface RowCache {
  rows: Map<string, AccountRow>;
  dataVersion: number;
  checkedAt: number;
}

/** How soon a change committed by another process is seen by reads served from memory. */
export const CROSS_PROCESS_CHECK_MS = 250;
const rowCaches = new WeakMap<Store, RowCache>();

/** The accounts table: one row per Google identity, secrets stored sealed. */
export class AccountsTable {
  private readonly store: Store;
  private readonly cache: RowCache;
  constructor(store: Store) {
    this.store = store;
    let cache = rowCaches.get(store);
    if (!cache) {
      cache = { rows: new Map(), dataVersion: -1, checkedAt: -Infinity };
      rowCaches.set(store, cache);
    }
    this.cache = cache;
  }

  private freshCache(): Map<string, AccountRow> {
    const now = performance.now();
    if (now - this.cache.checkedAt < CROSS_PROCESS_CHECK_MS) return this.cache.rows;
    this.cache.checkedAt = now;
    const { data_version: version } = this.store.prepare('PRAGMA data_version').get() as {
      data_version: number;
    };
    if (version !== this.cache.dataVersion) {
      this.cache.rows.clear();
      this.cache.dataVersion = version;
    }
    return this.cache.rows;
  }

  private forget(id?: string): void {
    if (id === undefined) this.cache.rows.clear();
    else this.cache.rows.delete(id);
  }

  list(): AccountRow[] {
    return (this.store.prepare('SELECT * FROM accounts ORDER BY sort_order, created_at').all() as Raw[]).map(
      fromRaw,
    );
  }

  /** The row by id; served from memory while nothing has written it (a copy: callers may change it). */
  get(id: string): AccountRow | undefined {
    // Inside a transaction a row may still be rolled back, so it is neither cached nor served from the cache.
    const rows = this.store.db.isTransaction ? undefined : this.freshCache();
    const cached = rows?.get(id);
    if (cached) return { ...cached };
    const raw = this.store.prepare('SELECT * FROM accounts WHERE id = ?').get(id) as Raw | undefined;
    if (!raw) return undefined;
    const row = fromRaw(raw);
    rows?.set(id, row);
    return { ...row };
  }

  findByEmail(email: string): AccountRow | undefined {
    const raw = this.store.prepare('SELECT * FROM accounts WHERE email = ? COLLATE NOCASE').get(email) as
      Raw | undefined;
    return raw ? fromRaw(raw) : undefined;
  }

  insert(row: AccountRow): void {
    const fields = Object.keys(COLUMNS) as (keyof AccountRow)[];
    const sql = `INSERT INTO accounts (${fields.map((f) => COLUMNS[f]).join(', ')}) VALUES (${fields.map(() => '?').join(', ')})`;
    this.forget(row.id);
    this.store.prepare(sql).run(...fields.map((field) => toSql(row[field])));
  }

  /** Updates the given fields (and `updatedAt`); returns false when the account does not exist. */
  update(id: string, changes: Partial<Omit<AccountRow, 'id' | 'createdAt'>>): boolean {
    const fields = (Object.keys(changes) as (keyof AccountRow)[]).filter(
      (field) => field in COLUMNS && field !== 'updatedAt',
    );
    const assignments = [...fields.map((field) => `${COLUMNS[field]} = ?`), 'updated_at = ?'];
    const values = [
      ...fields.map((field) => toSql(changes[field as keyof typeof changes])),
      changes.updatedAt ?? Date.now(),
    ];
    this.forget(id);
    const result = this.store
      .prepare(`UPDATE accounts SET ${assignments.join(', ')} WHERE id = ?`)
      .run(...values, id);
    return result.changes > 0;
  }

  /** Records a use without touching `updated_at` (a use is not an edit). */
  touch(id: string, at: number): void {
    this.forget(id);
    this.store
      .prepare('UPDATE accounts SET last_used_at = MAX(COALESCE(last_used_at, 0), ?) WHERE id = ?')
      .run(at, id);
  }

  delete(id: string): boolean {
    this.forget(id);
    return this.store.prepare('DELETE FROM accounts WHERE id = ?').run(id).changes > 0;
  }

  nextSortOrder(): number {
    const row = this.store
      .prepare('SELECT COALESCE(MAX(sort_order), -1) + 1 AS next FROM accounts')
      .get() as { next: number };
    return row.next;
  }

  setCurrent(id: string): boolean {
    this.forget();
    return this.store.transaction(() => {
      if (!this.get(id)) return false;
      this.store.prepare('UPDATE accounts SET is_current = 0 WHERE is_current = 1').run();
      this.store.prepare('UPDATE accounts SET is_current = 1 WHERE id = ?').run(id);
      return true;
    });
  }

  current(): AccountRow | undefined {
    const raw = this.store.prepare('SELECT * FROM accounts WHERE is_current = 1 LIMIT 1').get() as
      Raw | undefined;
    return raw ? fromRaw(raw) : undefined;
  }
}
