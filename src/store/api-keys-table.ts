import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Store } from './database.ts';

export interface ApiKeyRow {
  id: string;
  label: string;
  keyPrefix: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

/** Client API keys for the proxy: only a SHA-256 of each key is stored; the key is shown once. */
const LAST_USED_RESOLUTION_MS = 60_000;

export class ApiKeysTable {
  private readonly store: Store;
  private active: Array<{ id: string; hash: Buffer }> | undefined;

  constructor(store: Store) {
    this.store = store;
  }

  create(label: string): { key: string; row: ApiKeyRow } {
    const key = `bm-${randomBytes(24).toString('base64url')}`;
    const row: ApiKeyRow = {
      id: randomUUID(),
      label,
      keyPrefix: key.slice(0, 7),
      createdAt: Date.now(),
      lastUsedAt: null,
      revokedAt: null,
    };
    this.store
      .prepare('INSERT INTO api_keys (id, label, key_hash, key_prefix, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(row.id, label, hashApiKey(key).toString('hex'), row.keyPrefix, row.createdAt);
    this.active = undefined;
    return { key, row };
  }

  list(): ApiKeyRow[] {
    const rows = this.store.prepare('SELECT * FROM api_keys ORDER BY created_at').all() as Record<
      string,
      unknown
    >[];
    return rows.map((raw) => ({
      id: raw.id as string,
      label: raw.label as string,
      keyPrefix: raw.key_prefix as string,
      createdAt: raw.created_at as number,
      lastUsedAt: (raw.last_used_at as number | null) ?? null,
      revokedAt: (raw.revoked_at as number | null) ?? null,
    }));
  }

  revoke(id: string): boolean {
    const changed =
      this.store
        .prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL')
        .run(Date.now(), id).changes > 0;
    this.active = undefined;
    return changed;
  }

  hasActiveKeys(): boolean {
    return this.activeKeys().length > 0;
  }

  /** The id of the active key equal to `key`, compared in constant time against every stored hash. */
  match(key: string, now = Date.now()): string | undefined {
    const given = hashApiKey(key);
    let found: string | undefined;
    for (const candidate of this.activeKeys()) {
      if (timingSafeEqual(given, candidate.hash)) found = candidate.id;
    }
    if (found !== undefined) this.noteUse(found, now);
    return found;
  }

  /**
   * Records when a key was last used, at most once a minute per key: the dashboard shows it to the
   * minute, and a write per request would put the disk on the proxy's path.
   */
  private noteUse(id: string, now: number): void {
    const written = this.lastUseWritten.get(id);
    if (written !== undefined && now - written < LAST_USED_RESOLUTION_MS) return;
    this.lastUseWritten.set(id, now);
    try {
      this.store.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ?').run(now, id);
    } catch {
      // A full disk must not fail the request this key authorises; the time is written next minute.
    }
  }

  private readonly lastUseWritten = new Map<string, number>();

  private activeKeys(): Array<{ id: string; hash: Buffer }> {
    this.active ??= (
      this.store.prepare('SELECT id, key_hash FROM api_keys WHERE revoked_at IS NULL').all() as Array<{
        id: string;
        key_hash: string;
      }>
    ).map((row) => ({ id: row.id, hash: Buffer.from(row.key_hash, 'hex') }));
    return this.active;
  }
}
