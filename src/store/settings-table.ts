import type { SettingsLayer } from '../config/schema.ts';
import type { Store } from './database.ts';
import { isPlainObject } from '../util/json.ts';

/** Settings saved from the dashboard: one row per top-level section, JSON values. */
export class SettingsTable {
  private readonly store: Store;
  constructor(store: Store) {
    this.store = store;
  }

  read(): SettingsLayer {
    const rows = this.store.prepare('SELECT key, value FROM settings').all() as {
      key: string;
      value: string;
    }[];
    const layer: SettingsLayer = {};
    for (const row of rows) {
      try {
        layer[row.key] = JSON.parse(row.value);
      } catch {
        // A row that is not JSON cannot come from this program; skipping it keeps the app startable.
      }
    }
    return layer;
  }

  /** Replaces the stored sections named in `layer` (each section is stored whole). */
  write(layer: SettingsLayer): void {
    const now = Date.now();
    const upsert = this.store.prepare(
      'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ' +
        'ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    );
    const remove = this.store.prepare('DELETE FROM settings WHERE key = ?');
    this.store.transaction(() => {
      for (const [key, value] of Object.entries(layer)) {
        if (value === undefined || (isPlainObject(value) && Object.keys(value).length === 0)) {
          remove.run(key);
        } else {
          upsert.run(key, JSON.stringify(value), now);
        }
      }
    });
  }
}
