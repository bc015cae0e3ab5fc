import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../src/config/schema.ts';
import { AccountPool, DEDUPE_WINDOW_MS } from '../../src/pool/index.ts';
import { addAccounts, MODEL, OTHER_MODEL, T0 } from './helpers.ts';

type Call = [accountId: string, model: string, until: number | null, reason: string | null];

function poolWithListener() {
  let time = T0;
  const calls: Call[] = [];
  const settings = defaultSettings();
  const pool = new AccountPool({
    settings: () => settings,
    now: () => time,
    onCooldown: (...call) => calls.push(call),
  });
  return { pool, calls, advance: (ms: number) => (time += ms), now: () => time };
}

describe('onCooldown', () => {
  it('tells when a cooldown starts and when a later report makes it longer', () => {
    const { pool, calls, advance, now } = poolWithListener();
    addAccounts(pool, ['a', 'b']);
    pool.reportFailure('a', MODEL, 'rate_limited', 5_000);
    expect(calls).toEqual([['a', MODEL, now() + 5_000, 'rate_limited']]);
    advance(DEDUPE_WINDOW_MS);
    pool.reportFailure('a', MODEL, 'quota_exhausted', 60_000);
    expect(calls.at(-1)).toEqual(['a', MODEL, now() + 60_000, 'quota_exhausted']);
    expect(calls).toHaveLength(2);
  });

  it('stays quiet when a report changes nothing: a duplicate, or a shorter late answer', () => {
    const { pool, calls, advance } = poolWithListener();
    addAccounts(pool, ['a']);
    pool.reportFailure('a', MODEL, 'rate_limited', 60_000);
    pool.reportFailure('a', MODEL, 'rate_limited', 60_000);
    advance(DEDUPE_WINDOW_MS);
    pool.reportFailure('a', MODEL, 'rate_limited', 1_000);
    expect(calls).toHaveLength(1);
    pool.reportFailure('unknown-account', MODEL, 'rate_limited', 1_000);
    expect(calls).toHaveLength(1);
  });

  it('ends the cooldowns in force of an account that leaves the pool, and no other', () => {
    const { pool, calls, advance } = poolWithListener();
    addAccounts(pool, ['a', 'b']);
    pool.reportFailure('a', MODEL, 'rate_limited', 60_000);
    pool.reportFailure('a', OTHER_MODEL, 'rate_limited', 1_000);
    pool.reportFailure('b', MODEL, 'rate_limited', 60_000);
    advance(2_000);
    calls.length = 0;
    pool.remove('a');
    // The OTHER_MODEL cooldown had already ended by time: nothing to end.
    expect(calls).toEqual([['a', MODEL, null, null]]);
  });
});
