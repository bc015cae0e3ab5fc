// What the soak benchmark (bench/soak.ts) reads of the Better Manager process: its memory from
// /proc and from /api/proxy/status (process.memoryUsage() inside it), its GET /metrics gauges, and
// the size of its database file, its WAL, and of the live rows in it.
import { readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/** One reading, sizes in MB. */
export interface Sample {
  at: number;
  rss: number;
  /** Anonymous memory (heap, malloc) and file-backed pages (the node binary, libraries). */
  rssAnon: number;
  rssFile: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  db: number;
  wal: number;
}

const MB = 1048576;

function procStatus(pid: number): Record<string, number> {
  const fields: Record<string, number> = {};
  for (const line of readFileSync(`/proc/${pid}/status`, 'utf8').split('\n')) {
    const match = /^(\w+):\s+(\d+) kB/.exec(line);
    if (match) fields[match[1]!] = Number(match[2]) / 1024;
  }
  return fields;
}

const fileMb = (path: string) => {
  try {
    return statSync(path).size / MB;
  } catch {
    return 0;
  }
};

export async function sample(url: string, pid: number, dbPath: string): Promise<Sample> {
  const { memory } = (await (await fetch(`${url}/api/proxy/status`)).json()) as {
    memory: { heapUsed: number; heapTotal: number; external: number; arrayBuffers: number };
  };
  const status = procStatus(pid);
  return {
    at: performance.now(),
    rss: status.VmRSS ?? 0,
    rssAnon: status.RssAnon ?? 0,
    rssFile: status.RssFile ?? 0,
    heapUsed: memory.heapUsed,
    heapTotal: memory.heapTotal,
    external: memory.external,
    arrayBuffers: memory.arrayBuffers,
    db: fileMb(dbPath),
    wal: fileMb(`${dbPath}-wal`),
  };
}

/** GET /metrics as `name{labels}` → value. */
export async function metrics(url: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !line.trim()) continue;
    const at = line.lastIndexOf(' ');
    values.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return values;
}

/**
 * The live rows' size: a compact copy of the database (VACUUM INTO writes only live pages, packed),
 * read through a second connection while the server keeps running. And the rows in the log.
 */
export function liveSize(dbPath: string): { mb: number; logRows: number } {
  const copy = join(tmpdir(), `bm-soak-live-${process.pid}.db`);
  rmSync(copy, { force: true });
  const db = new DatabaseSync(dbPath, { readOnly: true });
  try {
    db.prepare('VACUUM INTO ?').run(copy);
    const { n } = db.prepare('SELECT COUNT(*) AS n FROM request_logs').get() as { n: number };
    return { mb: fileMb(copy), logRows: n };
  } finally {
    db.close();
    rmSync(copy, { force: true });
  }
}

const fixed = (mb: number) => mb.toFixed(1).padStart(6);

/**
 * Where the resident memory goes, from one sample. V8's heap and `external` (memory the JS objects
 * hold outside the heap: Buffers, ArrayBuffers) are measured inside the process; file-backed pages
 * from /proc; SQLite's page cache is bounded by its cache_size (2 MB, src/store/database.ts). The
 * rest is native memory outside V8's heap (malloc: Node's internals, SQLite's statements, the HTTP
 * parser, ICU; thread stacks) and heap pages V8 has let go of but not yet returned to the system.
 * Under load V8's old space commits far more than it keeps live: garbage piles up between two
 * full collections, so `heap used` swings, and its floor is what survives a collection.
 */
export function rssSplit(s: Sample): string[] {
  const sqliteCache = 2;
  const rest = s.rssAnon - s.heapTotal - s.external - sqliteCache;
  const line = (label: string, value: number, note = '') => `  ${label.padEnd(58)}${fixed(value)} MB${note}`;
  return [
    `RSS ${fixed(s.rss)} MB =`,
    line('file-backed (node binary, libraries, ICU data)', s.rssFile),
    line('V8 heap committed', s.heapTotal, ` (used ${s.heapUsed.toFixed(1)})`),
    line(`external (Buffers; ArrayBuffers ${s.arrayBuffers.toFixed(1)})`, s.external),
    line('SQLite page cache (at most: cache_size)', sqliteCache),
    line('rest: native (malloc, thread stacks), freed V8 pages', rest),
  ];
}
