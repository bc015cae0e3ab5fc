import { describe, expect, it } from 'vitest';
import { account, addAccounts, harness, MODEL, picked } from './helpers.ts';

describe('nothing eligible', () => {
  it('answers 429 with the time to the earliest cooldown end, naming the model', () => {
    const { pool, advance } = harness('sticky');
    addAccounts(pool, ['a', 'b', 'c']);
    pool.reportFailure('a', MODEL, 'quota_exhausted', 40_000);
    pool.reportFailure('b', MODEL, 'rate_limited', 15_000);
    pool.reportFailure('c', MODEL, 'rate_limited', 25_000);
    const answer = pool.select({ model: MODEL, sessionKey: 's' });
    expect(answer).toMatchObject({ kind: 'unavailable', status: 429, retryAfterMs: 15_000 });
    if (answer.kind !== 'unavailable') throw new Error('unreachable');
    expect(answer.reason).toContain(`"${MODEL}"`);
    expect(answer.reason).toContain('3 accounts are cooling down (1 quota exhausted, 2 rate limited)');
    expect(answer.reason).toContain('15 s');
    advance(5_000);
    expect(pool.select({ model: MODEL })).toMatchObject({ status: 429, retryAfterMs: 10_000 });
  });

  it('answers 429, not 503, when the only usable accounts cool down and the rest are unusable', () => {
    const { pool } = harness('quota-first');
    addAccounts(pool, ['a', 'b']);
    pool.upsert(account('a', { order: 0, enabled: false }));
    pool.reportFailure('b', MODEL, 'rate_limited', 9_000);
    expect(pool.select({ model: MODEL })).toMatchObject({ status: 429, retryAfterMs: 9_000 });
  });

  it('answers 503 when every account is disabled, needs login or is forbidden', () => {
    const { pool } = harness('sticky');
    pool.upsert(account('a', { order: 0, enabled: false }));
    pool.upsert(account('b', { order: 1, status: 'needs_login' }));
    pool.upsert(account('c', { order: 2, status: 'forbidden' }));
    pool.upsert(account('d', { order: 3, status: 'forbidden' }));
    const answer = pool.select({ model: MODEL, sessionKey: 's' });
    expect(answer).toEqual({
      kind: 'unavailable',
      status: 503,
      reason: `No account can serve model "${MODEL}": 4 accounts, 1 disabled, 1 needs login, 2 forbidden.`,
    });
  });

  it('answers 503 when no account offers the model, or the pool is empty', () => {
    const { pool } = harness('quota-first');
    expect(pool.select({ model: MODEL })).toMatchObject({
      status: 503,
      reason: `No account can serve model "${MODEL}": the pool is empty.`,
    });
    pool.upsert(account('a', { models: new Set(['x']) }));
    expect(pool.select({ model: MODEL })).toMatchObject({ status: 503 });
    expect(pool.select({ model: MODEL })).toMatchObject({
      reason: expect.stringContaining('does not offer'),
    });
    expect(picked(pool.select({ model: 'x' }))).toBe('a');
  });

  it('does not let a cooldown on a disabled account turn a 503 into a 429', () => {
    const { pool } = harness('quota-first');
    addAccounts(pool, ['a']);
    pool.reportFailure('a', MODEL, 'rate_limited');
    pool.upsert(account('a', { enabled: false }));
    expect(pool.select({ model: MODEL })).toMatchObject({ status: 503 });
  });
});

describe('exclude', () => {
  it('never returns an account already tried for this request', () => {
    const { pool } = harness('quota-first');
    addAccounts(pool, ['a', 'b', 'c'], { a: 0.9, b: 0.7, c: 0.5 });
    expect(picked(pool.select({ model: MODEL, exclude: new Set(['a']) }))).toBe('b');
    expect(picked(pool.select({ model: MODEL, exclude: new Set(['a', 'b']) }))).toBe('c');
  });

  it('answers 503 when every account was tried, 429 when the untried ones cool down', () => {
    const { pool } = harness('round-robin');
    addAccounts(pool, ['a', 'b']);
    expect(pool.select({ model: MODEL, exclude: new Set(['a', 'b']) })).toMatchObject({
      status: 503,
      reason: expect.stringContaining('2 already tried for this request'),
    });
    pool.reportFailure('b', MODEL, 'rate_limited', 4_000);
    expect(pool.select({ model: MODEL, exclude: new Set(['a']) })).toMatchObject({
      status: 429,
      retryAfterMs: 4_000,
    });
  });

  it('moves a sticky session off a tried account instead of waiting for it', () => {
    const { pool } = harness('sticky');
    addAccounts(pool, ['a', 'b']);
    const bound = picked(pool.select({ model: MODEL, sessionKey: 's' }));
    pool.reportFailure(bound, MODEL, 'rate_limited', 2_000);
    const next = pool.select({ model: MODEL, sessionKey: 's', exclude: new Set([bound]) });
    expect(picked(next)).not.toBe(bound);
    expect(next).not.toHaveProperty('waitMs');
  });

  it('skips a tried current account and a tried account in the rotation', () => {
    const { pool } = harness('current-first');
    addAccounts(pool, ['a', 'b'], { a: 0.9, b: 0.5 });
    pool.upsert(account('b', { order: 1, isCurrent: true }));
    expect(picked(pool.select({ model: MODEL }))).toBe('b');
    expect(picked(pool.select({ model: MODEL, exclude: new Set(['b']) }))).toBe('a');
  });
});
