import { describe, expect, it } from 'vitest';
import {
  capacityBackoffMs,
  NOT_FOUND_COOLDOWN_MS,
  QUOTA_COOLDOWN_LADDER_MS,
  RATE_LIMIT_COOLDOWN_MS,
} from '../../src/pool/index.ts';
import { addAccounts, harness, MODEL, OTHER_MODEL, pickMany, picked } from './helpers.ts';

describe('cooldown length', () => {
  it('uses 30 s for a rate limit without a hint', () => {
    const { pool, now } = harness('quota-first');
    addAccounts(pool, ['a']);
    const until = pool.reportFailure('a', MODEL, 'rate_limited');
    expect(until).toBe(now() + 30_000);
    expect(RATE_LIMIT_COOLDOWN_MS).toBe(30_000);
    expect(pool.cooldowns()).toEqual([{ accountId: 'a', model: MODEL, until, reason: 'rate_limited' }]);
  });

  it('takes the upstream hint over the default, for rate limits and quota alike', () => {
    const { pool, now } = harness('quota-first');
    addAccounts(pool, ['a']);
    expect(pool.reportFailure('a', MODEL, 'rate_limited', 7_000)).toBe(now() + 7_000);
    expect(pool.reportFailure('a', OTHER_MODEL, 'quota_exhausted', 3 * 3_600_000)).toBe(
      now() + 3 * 3_600_000,
    );
  });

  it('blocks the account for that model until the end, and serves again from then on', () => {
    const { pool, advance } = harness('quota-first');
    addAccounts(pool, ['a']);
    // Reported before the model was ever selected, and after: both must be seen by `select`.
    pool.reportFailure('a', MODEL, 'rate_limited', 7_000);
    advance(6_999);
    expect(pool.isCooling('a', MODEL)).toBe(true);
    expect(pool.select({ model: MODEL }).kind).toBe('unavailable');
    advance(1);
    expect(pool.isCooling('a', MODEL)).toBe(false);
    expect(pickMany(pool, 1)).toEqual(['a']);
    pool.reportFailure('a', MODEL, 'rate_limited', 500);
    expect(pool.select({ model: MODEL }).kind).toBe('unavailable');
    advance(500);
    expect(pickMany(pool, 1)).toEqual(['a']);
    expect(pool.cooldowns()).toEqual([]);
  });

  it('cools only the model that hit the limit: the account still serves other models', () => {
    const { pool } = harness('quota-first');
    addAccounts(pool, ['a']);
    pool.reportFailure('a', MODEL, 'quota_exhausted');
    expect(pool.isCooling('a', OTHER_MODEL)).toBe(false);
    expect(picked(pool.select({ model: OTHER_MODEL }))).toBe('a');
    expect(pool.select({ model: MODEL })).toMatchObject({ kind: 'unavailable', status: 429 });
  });

  it('escalates quota exhaustion 1 min, 5 min, 30 min, 2 h, and starts again after a success', () => {
    const { pool, advance, now } = harness('quota-first');
    addAccounts(pool, ['a']);
    const lengths: number[] = [];
    for (let i = 0; i < 5; i++) {
      const until = pool.reportFailure('a', MODEL, 'quota_exhausted');
      lengths.push(until - now());
      advance(until - now());
    }
    expect(lengths).toEqual([60_000, 300_000, 1_800_000, 7_200_000, 7_200_000]);
    expect(QUOTA_COOLDOWN_LADDER_MS).toEqual(lengths.slice(0, 4));
    pool.reportSuccess('a', MODEL);
    expect(pool.reportFailure('a', MODEL, 'quota_exhausted') - now()).toBe(60_000);
  });

  it('keeps climbing the ladder while a hint sets the length', () => {
    const { pool, advance, now } = harness('quota-first');
    addAccounts(pool, ['a']);
    advance(pool.reportFailure('a', MODEL, 'quota_exhausted', 10_000) - now());
    expect(pool.reportFailure('a', MODEL, 'quota_exhausted') - now()).toBe(300_000);
  });

  it('counts concurrent 429s for one account and model inside 2 s once', () => {
    const { pool, advance, now } = harness('quota-first');
    addAccounts(pool, ['a', 'b']);
    const first = pool.reportFailure('a', MODEL, 'quota_exhausted');
    advance(1_999);
    expect(pool.reportFailure('a', MODEL, 'quota_exhausted')).toBe(first);
    expect(pool.reportFailure('a', MODEL, 'rate_limited')).toBe(first);
    // Another account is not a duplicate.
    expect(pool.reportFailure('b', MODEL, 'quota_exhausted') - now()).toBe(60_000);
    // The ladder moved one rung only: the next exhaustion after the cooldown is the second rung.
    advance(first - now());
    expect(pool.reportFailure('a', MODEL, 'quota_exhausted') - now()).toBe(300_000);
  });

  it('counts a 429 again from 2 s after the last counted one', () => {
    const { pool, advance, now } = harness('quota-first');
    addAccounts(pool, ['a']);
    pool.reportFailure('a', MODEL, 'quota_exhausted');
    advance(2_000);
    expect(pool.reportFailure('a', MODEL, 'quota_exhausted') - now()).toBe(300_000);
  });

  it('counts a quota exhaustion that follows a rate limit inside the window (new information)', () => {
    const { pool, advance, now } = harness('quota-first');
    addAccounts(pool, ['a']);
    pool.reportFailure('a', MODEL, 'rate_limited');
    advance(500);
    expect(pool.reportFailure('a', MODEL, 'quota_exhausted') - now()).toBe(60_000);
    expect(pool.cooldowns()[0]).toMatchObject({ reason: 'quota_exhausted' });
  });

  it('never shortens a cooldown in force with a later, shorter report', () => {
    const { pool, advance } = harness('quota-first');
    addAccounts(pool, ['a']);
    const long = pool.reportFailure('a', MODEL, 'quota_exhausted', 3_600_000);
    advance(10_000);
    expect(pool.reportFailure('a', MODEL, 'rate_limited', 1_000)).toBe(long);
    expect(pool.cooldowns()).toEqual([
      { accountId: 'a', model: MODEL, until: long, reason: 'quota_exhausted' },
    ]);
  });

  it('cools a model the account does not serve (404) for 10 minutes, credits like quota', () => {
    const { pool, now } = harness('quota-first');
    addAccounts(pool, ['a']);
    expect(pool.reportFailure('a', MODEL, 'not_found') - now()).toBe(NOT_FOUND_COOLDOWN_MS);
    expect(pool.reportFailure('a', OTHER_MODEL, 'credits_exhausted') - now()).toBe(60_000);
  });

  it('lists active cooldowns soonest first and ignores reports for unknown accounts', () => {
    const { pool, advance, now } = harness('quota-first');
    addAccounts(pool, ['a', 'b']);
    pool.reportFailure('a', MODEL, 'rate_limited', 20_000);
    pool.reportFailure('b', MODEL, 'rate_limited', 10_000);
    pool.reportFailure('a', OTHER_MODEL, 'rate_limited', 15_000);
    expect(pool.reportFailure('ghost', MODEL, 'rate_limited')).toBe(0);
    expect(pool.cooldowns().map((c) => [c.accountId, c.model, c.until - now()])).toEqual([
      ['b', MODEL, 10_000],
      ['a', OTHER_MODEL, 15_000],
      ['a', MODEL, 20_000],
    ]);
    advance(15_000);
    expect(pool.cooldowns().map((c) => c.accountId)).toEqual(['a']);
    pool.remove('a');
    expect(pool.cooldowns()).toEqual([]);
  });
});

