import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Store } from '../store/database.ts';
import { renderGauge } from './metrics.ts';
import { databaseFileBytes, pageCounts, reclaimFreePages } from '../store/vacuum.ts';

/**
 * Request-log retention (product.md §5) in small steps off the request path: a cheap check every
 * few seconds; when rows are past their age or beyond the row limit, a run deletes them a batch
 * per step (one short transaction each) with a turn of the event loop between steps, then gives
 * the freed pages back to the file system a few at a time. The stats roll-ups prune themselves
 * (stats.ts).
 */

export interface RetentionLimits {
  days: number;
  maxRows: number;
}

export interface RetentionOptions {
  /** Rows deleted by one step at most; a slow step halves it, fast ones grow it back to this. */
  maxBatchRows?: number;
  /** Free pages given back by one step at most (adapted like the batch). */
  maxVacuumPages?: number;
  /** How often the cheap check runs. */
  checkEveryMs?: number;
  /** A step that takes longer than this makes the next one smaller. */
  stepBudgetMs?: number;
  now?: () => number;
}

export interface RetentionStats {
  runs: number;
  steps: number;
  rowsPruned: number;
  pagesReclaimed: number;
  /** The longest single step since start: how long pruning held the event loop at most. */
  longestStepMs: number;
  /**
   * CPU time of the costliest step: on a machine shared with busier processes, a step's wall time
   * also counts the time the process waited for a core.
   */
  longestStepCpuMs: number;
}

const DAY_MS = 86_400_000;

/**
 * CPU time of this thread only, where Node has it (23.9+): the process's figure also counts the
 * GC's helper threads and libuv's pool, busy with other work while a step runs.
 */
function mainThreadCpu(previous?: NodeJS.CpuUsage): NodeJS.CpuUsage {
  return typeof process.threadCpuUsage === 'function'
    ? process.threadCpuUsage(previous)
    : process.cpuUsage(previous);
}
const MIN_BATCH_ROWS = 100;
const MIN_VACUUM_PAGES = 16;
/**
 * Free pages are given back once they are more than this share of the file (and at least
 * MIN_FREE_PAGES): below it, the next few seconds of rows fill them again, and cutting the file
 * only to grow it back is wasted writing.
 */
const FREE_SHARE_TO_RECLAIM = 1 / 8;
const MIN_FREE_PAGES = 256;

/** Deletes up to `batch` rows created before `before`, oldest first. Returns how many went. */
export function deleteExpiredRows(store: Store, before: number, batch: number): number {
  return Number(
    store
      .prepare(
        'DELETE FROM request_logs WHERE id IN (SELECT id FROM request_logs WHERE created_at < ? ORDER BY created_at LIMIT ?)',
      )
      .run(before, batch).changes,
  );
}

/**
 * Deletes up to `batch` of the oldest rows beyond `maxRows`, by id range. Ids only grow, so the
 * newest `maxRows` ids are the rows kept: found from the smallest and largest id (two index
 * look-ups) instead of counting the table. A gap in the ids (a row pruned early for its age)
 * keeps a few rows fewer, never more.
 */
export function deleteExcessRows(store: Store, maxRows: number, batch: number): number {
  // Two statements: SQLite answers a lone MIN or MAX from the index, but not both in one query.
  const newest = (store.prepare('SELECT MAX(id) AS id FROM request_logs').get() as { id: number | null }).id;
  const oldest = (store.prepare('SELECT MIN(id) AS id FROM request_logs').get() as { id: number | null }).id;
  if (newest === null || oldest === null) return 0;
  const lastToGo = newest - maxRows;
  if (oldest > lastToGo) return 0;
  return Number(
    store.prepare('DELETE FROM request_logs WHERE id <= ?').run(Math.min(lastToGo, oldest + batch - 1))
      .changes,
  );
}

