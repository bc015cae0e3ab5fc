import { describe, expect, it } from 'vitest';
import { sessionIdFor } from '../../src/pool/index.ts';
import { account, addAccounts, harness, MODEL, pickMany, picked, tally } from './helpers.ts';

describe('sticky', () => {
  it('keeps the account and the upstream sessionId of a session for 20 requests', () => {
    const { pool } = harness('sticky');
    addAccounts(pool, ['a', 'b', 'c', 'd']);
    const selections = Array.from({ length: 20 }, () => pool.select({ model: MODEL, sessionKey: 'conv-1' }));
    const first = selections[0]!;
    expect(first.kind).toBe('account');
    for (const selection of selections) expect(selection).toEqual(first);
    expect(first).toMatchObject({ sessionId: sessionIdFor('conv-1') });
    // A second conversation starts on the least recently used account, so sessions spread out.
    expect(picked(pool.select({ model: MODEL, sessionKey: 'conv-2' }))).not.toBe(picked(first));
  });

  it('without a session key picks like quota-first', () => {
    const { pool } = harness('sticky');
    addAccounts(pool, ['a', 'b', 'c'], { a: 0.4, b: 0.9, c: 0.6 });
    expect(pickMany(pool, 3)).toEqual(['b', 'b', 'b']);
  });

  it('waits for a short cooldown of the session account instead of switching', () => {
    const { pool, advance } = harness('sticky');
    addAccounts(pool, ['a', 'b']);
    const first = pool.select({ model: MODEL, sessionKey: 's' });
    const bound = picked(first);
    pool.reportFailure(bound, MODEL, 'rate_limited', 5_000);
    advance(1_000);
    const second = pool.select({ model: MODEL, sessionKey: 's' });
    expect(second).toEqual({
      kind: 'account',
      accountId: bound,
      sessionId: sessionIdFor('s'),
      waitMs: 4_000,
    });
  });

  it('treats a cooldown of exactly maxWaitSeconds as short', () => {
    const { pool, settings } = harness('sticky');
    settings.scheduling.maxWaitSeconds = 10;
    addAccounts(pool, ['a', 'b']);
    const bound = picked(pool.select({ model: MODEL, sessionKey: 's' }));
    pool.reportFailure(bound, MODEL, 'rate_limited', 10_000);
    expect(pool.select({ model: MODEL, sessionKey: 's' })).toMatchObject({
      accountId: bound,
      waitMs: 10_000,
    });
  });

  it('moves and re-binds the session when the cooldown is longer than maxWaitSeconds', () => {
    const { pool, advance } = harness('sticky');
    addAccounts(pool, ['a', 'b']);
    const bound = picked(pool.select({ model: MODEL, sessionKey: 's' }));
    pool.reportFailure(bound, MODEL, 'rate_limited', 31_000);
    const moved = pool.select({ model: MODEL, sessionKey: 's' });
    expect(moved.kind).toBe('account');
    expect(picked(moved)).not.toBe(bound);
    expect(moved).not.toHaveProperty('waitMs');
    expect(moved).toMatchObject({ sessionId: sessionIdFor('s') });
    // Re-bound: after the old account is free again the session stays where its cache now is.
    advance(40_000);
    expect(pickMany(pool, 5, { sessionKey: 's' })).toEqual(Array(5).fill(picked(moved)));
  });

  it('moves when the session account is disabled, and keeps the new one when it comes back', () => {
    const { pool } = harness('sticky');
    addAccounts(pool, ['a', 'b']);
    expect(picked(pool.select({ model: MODEL, sessionKey: 's' }))).toBe('a');
    pool.upsert(account('a', { order: 0, enabled: false }));
    expect(picked(pool.select({ model: MODEL, sessionKey: 's' }))).toBe('b');
    pool.upsert(account('a', { order: 0 }));
    expect(picked(pool.select({ model: MODEL, sessionKey: 's' }))).toBe('b');
  });
});

