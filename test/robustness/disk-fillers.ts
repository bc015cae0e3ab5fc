import { execFileSync } from 'node:child_process';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../../src/store/database.ts';

/** A way to make the data folder's disk full under a running app, and to free it again. */
export interface DiskFiller {
  name: string;
  /** Every write fails while full (a real disk), not only those that need a new page. */
  everyWriteFails: boolean;
  fill(store: Store): void;
  free(store: Store): void;
}

/**
 * Works everywhere: the connection may not grow the database file any more (`PRAGMA
 * max_page_count`), so SQLite answers SQLITE_FULL exactly as on a full disk. Room left inside
 * pages already allocated is still used, so a table fills up only after some writes.
 */
export function pageLimitFiller(): DiskFiller {
  let previous: number | undefined;
  return {
    name: 'database page limit',
    everyWriteFails: false,
    fill(store) {
      previous = (store.db.prepare('PRAGMA max_page_count').get() as { max_page_count: number })
        .max_page_count;
      const { page_count } = store.db.prepare('PRAGMA page_count').get() as { page_count: number };
      store.db.exec(`PRAGMA max_page_count = ${page_count}`);
    },
    free(store) {
      if (previous !== undefined) store.db.exec(`PRAGMA max_page_count = ${previous}`);
    },
  };
}

/**
 * A real full disk: `dir` is a small tmpfs, filled up with a filler file until the kernel answers
 * ENOSPC; freeing removes the file. Needs the right to mount, so `mountTmpfs` says whether it is there.
 */
export function tmpfsFiller(dir: string): DiskFiller {
  const filler = join(dir, 'filler.bin');
  return {
    name: 'tmpfs filled to ENOSPC',
    everyWriteFails: true,
    fill() {
      const fd = openSync(filler, 'w');
      try {
        // Big blocks first, then page-sized ones to take the last pages too.
        for (const size of [256 * 1024, 4096]) {
          const block = Buffer.alloc(size);
          try {
            for (;;) writeSync(fd, block);
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
          }
        }
      } finally {
        closeSync(fd);
      }
    },
    free() {
      rmSync(filler, { force: true });
    },
  };
}

/** Mounts a tmpfs of `megabytes` on `dir`; false when this process may not (not root, no mount). */
export function mountTmpfs(dir: string, megabytes: number): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m,mode=0700`, 'tmpfs', dir], {
      stdio: 'ignore',
    });
    return true;
  } catch {
    return false;
  }
}

export function unmountTmpfs(dir: string): void {
  execFileSync('umount', [dir], { stdio: 'ignore' });
}