/** Whether rows are due for pruning: index look-ups only, no scan. */
function rowsDue(store: Store, { days, maxRows }: RetentionLimits, now: number): boolean {
  const oldest = store.prepare('SELECT MIN(created_at) AS at FROM request_logs').get() as {
    at: number | null;
  };
  if (oldest.at !== null && oldest.at < now - days * DAY_MS) return true;
  const newest = (store.prepare('SELECT MAX(id) AS id FROM request_logs').get() as { id: number | null }).id;
  const first = (store.prepare('SELECT MIN(id) AS id FROM request_logs').get() as { id: number | null }).id;
  return newest !== null && first !== null && first <= newest - maxRows;
}

/** Retention all at once, in batches but without yielding (tests, tools). */
export function pruneAll(store: Store, limits: RetentionLimits, now: number, batch = 2000): number {
  let total = 0;
  let done: number;
  do {
    done = deleteExpiredRows(store, now - limits.days * DAY_MS, batch);
    total += done;
  } while (done > 0);
  do {
    done = deleteExcessRows(store, limits.maxRows, batch);
    total += done;
  } while (done > 0);
  return total;
}

/** Schedules retention for one store; `start` at boot, `stop` at shutdown. */
export class LogRetention {
  private readonly store: Store;
  private readonly limits: () => RetentionLimits;
  private readonly logger: Logger;
  private readonly maxBatchRows: number;
  private readonly maxVacuumPages: number;
  private readonly checkEveryMs: number;
  private readonly stepBudgetMs: number;
  private readonly now: () => number;
  private batchRows: number;
  private vacuumPages: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  readonly stats: RetentionStats = {
    runs: 0,
    steps: 0,
    rowsPruned: 0,
    pagesReclaimed: 0,
    longestStepMs: 0,
    longestStepCpuMs: 0,
  };

  constructor(store: Store, limits: () => RetentionLimits, logger: Logger, options: RetentionOptions = {}) {
    this.store = store;
    this.limits = limits;
    this.logger = logger;
    // Sized for a 2-core machine at 2,000 requests a second, shared with the clients: a step of
    // 1,000 rows costs about 5 ms of CPU, but its commit may also run SQLite's checkpoint (~10 ms)
    // and wait for a core, and the three together must stay well under 50 ms.
    this.maxBatchRows = options.maxBatchRows ?? 1000;
    this.maxVacuumPages = options.maxVacuumPages ?? 256;
    this.checkEveryMs = options.checkEveryMs ?? 2000;
    this.stepBudgetMs = options.stepBudgetMs ?? 10;
    this.now = options.now ?? Date.now;
    this.batchRows = this.maxBatchRows;
    this.vacuumPages = this.maxVacuumPages;
  }

  start(): void {
    this.reportAutoVacuum();
    this.stopped = false;
    this.timer ??= setInterval(() => void this.check(), this.checkEveryMs);
    this.timer.unref();
  }

