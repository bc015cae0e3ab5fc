import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { RequestLog, type RequestLogEntry } from '../../src/monitor/request-log.ts';
import { RequestStats } from '../../src/monitor/stats.ts';
import { pruneRollups } from '../../src/monitor/stats-rollup.ts';
import { UsageReader, type UsageReport } from '../../src/monitor/usage.ts';
import { usageCsv } from '../../src/monitor/usage-csv.ts';
import { ApiKeysTable } from '../../src/store/api-keys-table.ts';
import { Store } from '../../src/store/database.ts';
import { migrate } from '../../src/store/migrations.ts';
import { tempDir } from '../helpers/cli.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** 2026-01-08 12:30 UTC: 20:30 in China (UTC+8). */
const NOW = Date.UTC(2026, 0, 8, 12, 30);

let store: Store;
let log: RequestLog;
let usage: UsageReader;
let keys: ApiKeysTable;

beforeEach(() => {
  store = new Store(join(tempDir(), 'usage.db'));
  migrate(store);
  log = new RequestLog(store, createLogger('silent'));
  usage = new UsageReader(store);
  keys = new ApiKeysTable(store);
});
afterEach(() => store.close());

function row(at: number, fields: Partial<RequestLogEntry> = {}): RequestLogEntry {
  return {
    createdAt: at,
    protocol: 'gemini',
    route: '/v1beta/models/{model}:generateContent',
    mappedModel: 'gemini-3-flash',
    requestedModel: 'gemini-3-flash',
    accountId: 'acc-1',
    accountEmail: 'alice@example.com',
    attempts: [],
    status: 200,
    latencyMs: 120,
    stream: false,
    inputTokens: 100,
    outputTokens: 20,
    thinkingTokens: 5,
    cachedTokens: 40,
    ...fields,
  };
}

/** Through the real write path: queued, masked, written with the roll-ups in one transaction. */
function write(...entries: RequestLogEntry[]): void {
  for (const entry of entries) log.record(entry);
  log.flush();
}

const sum = (report: UsageReport, field: 'requests' | 'errors') =>
  report.rows.reduce((total, r) => total + r[field], 0);

