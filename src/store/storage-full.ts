/** SQLite's primary result code for "database or disk is full" (SQLITE_FULL). */
const SQLITE_FULL = 13;

/**
 * Something could not be saved because the disk holding the data folder is full (or the database
 * reached its size limit). The app keeps serving from what it has; the user has to free space.
 */
export class StorageFullError extends Error {
  constructor(
    message = 'The disk holding the data folder is full: the change was not saved. Free some space and try again.',
  ) {
    super(message);
    this.name = 'StorageFullError';
  }
}

/** True for a StorageFullError and for SQLite's own SQLITE_FULL (node:sqlite puts the code in `errcode`). */
export function isStorageFull(error: unknown): boolean {
  if (error instanceof StorageFullError) return true;
  const code = (error as { errcode?: unknown } | null)?.errcode;
  // Extended result codes keep the primary code in the low byte.
  return typeof code === 'number' && (code & 0xff) === SQLITE_FULL;
}
