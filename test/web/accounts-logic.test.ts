import { describe, expect, it } from 'vitest';
import { EMPTY_FILTER, filterAccounts, tiersOf } from '../../web/src/pages/accounts/filters.ts';
import { planImport } from '../../web/src/pages/accounts/import-text.ts';
import { familyOf, groupByFamily } from '../../web/src/pages/accounts/model-families.ts';
import type { AccountView, ModelQuotaView } from '../../web/src/pages/accounts/types.ts';

/** The Accounts page's pure parts: model families, the import reader and the filters. */
describe('accounts page logic', () => {
  const quota = (model: string, percent: number | null): ModelQuotaView =>
    percent === null
      ? { model, displayName: null, status: 'unknown', fetchedAt: null, stale: false }
      : {
          model,
          displayName: null,
          status: 'known',
          remainingFraction: percent / 100,
          percent,
          resetAt: null,
          fetchedAt: null,
          stale: false,
        };

  it('groups models by family, image models apart, the lowest known figure first to run out', () => {
    expect(
      [
        'gemini-3.1-pro-low',
        'gemini-3-flash',
        'gemini-3-flash-image',
        'claude-sonnet-4-6',
        'gpt-oss-120b',
      ].map(familyOf),
    ).toEqual(['geminiPro', 'geminiFlash', 'image', 'claude', 'other']);
    const groups = groupByFamily([
      quota('claude-opus-4-6-thinking', 5),
      quota('claude-sonnet-4-6', null),
      quota('gemini-3-flash', 80),
      quota('gemini-3.1-flash-lite', null),
    ]);
    expect(groups.map((group) => [group.family, group.lowestPercent, group.unknownCount])).toEqual([
      ['geminiFlash', 80, 1],
      ['claude', 5, 1],
    ]);
    expect(groupByFamily([quota('claude-sonnet-4-6', null)])[0]?.lowestPercent).toBeNull();
  });

  it('reads pasted lines, JSON documents and several files into one import body', () => {
    expect(
      planImport([{ name: 'pasted', text: ' 1//0aaaaaaaaaaaaaaaa \n\n1//0bbbbbbbbbbbbbbbb\n' }]),
    ).toEqual({
      ok: true,
      body: { refreshTokens: ['1//0aaaaaaaaaaaaaaaa', '1//0bbbbbbbbbbbbbbbb'] },
      labels: ['1//0\u2026aaaa', '1//0\u2026bbbb'],
    });
    const exportFile = {
      format: 'better-manager.accounts',
      accounts: [{ email: 'a@x.com', refreshToken: 'tok' }],
    };
    const single = planImport([{ name: 'export.json', text: JSON.stringify(exportFile) }]);
    expect(single).toEqual({ ok: true, body: exportFile, labels: ['a@x.com'] });
    const manager = { email: 'b@x.com', token: { refresh_token: '1//0cccccccccccccccc' } };
    const merged = planImport([
      { name: 'pasted', text: '1//0dddddddddddddddd' },
      { name: 'b.json', text: JSON.stringify(manager) },
    ]);
    expect(merged).toEqual({
      ok: true,
      body: { accounts: ['1//0dddddddddddddddd', manager] },
      labels: ['1//0\u2026dddd', 'b@x.com'],
    });
    expect(planImport([{ name: 'pasted', text: '   ' }])).toEqual({ ok: false, problem: 'empty' });
    const broken = planImport([{ name: 'bad.json', text: '{"accounts": [' }]);
    expect(broken).toMatchObject({ ok: false, problem: 'badJson', source: 'bad.json' });
  });

  it('filters by search, state (cooling from cooldowns still in force) and tier', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const account = (fields: Partial<AccountView>): AccountView =>
      ({
        id: fields.email,
        label: null,
        displayName: null,
        tier: null,
        tierName: null,
        state: 'active',
        cooldowns: [],
        ...fields,
      }) as AccountView;
    const list = [
      account({ email: 'a@x.com', label: 'work', tier: 'pro', tierName: 'Google AI Pro' }),
      account({
        email: 'b@x.com',
        tier: 'free',
        cooldowns: [{ model: 'm', until: '2026-01-01T00:05:00Z', reason: 'rate_limited' }],
      }),
      account({
        email: 'c@x.com',
        state: 'disabled',
        cooldowns: [{ model: 'm', until: '2025-12-31T23:59:00Z', reason: 'rate_limited' }],
      }),
    ];
    const emails = (filter: Partial<typeof EMPTY_FILTER>) =>
      filterAccounts(list, { ...EMPTY_FILTER, ...filter }, now).map((item) => item.email);
    expect(emails({ search: 'WORK' })).toEqual(['a@x.com']);
    expect(emails({ search: 'ai pro' })).toEqual(['a@x.com']);
    expect(emails({ state: 'cooling' })).toEqual(['b@x.com']);
    expect(emails({ state: 'disabled' })).toEqual(['c@x.com']);
    expect(emails({ tier: 'none' })).toEqual(['c@x.com']);
    expect(emails({ tier: 'free', search: 'b@' })).toEqual(['b@x.com']);
    expect(tiersOf(list)).toEqual(['free', 'pro', 'none']);
  });
});