describe('usage per key, model and account', () => {
  it('groups by key id with the label read now; a revoked key keeps it, a settings key is "from environment"', () => {
    const { row: ci } = keys.create('CI runner');
    const { row: laptop } = keys.create('laptop');
    write(
      row(NOW - 2 * HOUR, { clientKey: 'bm-secret-ci-key-0001', keyId: ci.id }),
      row(NOW - 2 * HOUR, { clientKey: 'bm-secret-ci-key-0001', keyId: ci.id, status: 429 }),
      row(NOW - HOUR, { clientKey: 'bm-secret-laptop-0002', keyId: laptop.id }),
      row(NOW - HOUR, { clientKey: 'from-env-key-0003', keyId: 'env:a1b2c3' }),
      // No key configured: the proxy checked nothing, the masked key is all there is.
      row(NOW - HOUR, { clientKey: 'whatever-client-sent' }),
      row(NOW - HOUR, {}),
    );
    keys.revoke(ci.id);

    const report = usage.report({ window: '24h', by: 'key', bucket: 'hour' }, NOW);
    expect(report.totals).toHaveLength(5);
    expect(report.totals[0]).toEqual({
      group: ci.id,
      label: 'CI runner',
      requests: 2,
      errors: 1,
      tokens: { input: 200, output: 40, thinking: 10, cached: 80 },
    });
    expect(report.totals.slice(1)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ group: laptop.id, label: 'laptop', requests: 1 }),
        expect.objectContaining({ group: 'env:a1b2c3', label: 'from environment', requests: 1 }),
        expect.objectContaining({ group: 'what\u2026nt', label: null, requests: 1 }),
      ]),
    );
    expect(report.totals.at(-1)).toMatchObject({ group: null, label: null, requests: 1 });
    expect(
      report.rows.filter((r) => r.start === new Date(NOW - 3 * HOUR + 30 * 60_000).toISOString()),
    ).toEqual([expect.objectContaining({ group: ci.id, requests: 2 })]);

    // /api/stats names the same keys: id, label and masked key.
    const stats = new RequestStats(store).report('24h', NOW);
    expect(stats.byKey).toContainEqual(
      expect.objectContaining({ keyId: ci.id, label: 'CI runner', key: 'bm-s…01', requests: 2, errors: 1 }),
    );
    expect(stats.byKey).toContainEqual(
      expect.objectContaining({ keyId: 'env:a1b2c3', label: 'from environment', key: 'from…03' }),
    );
    expect(stats.byKey).toContainEqual(expect.objectContaining({ keyId: null, label: null, key: 'what…nt' }));
    expect(stats.byKey).toContainEqual(expect.objectContaining({ keyId: null, label: null, key: null }));
  });

  it('by model and by account, with the account email as label', () => {
    write(
      row(NOW - HOUR, {
        mappedModel: 'claude-sonnet-4-6',
        accountId: 'acc-2',
        accountEmail: 'bob@example.com',
      }),
      row(NOW - HOUR),
      row(NOW - HOUR),
      row(NOW - HOUR, {
        mappedModel: undefined,
        requestedModel: undefined,
        accountId: undefined,
        accountEmail: undefined,
        status: 404,
      }),
    );
    const models = usage.report({ window: '24h', by: 'model', bucket: 'hour' }, NOW);
    expect(models.totals.map((t) => [t.group, t.label, t.requests, t.errors])).toEqual([
      ['gemini-3-flash', 'gemini-3-flash', 2, 0],
      ['claude-sonnet-4-6', 'claude-sonnet-4-6', 1, 0],
      [null, null, 1, 1],
    ]);
    expect(models.rows).toHaveLength(3);
    const accounts = usage.report({ window: '24h', by: 'account', bucket: 'hour' }, NOW);
    expect(accounts.totals.map((t) => [t.group, t.label, t.requests])).toEqual([
      ['acc-1', 'alice@example.com', 2],
      ['acc-2', 'bob@example.com', 1],
      [null, null, 1],
    ]);
  });

  it('hour and day buckets over 24h, 7d and 30d hold the same requests; days follow the time zone', () => {
    const times = [
      NOW - 10 * 60_000, // 12:20 UTC today
      NOW - 13 * HOUR, // 23:30 UTC yesterday = 07:30 today in China
      NOW - 14 * HOUR, // 22:30 UTC yesterday = 06:30 today in China
      NOW - 3 * DAY,
      NOW - 6 * DAY - 12 * HOUR,
      NOW - 20 * DAY,
      NOW - 29 * DAY,
      NOW - 31 * DAY, // outside every window
    ];
    write(...times.map((at) => row(at)));

    const counts: Record<string, number> = {};
    for (const window of ['24h', '7d', '30d'] as const) {
      const hours = usage.report({ window, by: 'model', bucket: 'hour' }, NOW);
      const days = usage.report({ window, by: 'model', bucket: 'day' }, NOW);
      expect(sum(days, 'requests'), window).toBe(sum(hours, 'requests'));
      expect(days.totals).toEqual(hours.totals);
      expect(hours.buckets).toHaveLength({ '24h': 24, '7d': 168, '30d': 720 }[window]);
      expect(hours.buckets.at(-1)).toBe(new Date(NOW - 30 * 60_000).toISOString());
      expect(days.buckets.at(-1)).toBe(new Date(Date.UTC(2026, 0, 8)).toISOString());
      counts[window] = sum(hours, 'requests');
    }
    expect(counts).toEqual({ '24h': 3, '7d': 5, '30d': 7 });

    const utcDays = usage.report({ window: '24h', by: 'model', bucket: 'day' }, NOW);
    expect(utcDays.rows.map((r) => [r.start, r.requests])).toEqual([
      ['2026-01-07T00:00:00.000Z', 2],
      ['2026-01-08T00:00:00.000Z', 1],
    ]);
    const chinaDays = usage.report({ window: '24h', by: 'model', bucket: 'day', tzOffset: 480 }, NOW);
    // Midnight in China is 16:00 UTC the day before: all three fall on Jan 8 there.
    expect(chinaDays.rows.map((r) => [r.start, r.requests])).toEqual([['2026-01-07T16:00:00.000Z', 3]]);
    expect(chinaDays.buckets).toEqual(['2026-01-06T16:00:00.000Z', '2026-01-07T16:00:00.000Z']);
  });

  it('keeps 30 days of hourly roll-ups through pruning', () => {
    write(row(NOW - 29 * DAY), row(NOW - 32 * DAY));
    pruneRollups(store, NOW);
    const hourRows = store.prepare('SELECT COUNT(*) AS n FROM request_stats_hour').get() as { n: number };
    expect(hourRows.n).toBe(1);
    expect(sum(usage.report({ window: '30d', by: 'key', bucket: 'day' }, NOW), 'requests')).toBe(1);
  });

  it('CSV: a header, one line per bucket and group, and no label a spreadsheet would run', () => {
    const { row: evil } = keys.create('=HYPERLINK("http://x","click")');
    write(row(NOW - HOUR, { clientKey: 'bm-evil-key-000001', keyId: evil.id }));
    const csv = usageCsv(usage.report({ window: '24h', by: 'key', bucket: 'hour' }, NOW));
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'start,group,label,requests,errors,input_tokens,output_tokens,thinking_tokens,cached_tokens',
    );
    expect(lines[1]).toBe(
      `${new Date(NOW - HOUR - 30 * 60_000).toISOString()},${evil.id},"'=HYPERLINK(""http://x"",""click"")",1,0,100,20,5,40`,
    );
    expect(lines.slice(2)).toEqual(['']);
  });
});
