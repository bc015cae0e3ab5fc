import { statSync } from 'node:fs';
import type { DatabaseSync } from 'node:sqlite';

/**
 * Giving freed pages back to the file system. SQLite keeps the pages of deleted rows in a free
 * list for later inserts; with `auto_vacuum = INCREMENTAL` they can be cut off the end of the file
 * a few at a time (`PRAGMA incremental_vacuum(N)`), instead of a VACUUM that rewrites everything.
 */

export type AutoVacuumMode = 'none' | 'full' | 'incremental';

export interface AutoVacuumReport {
  /** What the file does with freed pages from now on. */
  mode: AutoVacuumMode;
  /** Set when this open converted an older file (a one-off VACUUM). */
  converted?: { ms: number; bytesBefore: number; bytesAfter: number };
  /** Set when an older file was left as it was, and why. */
  skipped?: { liveBytes: number; reason: string };
}

/**
 * Most live data rewritten at start to convert an older file: a VACUUM copies every live page
 * (about 15 ms per MB on a plain SSD, so 128 MB is ~2 s, once). A larger file keeps reusing its
 * freed pages for new rows, so it stops growing, but it does not shrink.
 */
export const CONVERT_LIMIT_BYTES = 128 * 1024 * 1024;

const MODES: readonly AutoVacuumMode[] = ['none', 'full', 'incremental'];

function pragmaNumber(db: DatabaseSync, name: string): number {
  const row = db.prepare(`PRAGMA ${name}`).get() as Record<string, number>;
  return row[name]!;
}

export function autoVacuumMode(db: DatabaseSync): AutoVacuumMode {
  return MODES[pragmaNumber(db, 'auto_vacuum')] ?? 'none';
}

export interface PageCounts {
  pageSize: number;
  pages: number;
  freePages: number;
}

/** Read from the file header: cheap enough to ask every few seconds. */
export function pageCounts(db: DatabaseSync): PageCounts {
  return {
    pageSize: pragmaNumber(db, 'page_size'),
    pages: pragmaNumber(db, 'page_count'),
    freePages: pragmaNumber(db, 'freelist_count'),
  };
}

/**
 * Turns an older file (made before auto-vacuum was chosen) into an incremental one, when its live
 * data is small enough to rewrite at start; a new file is incremental from its first table on
 * (Store sets the pragma before any table exists). Never throws: a file another process holds
 * open, or a full disk, leaves the file as it was.
 */
export function convertToIncrementalAutoVacuum(
  db: DatabaseSync,
  path: string,
  limitBytes = CONVERT_LIMIT_BYTES,
): AutoVacuumReport {
  const mode = autoVacuumMode(db);
  if (mode !== 'none') return { mode };
  const { pageSize, pages, freePages } = pageCounts(db);
  const liveBytes = (pages - freePages) * pageSize;
  if (liveBytes > limitBytes) {
    return {
      mode,
      skipped: {
        liveBytes,
        reason: `${megabytes(liveBytes)} of data is more than the ${megabytes(limitBytes)} rewritten at start`,
      },
    };
  }
  const bytesBefore = fileBytes(path);
  const started = performance.now();
  try {
    db.exec('PRAGMA auto_vacuum = INCREMENTAL');
    db.exec('VACUUM');
    // VACUUM wrote the whole file through the WAL: fold it back and cut it short.
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  } catch (error) {
    return { mode: autoVacuumMode(db), skipped: { liveBytes, reason: (error as Error).message } };
  }
  return {
    mode: autoVacuumMode(db),
    converted: { ms: performance.now() - started, bytesBefore, bytesAfter: fileBytes(path) },
  };
}

/**
 * Cuts up to `maxPages` free pages off the file (one short write transaction). Returns how many
 * went; 0 when the list is empty or the file is not in incremental mode.
 */
export function reclaimFreePages(db: DatabaseSync, maxPages: number): number {
  const before = pragmaNumber(db, 'freelist_count');
  if (before === 0) return 0;
  db.exec(`PRAGMA incremental_vacuum(${Math.max(1, Math.floor(maxPages))})`);
  return before - pragmaNumber(db, 'freelist_count');
}

/** Size of the database file and of its WAL, in bytes (0 for a file that is not there). */
export function databaseFileBytes(path: string): { main: number; wal: number } {
  return { main: fileBytes(path), wal: fileBytes(`${path}-wal`) };
}

function fileBytes(path: string): number {
  if (path === ':memory:') return 0;
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MB`;
}