  /** A run in progress ends before its next step. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Starts a run when something is due; returns it (or the one in progress), else undefined. */
  check(): Promise<void> | undefined {
    if (this.running || this.stopped || !this.store.isOpen) return this.running;
    try {
      if (!rowsDue(this.store, this.limits(), this.now()) && !this.reclaimDue()) return undefined;
    } catch (error) {
      this.logger.error(`request log retention: ${(error as Error).message}`);
      return undefined;
    }
    this.running = this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Prunes and gives pages back until nothing is due, one step per turn of the event loop. */
  private async run(): Promise<void> {
    this.stats.runs++;
    const before = { rows: this.stats.rowsPruned, pages: this.stats.pagesReclaimed, steps: this.stats.steps };
    let longestMs = 0;
    let reclaiming = false;
    try {
      for (;;) {
        if (this.stopped || !this.store.isOpen) return;
        const started = performance.now();
        const cpuBefore = mainThreadCpu();
        let done = this.pruneStep();
        if (done === 0) {
          // Once started, all the free pages go: the threshold only decides when it is worth it.
          reclaiming ||= this.reclaimDue();
          if (reclaiming) done = this.reclaimStep();
        }
        const ms = performance.now() - started;
        const cpu = mainThreadCpu(cpuBefore);
        if (done === 0) break;
        this.stats.steps++;
        longestMs = Math.max(longestMs, ms);
        this.stats.longestStepMs = Math.max(this.stats.longestStepMs, ms);
        this.stats.longestStepCpuMs = Math.max(this.stats.longestStepCpuMs, (cpu.user + cpu.system) / 1000);
        await nextTurn();
      }
    } catch (error) {
      this.logger.error(`request log retention stopped: ${(error as Error).message}`);
      return;
    }
    const pages = this.stats.pagesReclaimed - before.pages;
    this.logger.debug(
      `request log retention: ${this.stats.rowsPruned - before.rows} rows pruned, ` +
        `${pages} free pages given back, in ${this.stats.steps - before.steps} steps (longest ${longestMs.toFixed(1)} ms)`,
    );
  }

  /** Gauges for `GET /metrics`: what retention did, and the size of the data folder's database. */
  gauges(): string[] {
    const file = databaseFileBytes(this.store.path);
    return [
      renderGauge('bm_log_pruned_rows', 'Request-log rows pruned by retention since start.', [
        [{}, this.stats.rowsPruned],
      ]),
      renderGauge(
        'bm_log_prune_longest_step_seconds',
        'Longest single retention step since start (the event loop is held that long at most).',
        [[{}, this.stats.longestStepMs / 1000]],
      ),
      renderGauge(
        'bm_log_prune_longest_step_cpu_seconds',
        'CPU time of the costliest retention step since start (its wall time less any wait for a core).',
        [[{}, this.stats.longestStepCpuMs / 1000]],
      ),
      renderGauge('bm_database_file_bytes', 'Size of the database file and of its write-ahead log.', [
        [{ file: 'main' }, file.main],
        [{ file: 'wal' }, file.wal],
      ]),
    ];
  }

  /** One batch of expired rows, else of rows beyond the limit. Returns how many went. */
  private pruneStep(): number {
    const limits = this.limits();
    const started = performance.now();
    let done = deleteExpiredRows(this.store, this.now() - limits.days * DAY_MS, this.batchRows);
    if (done === 0) done = deleteExcessRows(this.store, limits.maxRows, this.batchRows);
    if (done > 0) {
      this.stats.rowsPruned += done;
      this.batchRows = this.adapt(
        this.batchRows,
        performance.now() - started,
        MIN_BATCH_ROWS,
        this.maxBatchRows,
      );
    }
    return done;
  }

  private reclaimStep(): number {
    const started = performance.now();
    const done = reclaimFreePages(this.store.db, this.vacuumPages);
    this.stats.pagesReclaimed += done;
    this.vacuumPages = this.adapt(
      this.vacuumPages,
      performance.now() - started,
      MIN_VACUUM_PAGES,
      this.maxVacuumPages,
    );
    return done;
  }

  private reclaimDue(): boolean {
    if (this.store.autoVacuum.mode !== 'incremental') return false;
    const { pages, freePages } = pageCounts(this.store.db);
    return freePages > Math.max(MIN_FREE_PAGES, pages * FREE_SHARE_TO_RECLAIM);
  }

  /** Halves a step's size after a slow step, doubles it after a quick one, within bounds. */
  private adapt(size: number, ms: number, min: number, max: number): number {
    if (ms > this.stepBudgetMs) return Math.max(min, Math.floor(size / 2));
    if (ms < this.stepBudgetMs / 4) return Math.min(max, size * 2);
    return size;
  }

  private reportAutoVacuum(): void {
    const { converted, skipped } = this.store.autoVacuum;
    const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
    if (converted) {
      this.logger.info(
        `database converted to incremental auto-vacuum in ${converted.ms.toFixed(0)} ms ` +
          `(${mb(converted.bytesBefore)} -> ${mb(converted.bytesAfter)}): pruned rows now give their space back`,
      );
    } else if (skipped) {
      this.logger.warn(
        `database not converted to incremental auto-vacuum (${skipped.reason}): the space of pruned rows is reused ` +
          'for new ones, but the file will not shrink',
      );
    }
  }
}
