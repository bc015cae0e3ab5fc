import { describe, expect, it } from 'vitest';
import { account, addAccounts, harness, MODEL, pickMany, picked, tally } from './helpers.ts';

describe('quota protection', () => {
  it('leaves out an account at or below the threshold while others are above it', () => {
    const { pool } = harness('round-robin');
    addAccounts(pool, ['a', 'b', 'c'], { a: 0.05, b: 0.5, c: 0.1 });
    expect(tally(pickMany(pool, 6))).toEqual({ b: 6 });
  });

  it('moves a sticky session off an account whose quota dropped below the threshold', () => {
    const { pool } = harness('sticky');
    addAccounts(pool, ['a', 'b'], { a: 0.9, b: 0.5 });
    expect(pickMany(pool, 2, { sessionKey: 's' })).toEqual(['a', 'a']);
    pool.setModelQuota('a', MODEL, { remainingFraction: 0.08 });
    expect(pickMany(pool, 2, { sessionKey: 's' })).toEqual(['b', 'b']);
  });

  it('keeps every account usable when all are at or below the threshold', () => {
    const { pool } = harness('round-robin');
    addAccounts(pool, ['a', 'b'], { a: 0.05, b: 0.08 });
    expect(tally(pickMany(pool, 4))).toEqual({ a: 2, b: 2 });
  });

  it('keeps a sticky session on its low account when no account is above the threshold', () => {
    const { pool } = harness('sticky');
    addAccounts(pool, ['a', 'b'], { a: 0.09, b: 0.02 });
    expect(pickMany(pool, 3, { sessionKey: 's' })).toEqual(['a', 'a', 'a']);
  });

  it('judges "all below" among otherwise-eligible accounts only: a cooling one above does not count', () => {
    const { pool } = harness('quota-first');
    addAccounts(pool, ['a', 'b'], { a: 0.05, b: 0.9 });
    pool.reportFailure('b', MODEL, 'rate_limited');
    expect(pickMany(pool, 1)).toEqual(['a']);
  });

  it('never fails an unknown quota, and never ranks it as full', () => {
    const { pool } = harness('round-robin');
    addAccounts(pool, ['a', 'b'], { a: 0.05, b: 'unknown' });
    // Unknown passes protection, so the known-low account stays out.
    expect(tally(pickMany(pool, 4))).toEqual({ b: 4 });
    pool.setModelQuota('a', MODEL, { remainingFraction: 0.5 });
    expect(tally(pickMany(pool, 4))).toEqual({ a: 2, b: 2 });
    // Known 50 % ranks ahead of unknown in quota-first.
    const { pool: ranked } = harness('quota-first');
    addAccounts(ranked, ['a', 'b'], { a: 0.5, b: 'unknown' });
    expect(pickMany(ranked, 2)).toEqual(['a', 'a']);
  });

  it('follows live changes of the switch and the threshold', () => {
    const { pool, settings } = harness('round-robin');
    addAccounts(pool, ['a', 'b'], { a: 0.05, b: 0.5 });
    expect(tally(pickMany(pool, 2))).toEqual({ b: 2 });
    settings.quotaProtection.enabled = false;
    expect(tally(pickMany(pool, 2))).toEqual({ a: 1, b: 1 });
    settings.quotaProtection = { enabled: true, thresholdPercent: 60 };
    expect(tally(pickMany(pool, 2))).toEqual({ a: 1, b: 1 });
    settings.quotaProtection.thresholdPercent = 1;
    expect(tally(pickMany(pool, 2))).toEqual({ a: 1, b: 1 });
  });

  it('lets current-first leave the current account when it is low and another is not', () => {
    const { pool } = harness('current-first');
    addAccounts(pool, ['a', 'b'], { a: 0.6, b: 0.05 });
    pool.upsert(account('b', { order: 1, isCurrent: true }));
    expect(picked(pool.select({ model: MODEL }))).toBe('a');
  });
});
