import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { convertToIncrementalAutoVacuum, type AutoVacuumReport } from './vacuum.ts';

export const DATABASE_FILE_NAME = 'better-manager.db';

/**
 * A WAL that grew past this (a VACUUM, a large import) is cut back to it after the next
 * checkpoint; day to day the WAL stays near the checkpoint threshold (1000 pages, ~4 MB).
 */
const WAL_SIZE_LIMIT_BYTES = 16 * 1024 * 1024;
/** Page cache of the connection, KiB (SQLite's default, said out loud: part of the RSS budget). */
const PAGE_CACHE_KIB = 2000;

/**
 * The one SQLite connection of the process. Table modules get statements through `prepare`
 * (cached per SQL text) and group writes with `transaction`; nobody else opens the file.
 */
export class Store {
  readonly db: DatabaseSync;
  readonly path: string;
  /** How the file gives freed pages back, and whether this open converted it. */
  readonly autoVacuum: AutoVacuumReport;
  private readonly statements = new Map<string, StatementSync>();
  private transactionDepth = 0;
  private closed = false;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.path = path;
    this.db = new DatabaseSync(path, { enableForeignKeyConstraints: true, timeout: 5000 });
    // Only a file without tables takes this at once; an older one is converted below.
    this.db.exec('PRAGMA auto_vacuum = INCREMENTAL');
    this.db.exec('PRAGMA journal_mode = WAL');
    this.db.exec('PRAGMA synchronous = NORMAL');
    this.db.exec('PRAGMA foreign_keys = ON');
    this.db.exec('PRAGMA busy_timeout = 5000');
    this.db.exec('PRAGMA wal_autocheckpoint = 1000');
    this.db.exec(`PRAGMA journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
    this.db.exec(`PRAGMA cache_size = -${PAGE_CACHE_KIB}`);
    this.autoVacuum = convertToIncrementalAutoVacuum(this.db, path);
  }

  prepare(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs `work` atomically; nested calls become savepoints. */
  transaction<T>(work: () => T): T {
    const depth = this.transactionDepth;
    const savepoint = `sp_${depth}`;
    this.db.exec(depth === 0 ? 'BEGIN IMMEDIATE' : `SAVEPOINT ${savepoint}`);
    this.transactionDepth++;
    try {
      const result = work();
      this.db.exec(depth === 0 ? 'COMMIT' : `RELEASE ${savepoint}`);
      return result;
    } catch (error) {
      if (this.db.isTransaction) {
        this.db.exec(depth === 0 ? 'ROLLBACK' : `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
      }
      throw error;
    } finally {
      this.transactionDepth--;
    }
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.statements.clear();
    try {
      // Folds the WAL back into the main file so a copied database is complete on its own.
      this.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    } catch {
      // A busy checkpoint is harmless: the WAL is replayed at the next open.
    }
    this.db.close();
  }
}
