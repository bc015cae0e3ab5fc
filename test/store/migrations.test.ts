import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/database.ts';
import { migrate, MIGRATIONS, schemaVersion } from '../../src/store/migrations.ts';
import { tempDir } from '../helpers/cli.ts';

const PRODUCT_TABLES = [
  'accounts',
  'account_quotas',
  'account_quota_buckets',
  'settings',
  'api_keys',
  'request_logs',
  'oauth_flows',
];

function tableNames(store: Store): string[] {
  return (
    store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[]
  ).map((row) => row.name);
}

describe('migrations', () => {
  it('give a fresh database every table, the newest version and the pragmas', () => {
    const store = new Store(join(tempDir(), 'fresh.db'));
    const report = migrate(store);
    expect(report.from).toBe(0);
    expect(report.to).toBe(MIGRATIONS.at(-1)!.version);
    expect(report.backupPath).toBeUndefined();
    expect(tableNames(store)).toEqual(expect.arrayContaining(PRODUCT_TABLES));
    expect(schemaVersion(store)).toBe(MIGRATIONS.at(-1)!.version);
    expect(store.db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    expect(store.db.prepare('PRAGMA synchronous').get()).toEqual({ synchronous: 1 });
    expect(store.db.prepare('PRAGMA foreign_keys').get()).toEqual({ foreign_keys: 1 });
    store.close();
  });

  it('are a no-op when run twice', () => {
    const path = join(tempDir(), 'twice.db');
    const store = new Store(path);
    migrate(store);
    const before = tableNames(store);
    const second = migrate(store);
    expect(second.applied).toEqual([]);
    expect(second.backupPath).toBeUndefined();
    expect(tableNames(store)).toEqual(before);
    store.close();
    expect(readdirSync(join(path, '..')).filter((name) => name.endsWith('.bak'))).toEqual([]);
  });

  it('upgrade an old-version database, keep its data and leave a backup copy beside it', () => {
    const dir = tempDir();
    const path = join(dir, 'old.db');
    const old = new Store(path);
    migrate(old, MIGRATIONS.slice(0, 1));
    old
      .prepare(
        "INSERT INTO accounts (id, email, refresh_token_enc, created_at, updated_at) VALUES ('a1', 'old@example.com', 'x', 1, 1)",
      )
      .run();
    old.close();

    const store = new Store(path);
    const report = migrate(store);
    expect(report.from).toBe(1);
    expect(report.applied.map((m) => m.version)).toEqual(MIGRATIONS.slice(1).map((m) => m.version));
    expect(tableNames(store)).toEqual(expect.arrayContaining(PRODUCT_TABLES));
    expect(store.prepare('SELECT email FROM accounts').all()).toEqual([{ email: 'old@example.com' }]);
    store.close();

    expect(report.backupPath).toBeDefined();
    expect(existsSync(report.backupPath!)).toBe(true);
    const backup = new DatabaseSync(report.backupPath!, { readOnly: true });
    expect(backup.prepare('PRAGMA user_version').get()).toEqual({ user_version: 1 });
    expect(backup.prepare('SELECT email FROM accounts').all()).toEqual([{ email: 'old@example.com' }]);
    expect(
      backup.prepare("SELECT name FROM sqlite_master WHERE name = 'request_logs'").get(),
    ).toBeUndefined();
    backup.close();
  });

  it('roll back a failing migration as a whole and keep the previous version', () => {
    const store = new Store(join(tempDir(), 'broken.db'));
    migrate(store, MIGRATIONS.slice(0, 1));
    const broken = [
      ...MIGRATIONS.slice(0, 1),
      { version: 2, name: 'broken', sql: 'CREATE TABLE half (x); SELECT * FROM missing_table;' },
    ];
    expect(() => migrate(store, broken)).toThrow(/missing_table/);
    expect(schemaVersion(store)).toBe(1);
    expect(tableNames(store)).not.toContain('half');
    store.close();
  });

  it('refuse a database from a newer version of the program', () => {
    const store = new Store(join(tempDir(), 'newer.db'));
    migrate(store);
    store.db.exec('PRAGMA user_version = 999');
    expect(() => migrate(store)).toThrow(/newer than this program knows/);
    store.close();
  });
});
