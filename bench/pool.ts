// Account-pool benchmark (not run by CI): `node bench/pool.ts`. Times `select` at 10,000 accounts in each
// scheduling mode, with a realistic mess: mixed and unknown quotas, disabled and broken accounts, model
// lists, cooldowns reported as requests go, and sessions that come back or are new.
import { AccountPool } from '../src/pool/index.ts';
import type { PoolSettings } from '../src/pool/index.ts';

const ACCOUNTS = 10_000;
const WARMUP = 2_000;
const SAMPLES = 20_000;
const MODELS = ['gemini-3-flash', 'gemini-pro-agent', 'claude-sonnet-4-6', 'claude-opus-4-6-thinking'];
const MODES: PoolSettings['scheduling']['mode'][] = [
  'sticky',
  'balance',
  'round-robin',
  'quota-first',
  'current-first',
];

/** Deterministic, so runs compare. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

function buildPool(mode: PoolSettings['scheduling']['mode'], clock: { t: number }): AccountPool {
  const random = lcg(42);
  const settings: PoolSettings = {
    scheduling: { mode, maxWaitSeconds: 30, stickyTtlSeconds: 3_600, stickyMaxEntries: 10_000 },
    quotaProtection: { enabled: true, thresholdPercent: 10 },
  };
  const pool = new AccountPool({ settings: () => settings, now: () => clock.t, random });
  for (let i = 0; i < ACCOUNTS; i++) {
    const id = `acct-${i}`;
    const roll = random();
    pool.upsert({
      id,
      email: `${id}@example.com`,
      enabled: roll > 0.03,
      status: roll < 0.05 ? 'needs_login' : roll < 0.06 ? 'forbidden' : 'ok',
      isCurrent: i === 1_234,
      order: i,
      lastUsedAt: random() < 0.5 ? null : clock.t - Math.floor(random() * 86_400_000),
      // A tenth lacks the Claude models, a tenth has no known model list yet.
      models: roll > 0.9 ? undefined : new Set(roll > 0.8 ? MODELS.slice(0, 2) : MODELS),
    });
    for (const model of MODELS) {
      const q = random();
      pool.setModelQuota(id, model, q < 0.1 ? 'unknown' : { remainingFraction: Math.round(q * 100) / 100 });
    }
    if (random() < 0.05) pool.reportFailure(id, MODELS[i % MODELS.length]!, 'rate_limited', 600_000);
  }
  return pool;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

const rows: string[] = [];
for (const mode of MODES) {
  const clock = { t: Date.parse('2026-11-25T12:00:00Z') };
  const pool = buildPool(mode, clock);
  const random = lcg(7);
  const times = new Float64Array(SAMPLES);
  let unavailable = 0;
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    const model = MODELS[Math.floor(random() * MODELS.length)]!;
    const r = random();
    // 85 % returning sessions, 10 % new ones, 5 % without a key.
    const sessionKey = r < 0.85 ? `s${Math.floor(random() * 2_000)}` : r < 0.95 ? `new-${i}` : undefined;
    const started = performance.now();
    const pick = pool.select({ model, sessionKey });
    const elapsed = performance.now() - started;
    if (i >= WARMUP) times[i - WARMUP] = elapsed;
    if (pick.kind === 'account') {
      const outcome = random();
      if (outcome < 0.01) pool.reportFailure(pick.accountId, model, 'rate_limited');
      else if (outcome < 0.012) pool.reportFailure(pick.accountId, model, 'quota_exhausted');
      else pool.reportSuccess(pick.accountId, model);
    } else {
      unavailable += 1;
    }
    clock.t += 25;
  }
  const over1ms = times.filter((t) => t > 1).length;
  times.sort();
  const us = (ms: number): string => `${(ms * 1000).toFixed(1)} µs`;
  rows.push(
    `| ${mode} | ${us(percentile(times, 0.5))} | ${us(percentile(times, 0.99))} | ${us(times[times.length - 1]!)} | ${over1ms} | ${unavailable} |`,
  );
}

// Adding an account (or reordering one) patches the built per-model views in place.
const clock = { t: Date.parse('2026-11-25T12:00:00Z') };
const pool = buildPool('quota-first', clock);
pool.select({ model: MODELS[0]! });
const rebuilds: number[] = [];
for (let i = 0; i < 21; i++) {
  pool.upsert({
    id: `extra-${i}`,
    email: 'x@example.com',
    enabled: true,
    status: 'ok',
    isCurrent: false,
    order: -i,
    lastUsedAt: null,
  });
  const started = performance.now();
  pool.select({ model: MODELS[0]! });
  rebuilds.push(performance.now() - started);
}
rebuilds.sort((a, b) => a - b);

console.log(
  `select() at ${ACCOUNTS.toLocaleString('en')} accounts, ${SAMPLES.toLocaleString('en')} samples per mode\n`,
);
console.log('| mode | p50 | p99 | max | samples > 1 ms | unavailable |');
console.log('|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
console.log(`\nupsert of a new account + next select: median ${rebuilds[10]!.toFixed(2)} ms`);
