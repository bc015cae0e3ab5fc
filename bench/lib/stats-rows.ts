import type { RequestLogEntry } from '../../src/monitor/request-log.ts';

const HOUR = 3_600_000;
const MODELS = ['gemini-3-flash', 'gemini-3-pro-high', 'claude-sonnet-4-6', 'gemini-3.1-flash-image'];
const ACCOUNTS = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'];

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` log rows spread evenly over the 7 days before `now`: four models, six accounts, the
 * given client keys and keyless requests, 5% errors, latencies from 20 ms to 3 s. For the stats
 * speed test and `bench/stats.ts`.
 */
export function syntheticLogRows(
  count: number,
  now: number,
  keys: ReadonlyArray<{ id: string; key: string }>,
): RequestLogEntry[] {
  const next = random(19);
  const span = 167 * HOUR;
  return Array.from({ length: count }, (_, i) => {
    const failed = next() < 0.05;
    const account = ACCOUNTS[Math.floor(next() * ACCOUNTS.length)]!;
    const key = keys[Math.floor(next() * (keys.length + 1))];
    return {
      createdAt: now - span + Math.floor((i / count) * span),
      protocol: 'gemini',
      route: '/v1beta/models/{model}:generateContent',
      clientKey: key?.key,
      keyId: key?.id,
      requestedModel: MODELS[i % MODELS.length],
      mappedModel: MODELS[i % MODELS.length],
      accountId: account,
      accountEmail: `${account}@example.com`,
      attempts: [{ accountId: account, email: `${account}@example.com`, status: failed ? 429 : 200, ms: 5 }],
      status: failed ? 429 : 200,
      latencyMs: Math.round(20 + 3000 * next() ** 3),
      stream: next() < 0.5,
      inputTokens: failed ? undefined : 100 + Math.floor(next() * 1000),
      outputTokens: failed ? undefined : Math.floor(next() * 500),
      thinkingTokens: failed ? undefined : Math.floor(next() * 200),
      cachedTokens: failed ? undefined : Math.floor(next() * 50),
    };
  });
}
