import { describe, expect, it } from 'vitest';
import { AccountPool, sessionIdFor } from '../../src/pool/index.ts';
import { account, addAccounts, harness, MODEL, picked } from './helpers.ts';
import type { Harness } from './helpers.ts';

/**
 * Binds sessions while only `a` can serve, then makes `b` the better account: a session that is still
 * bound stays on `a`, a forgotten one is picked afresh and lands on `b`.
 */
function bindAllToA(h: Harness, keys: string[], step = 0): void {
  addAccounts(h.pool, ['a', 'b'], { a: 0.5, b: 0.9 });
  h.pool.upsert(account('b', { order: 1, enabled: false }));
  for (const key of keys) {
    expect(picked(h.pool.select({ model: MODEL, sessionKey: key }))).toBe('a');
    h.advance(step);
  }
  h.pool.upsert(account('b', { order: 1 }));
}

const at = (h: Harness, key: string): string => picked(h.pool.select({ model: MODEL, sessionKey: key }));

describe('session table', () => {
  it('is bounded: beyond stickyMaxEntries the least recently used session is forgotten', () => {
    const h = harness('sticky');
    h.settings.scheduling.stickyMaxEntries = 100;
    const keys = Array.from({ length: 100 }, (_, i) => `s${i}`);
    bindAllToA(h, keys);
    // Using s0 again makes s1 the least recently used one.
    expect(at(h, 's0')).toBe('a');
    h.pool.upsert(account('b', { order: 1, enabled: false }));
    expect(at(h, 's100')).toBe('a');
    h.pool.upsert(account('b', { order: 1 }));
    expect(at(h, 's0')).toBe('a');
    expect(at(h, 's2')).toBe('a');
    expect(at(h, 's1')).toBe('b');
  });

  it('forgets a session after stickyTtlSeconds without use, counted from its last use', () => {
    const h = harness('sticky');
    h.settings.scheduling.stickyTtlSeconds = 3_600;
    bindAllToA(h, ['s']);
    h.advance(3_599_000);
    expect(at(h, 's')).toBe('a');
    h.advance(3_599_000);
    expect(at(h, 's')).toBe('a');
    h.advance(3_600_000);
    expect(at(h, 's')).toBe('b');
  });

  it('keeps the same upstream sessionId for a key whatever account serves it', () => {
    const h = harness('sticky');
    h.settings.scheduling.stickyTtlSeconds = 60;
    bindAllToA(h, ['s']);
    const before = h.pool.select({ model: MODEL, sessionKey: 's' });
    h.advance(61_000);
    const after = h.pool.select({ model: MODEL, sessionKey: 's' });
    expect(picked(after)).not.toBe(picked(before));
    expect(after).toMatchObject({ sessionId: sessionIdFor('s') });
    expect(before).toMatchObject({ sessionId: sessionIdFor('s') });
  });
});

describe('sessionIdFor', () => {
  it('is "-" and a positive int63, stable across pools and restarts, distinct per key', () => {
    const id = sessionIdFor('conversation-42');
    expect(id).toMatch(/^-\d+$/);
    expect(BigInt(id.slice(1)) < 2n ** 63n).toBe(true);
    // Pinned: changing the derivation would move every running conversation off its prompt cache.
    expect(id).toBe('-5699573522950962171');
    expect(sessionIdFor('conversation-43')).not.toBe(id);
    const other = new AccountPool({
      settings: () => harness('round-robin').settings,
      now: () => 0,
    });
    other.upsert(account('z'));
    expect(other.select({ model: MODEL, sessionKey: 'conversation-42' })).toMatchObject({ sessionId: id });
  });

  it('gives requests without a session key a fresh id each time', () => {
    let n = 0;
    const h = harness('quota-first', { random: () => (n += 0.1) });
    addAccounts(h.pool, ['a']);
    const first = h.pool.select({ model: MODEL });
    const second = h.pool.select({ model: MODEL });
    expect(first).toMatchObject({ sessionId: expect.stringMatching(/^-\d+$/) });
    expect(second).not.toMatchObject({ sessionId: first.kind === 'account' ? first.sessionId : '' });
  });
});
