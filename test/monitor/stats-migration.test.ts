import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { RequestLog } from '../../src/monitor/request-log.ts';
import { RequestStats } from '../../src/monitor/stats.ts';
import { Store } from '../../src/store/database.ts';
import { migrate, MIGRATIONS } from '../../src/store/migrations.ts';
import { tempDir } from '../helpers/cli.ts';

describe('migration 6: request log and roll-ups by key id', () => {
  it('keeps what was rolled up before (key id empty) and rolls new rows up per key id', () => {
    const store = new Store(join(tempDir(), 'v5.db'));
    migrate(
      store,
      MIGRATIONS.filter((migration) => migration.version <= 4),
    );
    const now = Date.now();
    const insert = store.prepare(
      `INSERT INTO request_logs (created_at, protocol, route, client_key, mapped_model, status, latency_ms, input_tokens)
       VALUES (?, 'gemini', '/v1beta/models/{model}:generateContent', ?, 'gemini-3-flash', ?, 80, 10)`,
    );
    insert.run(now - 60_000, 'sk-o…01', 200);
    insert.run(now - 60_000, 'sk-o…01', 500);
    // Migration 5 back-fills the roll-ups from these rows, 6 rebuilds the tables with key_id.
    migrate(
      store,
      MIGRATIONS.filter((migration) => migration.version <= 6),
    );
    const columns = (
      store.prepare('PRAGMA table_info(request_stats_hour)').all() as Array<{ name: string; pk: number }>
    )
      .filter((column) => column.pk > 0)
      .map((column) => column.name);
    expect(columns).toEqual(['bucket_start', 'model', 'account_id', 'client_key', 'key_id']);

    const log = new RequestLog(store, createLogger('silent'));
    log.record({
      createdAt: now - 30_000,
      protocol: 'gemini',
      route: '/v1beta/models/{model}:generateContent',
      clientKey: 'sk-other-key-000001',
      keyId: 'env:0a1b2c',
      mappedModel: 'gemini-3-flash',
      attempts: [],
      status: 200,
      latencyMs: 40,
      stream: false,
      inputTokens: 5,
    });
    log.flush();
    expect(store.prepare('SELECT key_id FROM request_logs ORDER BY id').all()).toEqual([
      { key_id: null },
      { key_id: null },
      { key_id: 'env:0a1b2c' },
    ]);

    for (const window of ['1h', '7d'] as const) {
      const report = new RequestStats(store).report(window);
      expect(report.totals).toMatchObject({ requests: 3, errors: 1, tokens: { input: 25 } });
      expect(report.byKey).toEqual([
        expect.objectContaining({ keyId: null, label: null, key: 'sk-o…01', requests: 2, errors: 1 }),
        expect.objectContaining({
          keyId: 'env:0a1b2c',
          label: 'from environment',
          key: 'sk-o…01',
          requests: 1,
        }),
      ]);
    }
    store.close();
  });
});
