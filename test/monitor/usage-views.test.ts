/**
 * The dashboard's own arithmetic (web/src/pages): the live log's filter, which must agree with the
 * server's query, the usage chart's series, and the Dashboard's pool health and family quota.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { LogQuery, type LogFilter } from '../../src/monitor/log-query.ts';
import { RequestLog, type RequestLogEntry } from '../../src/monitor/request-log.ts';
import { Store } from '../../src/store/database.ts';
import { migrate } from '../../src/store/migrations.ts';
import { familyOf, familyQuotas, poolHealth } from '../../web/src/pages/dashboard/families.ts';
import type { DashboardAccount } from '../../web/src/pages/dashboard/types.ts';
import { matchesFilters, NO_FILTERS, type LogFilters } from '../../web/src/pages/monitor/filters.ts';
import type { LogRow, UsageReport } from '../../web/src/pages/monitor/types.ts';
import { usageSeries } from '../../web/src/pages/monitor/usage-model.ts';
import { tempDir } from '../helpers/cli.ts';

describe('the live log filter', () => {
  it('keeps exactly the rows the server would list under the same filters', () => {
    const store = new Store(join(tempDir(), 'filter.db'));
    migrate(store);
    const log = new RequestLog(store, createLogger('silent'));
    const models = ['gemini-3-flash', 'claude-sonnet-4-6', undefined];
    const rows: RequestLogEntry[] = [];
    for (let i = 0; i < 120; i++) {
      const model = models[i % 3];
      rows.push({
        createdAt: 1_000 + i,
        protocol: (['gemini', 'openai', 'anthropic'] as const)[i % 3]!,
        route: i % 2 ? '/v1/chat/completions' : '/v1beta/models/{model}:generateContent',
        clientKey: i % 4 === 0 ? undefined : `sk-key-number-${i % 4}`,
        keyId: i % 4 === 1 ? 'key-one' : i % 4 === 2 ? 'env:abc123' : undefined,
        requestedModel: model === undefined ? 'gpt-4o' : model,
        mappedModel: model,
        accountId: i % 5 === 0 ? undefined : `acc-${i % 5}`,
        accountEmail: i % 5 === 0 ? undefined : `User${i % 5}@Example.com`,
        attempts: [],
        status: [200, 200, 429, 404, 503, 500][i % 6]!,
        errorMessage: i % 6 > 1 ? `Upstream said ${['no', 'later', 'NOPE', 'busy'][i % 4]}` : undefined,
        latencyMs: 5,
        stream: false,
      });
    }
    for (const row of rows) log.record(row);
    log.flush();
    const query = new LogQuery(store);
    const stored = query.page({}, 500).rows as unknown as LogRow[];
    expect(stored).toHaveLength(120);

    const filters = fc.record<LogFilters>({
      status: fc.constantFrom('', '2xx', '4xx', '5xx', 'error'),
      model: fc.constantFrom('', 'gemini-3-flash', 'claude-sonnet-4-6', 'gpt-4o', 'other'),
      account: fc.constantFrom('', 'acc-1', 'user2@example.com', 'USER3@EXAMPLE.COM', 'nobody'),
      protocol: fc.constantFrom('', 'gemini', 'openai', 'anthropic'),
      key: fc.constantFrom('', 'key-one', 'env:abc123', 'sk-k\u2026-3', 'none'),
      q: fc.constantFrom('', 'chat', 'nope', 'example', 'flash', 'zzz'),
    });
    fc.assert(
      fc.property(filters, (chosen) => {
        const server: LogFilter = {};
        if (chosen.status) server.status = chosen.status;
        if (chosen.model) server.model = chosen.model;
        if (chosen.account) server.account = chosen.account;
        if (chosen.protocol) server.protocol = chosen.protocol;
        if (chosen.key) server.key = chosen.key;
        if (chosen.q) server.q = chosen.q;
        const expected = query.page(server, 500).rows.map((row) => row.id);
        const kept = stored.filter((row) => matchesFilters(row, chosen)).map((row) => row.id);
        expect(kept).toEqual(expected);
      }),
      { numRuns: 300 },
    );
    expect(stored.every((row) => matchesFilters(row, NO_FILTERS))).toBe(true);
    store.close();
  });
});

describe('the usage chart', () => {
  const counts = (requests: number, input = 0) => ({
    requests,
    errors: 0,
    tokens: { input, output: 0, thinking: 0, cached: 0 },
  });

  it('stacks the seven biggest groups by the chosen metric and sums the rest as others', () => {
    const buckets = ['2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z'];
    const groups = Array.from({ length: 9 }, (_, i) => `g${i}`);
    const report: UsageReport = {
      window: '7d',
      by: 'model',
      bucket: 'day',
      from: buckets[0]!,
      to: buckets[1]!,
      buckets,
      rows: groups.flatMap((group, i) => [
        { start: buckets[0]!, group, label: group, ...counts(i + 1, 100 - i) },
        { start: buckets[1]!, group, label: group, ...counts(1, 1) },
      ]),
      totals: groups.map((group, i) => ({ group, label: group, ...counts(i + 2, 101 - i) })),
    };
    const byRequests = usageSeries(report, 'requests', (g) => g.label ?? '?', 'others');
    expect(byRequests.map((series) => series.name)).toEqual([
      'g8',
      'g7',
      'g6',
      'g5',
      'g4',
      'g3',
      'g2',
      'others',
    ]);
    expect(byRequests.at(-1)!.data).toEqual([1 + 2, 2]);
    expect(byRequests[0]!.data).toEqual([9, 1]);
    const byTokens = usageSeries(report, 'tokens', (g) => g.label ?? '?', 'others');
    expect(byTokens[0]!.name).toBe('g0');
    const total = (list: typeof byTokens) => list.flatMap((series) => series.data).reduce((a, b) => a + b, 0);
    expect(total(byTokens)).toBe(report.rows.reduce((sum, row) => sum + row.tokens.input, 0));
    expect(total(byRequests)).toBe(report.rows.reduce((sum, row) => sum + row.requests, 0));
  });
});

describe('the Dashboard pool and family quota', () => {
  const NOW = Date.UTC(2026, 0, 1);
  const account = (over: Partial<DashboardAccount>): DashboardAccount => ({
    id: over.email ?? 'a',
    email: 'a@example.com',
    label: null,
    state: 'active',
    tier: 'pro',
    quota: { models: [], buckets: [] },
    cooldowns: [],
    ...over,
  });
  const known = (model: string, fraction: number) => ({
    model,
    status: 'known' as const,
    remainingFraction: fraction,
    percent: Math.floor(fraction * 100),
    resetAt: null,
  });
  const cooling = (model: string) => ({
    model,
    until: new Date(NOW + 60_000).toISOString(),
    reason: 'rate_limited',
  });

  it('puts each upstream model id in its family', () => {
    expect(
      [
        'gemini-3.1-pro-low',
        'gemini-pro-agent',
        'gemini-3-flash',
        'gemini-3.1-flash-lite',
        'gemini-3-flash-agent',
        'claude-opus-4-6-thinking',
        'gemini-3-pro-image',
        'gemini-3.1-flash-image',
        'gpt-oss-120b-medium',
        'tab_flash_lite_preview',
      ].map(familyOf),
    ).toEqual([
      'geminiPro',
      'geminiPro',
      'geminiFlash',
      'geminiFlash',
      'geminiFlash',
      'claude',
      'image',
      'image',
      null,
      null,
    ]);
  });

  it('averages known figures only, counts the unknown, and picks the best account that is not cooling', () => {
    const accounts = [
      account({
        email: 'a@example.com',
        quota: {
          models: [known('gemini-3-flash', 0.9), { model: 'gemini-3.1-flash-lite', status: 'unknown' }],
          buckets: [
            { id: 'f5', group: 'Gemini Flash', window: '5h', remainingFraction: 0.5, resetAt: null },
            { id: 'fw', group: 'Gemini Flash', window: 'weekly', remainingFraction: null, resetAt: null },
          ],
        },
        cooldowns: [cooling('gemini-3-flash')],
      }),
      account({ email: 'b@example.com', quota: { models: [known('gemini-3-flash', 0.5)], buckets: [] } }),
      account({
        email: 'c@example.com',
        state: 'disabled',
        quota: { models: [known('gemini-3-flash', 1)], buckets: [] },
      }),
      account({ email: 'd@example.com', state: 'forbidden' }),
      account({
        email: 'e@example.com',
        cooldowns: [
          { model: 'claude-sonnet-4-6', until: new Date(NOW - 1).toISOString(), reason: 'rate_limited' },
        ],
      }),
    ];
    const flash = familyQuotas(accounts, NOW).find((quota) => quota.family === 'geminiFlash')!;
    expect(flash.averagePercent).toBeCloseTo(70);
    expect(flash).toMatchObject({
      known: 2,
      unknown: 1,
      fiveHour: { percent: 50, accounts: 1 },
      weekly: null,
    });
    // a has more, but it is cooling for a Flash model; c has the most, but it is disabled.
    expect(flash.best?.account.email).toBe('b@example.com');
    expect(flash.best?.percent).toBe(50);
    const image = familyQuotas(accounts, NOW).find((quota) => quota.family === 'image')!;
    expect(image).toMatchObject({ averagePercent: null, known: 0, unknown: 0, best: null });

    // An ended cooldown is no cooldown: e is active again.
    expect(poolHealth(accounts, NOW)).toEqual({
      active: 2,
      cooling: 1,
      disabled: 1,
      needs_login: 0,
      forbidden: 1,
    });
  });
});
