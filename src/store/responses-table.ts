import type { Store } from './database.ts';

/**
 * Responses API conversations kept for `previous_response_id` (wire.md §5.6): each row is the
 * whole item list up to and including one response's output, so a follow-up needs one read.
 * Bounded in age and count; clients that send `store: false` (Codex) are never written.
 */
export class ResponsesTable {
  private readonly store: Store;

  constructor(store: Store) {
    this.store = store;
  }

  put(id: string, items: readonly unknown[], now = Date.now()): void {
    this.store
      .prepare('INSERT OR REPLACE INTO stored_responses (id, created_at, items) VALUES (?, ?, ?)')
      .run(id, now, JSON.stringify(items));
  }

  /** The items stored under `id`, unless older than `maxAgeMs`. */
  get(id: string, maxAgeMs: number, now = Date.now()): unknown[] | undefined {
    const row = this.store
      .prepare('SELECT items FROM stored_responses WHERE id = ? AND created_at >= ?')
      .get(id, now - maxAgeMs) as { items: string } | undefined;
    return row ? (JSON.parse(row.items) as unknown[]) : undefined;
  }

  /** Drops rows older than `maxAgeMs`, then the oldest beyond `maxEntries`. */
  prune(maxAgeMs: number, maxEntries: number, now = Date.now()): void {
    this.store.prepare('DELETE FROM stored_responses WHERE created_at < ?').run(now - maxAgeMs);
    this.store
      .prepare(
        'DELETE FROM stored_responses WHERE id IN (SELECT id FROM stored_responses ORDER BY created_at DESC LIMIT -1 OFFSET ?)',
      )
      .run(maxEntries);
  }
}