describe('balance', () => {
  it('keeps a session on its account like sticky', () => {
    const { pool } = harness('balance');
    addAccounts(pool, ['a', 'b', 'c']);
    const ids = pickMany(pool, 20, { sessionKey: 's' });
    expect(new Set(ids).size).toBe(1);
  });

  it('switches at once on any limit, even a short one, and re-binds', () => {
    const { pool, advance } = harness('balance');
    addAccounts(pool, ['a', 'b']);
    const bound = picked(pool.select({ model: MODEL, sessionKey: 's' }));
    pool.reportFailure(bound, MODEL, 'rate_limited', 1_000);
    const moved = pool.select({ model: MODEL, sessionKey: 's' });
    expect(picked(moved)).not.toBe(bound);
    expect(moved).not.toHaveProperty('waitMs');
    advance(2_000);
    expect(picked(pool.select({ model: MODEL, sessionKey: 's' }))).toBe(picked(moved));
  });

  it('without a session key picks like quota-first', () => {
    const { pool } = harness('balance');
    addAccounts(pool, ['a', 'b', 'c'], { a: 0.4, b: 0.9, c: 0.6 });
    expect(pickMany(pool, 3)).toEqual(['b', 'b', 'b']);
  });
});

describe('round-robin', () => {
  it('spreads 20 requests over 4 accounts evenly, whatever their quota and session', () => {
    const { pool } = harness('round-robin');
    addAccounts(pool, ['a', 'b', 'c', 'd'], { a: 1, b: 0.5, c: 0.3, d: 0.2 });
    const ids = pickMany(pool, 20, { sessionKey: 'same-session' });
    expect(tally(ids)).toEqual({ a: 5, b: 5, c: 5, d: 5 });
    expect(ids.slice(0, 8)).toEqual(['a', 'b', 'c', 'd', 'a', 'b', 'c', 'd']);
  });

  it('skips an account that cools down and continues the rotation', () => {
    const { pool } = harness('round-robin');
    addAccounts(pool, ['a', 'b', 'c']);
    pool.reportFailure('b', MODEL, 'rate_limited');
    expect(pickMany(pool, 4)).toEqual(['a', 'c', 'a', 'c']);
  });
});

describe('quota-first', () => {
  it('takes the account with the most remaining quota for the model', () => {
    const { pool } = harness('quota-first');
    addAccounts(pool, ['a', 'b', 'c'], { a: 0.3, b: 0.9, c: 0.6 });
    expect(pickMany(pool, 3)).toEqual(['b', 'b', 'b']);
    pool.setModelQuota('c', MODEL, { remainingFraction: 0.95 });
    expect(pickMany(pool, 1)).toEqual(['c']);
  });

  it('breaks ties by least recently used', () => {
    const { pool, advance } = harness('quota-first');
    addAccounts(pool, ['a', 'b', 'c'], { a: 0.3, b: 0.8, c: 0.8 });
    pool.upsert(account('b', { order: 1, lastUsedAt: 5 }));
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      ids.push(picked(pool.select({ model: MODEL })));
      advance(1);
    }
    expect(ids).toEqual(['c', 'b', 'c', 'b']);
  });

  it('ranks an unknown quota after every known one', () => {
    const { pool } = harness('quota-first');
    addAccounts(pool, ['a', 'b'], { a: 'unknown', b: 0.2 });
    expect(pickMany(pool, 3)).toEqual(['b', 'b', 'b']);
  });

  it('uses each model’s own quota', () => {
    const { pool } = harness('quota-first');
    addAccounts(pool, ['a', 'b'], { a: 0.9, b: 0.5 });
    pool.setModelQuota('a', 'other-model', { remainingFraction: 0.2 });
    pool.setModelQuota('b', 'other-model', { remainingFraction: 0.7 });
    expect(pickMany(pool, 1)).toEqual(['a']);
    expect(picked(pool.select({ model: 'other-model' }))).toBe('b');
  });
});

