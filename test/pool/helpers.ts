import { defaultSettings } from '../../src/config/schema.ts';
import { AccountPool } from '../../src/pool/index.ts';
import type { AccountPoolOptions, PoolAccount, PoolSettings, Selection } from '../../src/pool/index.ts';

export const MODEL = 'gemini-3-flash';
export const OTHER_MODEL = 'claude-sonnet-4-6';
export const T0 = Date.parse('2026-11-25T12:00:00Z');

export interface Harness {
  pool: AccountPool;
  /** Mutable: the pool reads it through a getter, like live settings. */
  settings: PoolSettings;
  advance: (ms: number) => void;
  now: () => number;
  used: Array<{ accountId: string; at: number }>;
}

export function harness(
  mode: PoolSettings['scheduling']['mode'],
  options: Partial<Pick<AccountPoolOptions, 'random' | 'capacityBackoff'>> = {},
): Harness {
  const defaults = defaultSettings();
  const settings: PoolSettings = {
    scheduling: { ...defaults.scheduling, mode },
    quotaProtection: { ...defaults.quotaProtection },
  };
  let time = T0;
  const used: Harness['used'] = [];
  const pool = new AccountPool({
    settings: () => settings,
    now: () => time,
    onUsed: (accountId, at) => used.push({ accountId, at }),
    ...options,
  });
  return { pool, settings, advance: (ms) => (time += ms), now: () => time, used };
}

/** Accounts a, b, c, … in that order, enabled and ok; `quotas` sets MODEL's fraction per id. */
export function addAccounts(
  pool: AccountPool,
  ids: string[],
  quotas: Record<string, number | 'unknown'> = {},
  overrides: Partial<PoolAccount> = {},
): void {
  ids.forEach((id, order) => {
    pool.upsert(account(id, { order, ...overrides }));
    const quota = quotas[id] ?? 1;
    pool.setModelQuota(id, MODEL, quota === 'unknown' ? 'unknown' : { remainingFraction: quota });
  });
}

export function account(id: string, overrides: Partial<PoolAccount> = {}): PoolAccount {
  return {
    id,
    email: `${id}@example.com`,
    enabled: true,
    status: 'ok',
    isCurrent: false,
    order: 0,
    lastUsedAt: null,
    ...overrides,
  };
}

/** The account id of a selection, failing the test when there is none. */
export function picked(selection: Selection): string {
  if (selection.kind !== 'account') throw new Error(`expected an account, got ${JSON.stringify(selection)}`);
  return selection.accountId;
}

export function pickMany(
  pool: AccountPool,
  count: number,
  request: { model?: string; sessionKey?: string } = {},
): string[] {
  return Array.from({ length: count }, () => picked(pool.select({ model: MODEL, ...request })));
}

export function tally(ids: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const id of ids) counts[id] = (counts[id] ?? 0) + 1;
  return counts;
}
