import { statSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/database.ts';
import { migrate } from '../../src/store/migrations.ts';
import {
  autoVacuumMode,
  convertToIncrementalAutoVacuum,
  pageCounts,
  reclaimFreePages,
} from '../../src/store/vacuum.ts';
import { tempDir } from '../helpers/cli.ts';

const pragma = (db: DatabaseSync, name: string) =>
  (db.prepare(`PRAGMA ${name}`).get() as Record<string, number>)[name];

/** A file as older versions made it: no auto-vacuum, a table with some rows. */
function oldDatabase(path: string, rows: number): void {
  const db = new DatabaseSync(path);
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO notes (body) VALUES (?)');
  db.exec('BEGIN');
  for (let i = 0; i < rows; i++) insert.run(`note ${i} ${'x'.repeat(200)}`);
  db.exec('COMMIT');
  db.exec(`DELETE FROM notes WHERE id > ${rows / 2}`);
  db.close();
}

describe('incremental auto-vacuum', () => {
  it('is how a new database is made, from its first table on', () => {
    const store = new Store(join(tempDir(), 'new.db'));
    migrate(store);
    expect(pragma(store.db, 'auto_vacuum')).toBe(2);
    expect(store.autoVacuum).toEqual({ mode: 'incremental' });
    store.close();
  });

  it('converts an older database once, at open, keeping its data and dropping its free pages', () => {
    const path = join(tempDir(), 'old.db');
    oldDatabase(path, 5000);
    const before = new DatabaseSync(path);
    expect(pragma(before, 'auto_vacuum')).toBe(0);
    expect(pragma(before, 'freelist_count')).toBeGreaterThan(0);
    before.close();

    const store = new Store(path);
    expect(store.autoVacuum.mode).toBe('incremental');
    expect(store.autoVacuum.converted).toBeDefined();
    expect(store.autoVacuum.converted!.bytesAfter).toBeLessThan(store.autoVacuum.converted!.bytesBefore);
    expect(pragma(store.db, 'auto_vacuum')).toBe(2);
    expect(pragma(store.db, 'freelist_count')).toBe(0);
    expect(store.prepare('SELECT COUNT(*) AS n FROM notes').get()).toEqual({ n: 2500 });
    store.close();

    const again = new Store(path);
    expect(again.autoVacuum).toEqual({ mode: 'incremental' });
    again.close();
  });

  it('leaves an older database alone when its data is more than it rewrites at start', () => {
    const path = join(tempDir(), 'big.db');
    oldDatabase(path, 2000);
    const db = new DatabaseSync(path);
    const report = convertToIncrementalAutoVacuum(db, path, 4096);
    expect(report.mode).toBe('none');
    expect(report.skipped?.reason).toMatch(/MB of data is more than the 0\.0 MB rewritten at start/);
    expect(autoVacuumMode(db)).toBe('none');
    db.close();
  });

  it('never throws when another connection holds the file: the file stays as it was', () => {
    const path = join(tempDir(), 'held.db');
    oldDatabase(path, 100);
    const holder = new DatabaseSync(path);
    holder.exec('BEGIN IMMEDIATE');
    holder.exec("INSERT INTO notes (body) VALUES ('held')");
    const db = new DatabaseSync(path, { timeout: 20 });
    const report = convertToIncrementalAutoVacuum(db, path);
    expect(report.mode).toBe('none');
    expect(report.skipped?.reason).toMatch(/locked|busy/i);
    holder.exec('COMMIT');
    holder.close();
    db.close();
  });

  it('gives free pages back a bounded number per step, and the file shrinks', () => {
    const path = join(tempDir(), 'reclaim.db');
    const store = new Store(path);
    store.db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const insert = store.prepare('INSERT INTO notes (body) VALUES (?)');
    store.transaction(() => {
      for (let i = 0; i < 20_000; i++) insert.run('y'.repeat(300));
    });
    store.db.exec('DELETE FROM notes WHERE id > 2000');
    store.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    const before = pageCounts(store.db);
    const sizeBefore = statSync(path).size;
    expect(before.freePages).toBeGreaterThan(1000);

    expect(reclaimFreePages(store.db, 100)).toBe(100);
    expect(pageCounts(store.db).freePages).toBe(before.freePages - 100);
    let steps = 1;
    while (reclaimFreePages(store.db, 100) > 0) steps++;
    expect(steps).toBe(Math.ceil(before.freePages / 100));
    const after = pageCounts(store.db);
    expect(after.freePages).toBe(0);
    // Pointer-map pages that tracked the cut-off pages go too.
    expect(after.pages).toBeLessThanOrEqual(before.pages - before.freePages);
    store.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    expect(statSync(path).size).toBe(after.pages * after.pageSize);
    expect(statSync(path).size).toBeLessThan(sizeBefore / 5);
    expect(store.prepare('SELECT COUNT(*) AS n FROM notes').get()).toEqual({ n: 2000 });
    store.close();
  });

  it('keeps the WAL and the page cache bounded', () => {
    const store = new Store(join(tempDir(), 'wal.db'));
    expect(pragma(store.db, 'wal_autocheckpoint')).toBe(1000);
    expect(pragma(store.db, 'journal_size_limit')).toBe(16 * 1024 * 1024);
    expect(pragma(store.db, 'cache_size')).toBe(-2000);
    store.close();
  });
});
