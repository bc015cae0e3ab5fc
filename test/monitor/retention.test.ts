import { statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { LogRetention, type RetentionOptions } from '../../src/monitor/retention.ts';
import { Store } from '../../src/store/database.ts';
import { migrate } from '../../src/store/migrations.ts';
import { tempDir } from '../helpers/cli.ts';

const DAY = 86_400_000;
/**
 * Wall-clock bounds stretched by how overloaded the machine is (runnable processes per core): on a
 * shared machine a step's wall time also counts the time the test waited for a core. Quiet (CI),
 * the factor is 1; the CPU time of a step is held to the bound whatever the load.
 */
const MACHINE_FACTOR = Math.max(1, loadavg()[0]! / cpus().length);
const NOW = Date.UTC(2026, 0, 10);
const MODELS = ['gemini-3-flash', 'claude-sonnet-4-6', 'gemini-3-pro'];

let store: Store;
afterEach(() => store?.close());

/** A store with `rows` log rows shaped like the proxy's, created `spanMs` apart ending at NOW. */
function storeWithRows(name: string, rows: number, spanMs = 1): Store {
  store = new Store(join(tempDir(), name));
  migrate(store);
  const insert = store.prepare(
    `INSERT INTO request_logs (created_at, protocol, route, client_key, requested_model, mapped_model, account_id,
      account_email, session_hash, attempts, attempt_count, status, latency_ms, first_byte_ms, stream, input_tokens, output_tokens)
     VALUES (?, 'openai', '/v1/chat/completions', 'sk-a…xy', ?, ?, ?, ?, 'a1b2c3d4e5f60718', ?, 1, 200, ?, 20, 1, 120, 340)`,
  );
  for (let start = 0; start < rows; start += 10_000) {
    store.transaction(() => {
      for (let i = start; i < Math.min(rows, start + 10_000); i++) {
        const account = `account-${i % 7}`;
        const email = `user${i % 7}@gmail.com`;
        insert.run(
          NOW - (rows - i) * spanMs,
          MODELS[i % 3]!,
          MODELS[i % 3]!,
          account,
          email,
          JSON.stringify([{ accountId: account, email, status: 200, ms: 12 }]),
          50 + (i % 100),
        );
      }
    });
  }
  return store;
}

const count = () => (store.prepare('SELECT COUNT(*) AS n FROM request_logs').get() as { n: number }).n;
const oldestId = () => (store.prepare('SELECT MIN(id) AS id FROM request_logs').get() as { id: number }).id;

function retention(limits: { days: number; maxRows: number }, options: RetentionOptions = {}) {
  return new LogRetention(store, () => limits, createLogger('silent'), { now: () => NOW, ...options });
}

/** Bytes the live rows take: the size of a compact copy (VACUUM INTO writes only live pages, packed). */
function liveBytes(): number {
  const copy = join(tempDir(), 'live.db');
  store.db.prepare('VACUUM INTO ?').run(copy);
  return statSync(copy).size;
}

const fileBytes = () => statSync(store.path).size + statSync(`${store.path}-wal`).size;

describe('request log retention', () => {
  it('200,000 rows over a 100,000 limit: pruned in short steps between timers, the file under 2x its live rows', async () => {
    storeWithRows('soak.db', 200_000);
    const sizeBefore = fileBytes();
    const job = retention({ days: 7, maxRows: 100_000 });

    // A request's timer: it must keep firing every 5 ms while the pruning runs.
    let last = performance.now();
    let longestGap = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
    }, 5);
    const started = performance.now();
    await job.check();
    const took = performance.now() - started;
    clearInterval(ticker);

    expect(count()).toBe(100_000);
    expect(oldestId()).toBe(100_001);
    // 100,000 rows at most 1,000 a step, then the free pages: had it been one DELETE, the timer
    // would have waited for all of it (a few hundred ms).
    expect(job.stats.rowsPruned).toBe(100_000);
    expect(job.stats.steps).toBeGreaterThanOrEqual(100);
    expect(took).toBeGreaterThan(100);
    expect(job.stats.longestStepCpuMs).toBeLessThan(50);
    expect(job.stats.longestStepMs).toBeLessThan(50 * MACHINE_FACTOR);
    expect(longestGap).toBeLessThan(50 * MACHINE_FACTOR);

    expect(job.stats.pagesReclaimed).toBeGreaterThan(0);
    const live = liveBytes();
    expect(fileBytes()).toBeLessThan(2 * live);
    expect(fileBytes()).toBeLessThan(0.7 * sizeBefore);
    // Nothing left to do: the next check starts no run.
    expect(job.check()).toBeUndefined();
  });

  it('prunes rows past their age, oldest first, a batch per step', async () => {
    // 20,000 rows, one a minute: the oldest ~6,000 are more than 7 days old.
    storeWithRows('age.db', 20_000, 60_000);
    const expired = (
      store.prepare('SELECT COUNT(*) AS n FROM request_logs WHERE created_at < ?').get(NOW - 7 * DAY) as {
        n: number;
      }
    ).n;
    expect(expired).toBeGreaterThan(5000);
    const job = retention({ days: 7, maxRows: 1_000_000 }, { maxBatchRows: 1000 });
    await job.check();
    expect(count()).toBe(20_000 - expired);
    expect(job.stats.rowsPruned).toBe(expired);
    expect(job.stats.steps).toBeGreaterThanOrEqual(Math.ceil(expired / 1000));
    const oldest = store.prepare('SELECT MIN(created_at) AS at FROM request_logs').get() as { at: number };
    expect(oldest.at).toBeGreaterThanOrEqual(NOW - 7 * DAY);
  });

  it('starts nothing while the log is within its limits', () => {
    storeWithRows('within.db', 5000);
    const job = retention({ days: 7, maxRows: 5000 });
    expect(job.check()).toBeUndefined();
    expect(count()).toBe(5000);
    expect(job.stats.runs).toBe(0);
  });

  it('once started, checks on its own timer and prunes what goes over the limit; stop() ends it', async () => {
    storeWithRows('timer.db', 12_000);
    const job = retention({ days: 7, maxRows: 10_000 }, { checkEveryMs: 10 });
    job.start();
    await expect.poll(count, { timeout: 5000 }).toBe(10_000);
    job.stop();
    store.prepare('DELETE FROM request_logs WHERE id > 11_000').run();
    storeWithRowsAppend(3000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(count()).toBe(12_000);
  });

  it('makes its steps smaller when they run slow', async () => {
    storeWithRows('slow.db', 30_000);
    // 10,000 rows each. Quick steps stay at 2,000 rows (plus a few steps giving pages back); with
    // every step counted as slow, the batch halves down to its floor of 100 rows.
    const quick = retention({ days: 7, maxRows: 20_000 }, { stepBudgetMs: 1e9 });
    const slow = retention({ days: 7, maxRows: 10_000 }, { stepBudgetMs: 0 });
    await quick.check();
    expect(count()).toBe(20_000);
    expect(quick.stats.steps).toBeLessThanOrEqual(15);
    await slow.check();
    expect(count()).toBe(10_000);
    expect(slow.stats.steps).toBeGreaterThan(60);
  });

  it('reports what it did for GET /metrics', async () => {
    storeWithRows('gauges.db', 3000);
    const job = retention({ days: 7, maxRows: 1000 });
    await job.check();
    const text = job.gauges().join('');
    expect(text).toContain('bm_log_pruned_rows 2000\n');
    expect(text).toMatch(/bm_log_prune_longest_step_seconds 0\.\d+/);
    expect(text).toMatch(/bm_log_prune_longest_step_cpu_seconds \d/);
    expect(text).toMatch(/bm_database_file_bytes\{file="main"\} [1-9]\d*/);
    expect(text).toContain('# TYPE bm_database_file_bytes gauge');
  });
});

/** More rows after the newest one, as the proxy would write them. */
function storeWithRowsAppend(rows: number): void {
  const insert = store.prepare(
    "INSERT INTO request_logs (created_at, protocol, route, status, latency_ms) VALUES (?, 'gemini', '/x', 200, 1)",
  );
  store.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run(NOW);
  });
}
