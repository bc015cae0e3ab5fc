import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The demo's temporary data folders. A demo removes its own at exit, but a process killed outright
 * (SIGKILL, a crash of the machine) cannot: each folder names the process that owns it, and the
 * next demo removes those whose process is gone.
 */
const PREFIX = 'better-manager-demo-';
const OWNER_FILE = 'demo.pid';

/** A new demo folder under `parent`, marked as this process's. */
export function createDemoFolder(parent = tmpdir()): string {
  const folder = mkdtempSync(join(parent, PREFIX));
  writeFileSync(join(folder, OWNER_FILE), String(process.pid));
  return folder;
}

/**
 * Removes the demo folders under `parent` whose owning process no longer runs; returns how many.
 * A folder without an owner, or whose owner's id now belongs to another process, is kept.
 */
export function removeOrphanedDemoFolders(parent = tmpdir()): number {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    if (!name.startsWith(PREFIX)) continue;
    const folder = join(parent, name);
    let owner: number;
    try {
      owner = Number(readFileSync(join(folder, OWNER_FILE), 'utf8'));
    } catch {
      continue; // not ours to judge: another user's folder, or one without an owner
    }
    if (!Number.isInteger(owner) || owner <= 0 || isRunning(owner)) continue;
    if (removeDemoFolder(folder)) removed++;
  }
  return removed;
}

/** Removes one demo folder; false when it cannot be yet (Windows refuses while a file is open). */
export function removeDemoFolder(folder: string): boolean {
  try {
    rmSync(folder, { recursive: true, force: true, maxRetries: 3 });
    return true;
  } catch {
    return false;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