describe('capacity backoff', () => {
  it('follows 1 s, 2 s, 4 s, 8 s, then stays at the 10 s cap, without cooling the account', () => {
    const { pool } = harness('quota-first', { random: () => 0.5 });
    addAccounts(pool, ['a']);
    expect([1, 2, 3, 4, 5, 9].map((attempt) => pool.capacityBackoffMs(attempt))).toEqual([
      1_000, 2_000, 4_000, 8_000, 10_000, 10_000,
    ]);
    expect(pool.cooldowns()).toEqual([]);
    expect(picked(pool.select({ model: MODEL }))).toBe('a');
  });

  it('spreads each step by ±20 % with the injected random source, never above the cap', () => {
    expect(capacityBackoffMs(1, () => 0)).toBe(800);
    expect(capacityBackoffMs(1, () => 0.999_999)).toBe(1_200);
    expect(capacityBackoffMs(3, () => 0.25)).toBe(3_600);
    expect(capacityBackoffMs(5, () => 0)).toBe(8_000);
    expect(capacityBackoffMs(5, () => 0.999_999)).toBe(10_000);
  });

  it('takes the ladder as an option and doubles past its end', () => {
    const { pool } = harness('quota-first', {
      random: () => 0.5,
      capacityBackoff: { ladderMs: [10, 20], capMs: 50 },
    });
    expect([1, 2, 3, 4].map((attempt) => pool.capacityBackoffMs(attempt))).toEqual([10, 20, 40, 50]);
  });
});
