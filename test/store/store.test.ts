import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/database.ts';
import { migrate } from '../../src/store/migrations.ts';
import { SettingsTable } from '../../src/store/settings-table.ts';
import { tempDir } from '../helpers/cli.ts';

describe('store', () => {
  it('caches prepared statements per SQL text', () => {
    const store = new Store(join(tempDir(), 's.db'));
    expect(store.prepare('SELECT 1')).toBe(store.prepare('SELECT 1'));
    store.close();
  });

  it('rolls a failed transaction back, nested ones as savepoints', () => {
    const store = new Store(join(tempDir(), 't.db'));
    migrate(store);
    const insert = store.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, 0)');
    expect(() =>
      store.transaction(() => {
        insert.run('a', '1');
        throw new Error('boom');
      }),
    ).toThrow('boom');
    store.transaction(() => {
      insert.run('b', '1');
      expect(() =>
        store.transaction(() => {
          insert.run('c', '1');
          throw new Error('inner');
        }),
      ).toThrow('inner');
    });
    expect(store.prepare('SELECT key FROM settings ORDER BY key').all()).toEqual([{ key: 'b' }]);
    store.close();
  });

  it('stores settings sections as JSON and reads them back', () => {
    const store = new Store(join(tempDir(), 'settings.db'));
    migrate(store);
    const table = new SettingsTable(store);
    table.write({ ui: { theme: 'dark' }, scheduling: { mode: 'balance' } });
    table.write({ ui: { theme: 'light' } });
    expect(table.read()).toEqual({ ui: { theme: 'light' }, scheduling: { mode: 'balance' } });
    store.close();
  });
});