describe('current-first', () => {
  it('uses the current account while it is eligible, then falls back to quota-first', () => {
    const { pool } = harness('current-first');
    addAccounts(pool, ['a', 'b', 'c'], { a: 0.9, b: 0.5, c: 0.4 });
    pool.upsert(account('c', { order: 2, isCurrent: true }));
    expect(pickMany(pool, 3)).toEqual(['c', 'c', 'c']);
    pool.reportFailure('c', MODEL, 'rate_limited');
    expect(pickMany(pool, 2)).toEqual(['a', 'a']);
    pool.upsert(account('c', { order: 2, isCurrent: false }));
    pool.upsert(account('b', { order: 1, isCurrent: true }));
    expect(pickMany(pool, 1)).toEqual(['b']);
  });

  it('without a current account picks like quota-first', () => {
    const { pool } = harness('current-first');
    addAccounts(pool, ['a', 'b'], { a: 0.4, b: 0.6 });
    expect(pickMany(pool, 2)).toEqual(['b', 'b']);
  });
});

describe('live settings and bookkeeping', () => {
  it('applies a mode change on the next select', () => {
    const { pool, settings } = harness('quota-first');
    addAccounts(pool, ['a', 'b'], { a: 0.9, b: 0.5 });
    expect(pickMany(pool, 2)).toEqual(['a', 'a']);
    settings.scheduling.mode = 'round-robin';
    expect(new Set(pickMany(pool, 2))).toEqual(new Set(['a', 'b']));
  });

  it('marks the chosen account used, reports it, and ignores an older lastUsedAt from the store', () => {
    const { pool, now, used, advance } = harness('quota-first');
    addAccounts(pool, ['a', 'b']);
    pool.upsert(account('b', { order: 1, lastUsedAt: now() }));
    advance(10);
    expect(picked(pool.select({ model: MODEL }))).toBe('a');
    expect(used).toEqual([{ accountId: 'a', at: now() }]);
    // The store's copy has not seen that use yet; the pool must still rank `a` as recently used.
    pool.upsert(account('a', { order: 0, lastUsedAt: 1 }));
    expect(picked(pool.select({ model: MODEL }))).toBe('b');
  });

  it('serves a model only from accounts that offer it, once their model list is known', () => {
    const { pool } = harness('quota-first');
    pool.upsert(account('a', { order: 0, models: new Set(['x']) }));
    pool.upsert(account('b', { order: 1 }));
    pool.setModelQuota('a', MODEL, { remainingFraction: 1 });
    pool.setModelQuota('b', MODEL, { remainingFraction: 0.5 });
    expect(pickMany(pool, 2)).toEqual(['b', 'b']);
    pool.upsert(account('a', { order: 0, models: new Set(['x', MODEL]) }));
    expect(pickMany(pool, 1)).toEqual(['a']);
    pool.remove('a');
    expect(pickMany(pool, 1)).toEqual(['b']);
  });

  it('keeps the rotation in step with accounts added, reordered and removed after the first select', () => {
    const { pool } = harness('round-robin');
    addAccounts(pool, ['a', 'c']);
    expect(pickMany(pool, 2)).toEqual(['a', 'c']);
    pool.upsert(account('b', { order: 1 }));
    pool.upsert(account('c', { order: 2 }));
    expect(pickMany(pool, 3)).toEqual(['a', 'b', 'c']);
    // Moved behind c, so it comes next; then the rotation goes on in the new order.
    pool.upsert(account('a', { order: 3 }));
    expect(pickMany(pool, 4)).toEqual(['a', 'b', 'c', 'a']);
    pool.remove('b');
    expect(pickMany(pool, 3)).toEqual(['c', 'a', 'c']);
  });

  it('counts eligible accounts for the retry budget', () => {
    const { pool } = harness('sticky');
    addAccounts(pool, ['a', 'b', 'c', 'd'], { a: 0.05 });
    pool.upsert(account('d', { order: 3, status: 'forbidden' }));
    pool.reportFailure('c', MODEL, 'rate_limited');
    expect(pool.countEligible(MODEL)).toBe(1);
    expect(pool.countEligible(MODEL, 5)).toBe(1);
    pool.setModelQuota('a', MODEL, { remainingFraction: 0.5 });
    expect(pool.countEligible(MODEL, 1)).toBe(1);
    expect(pool.countEligible(MODEL)).toBe(2);
  });
});
