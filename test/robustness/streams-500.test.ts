import { afterEach, describe, expect, it } from 'vitest';
import type { Outcome } from '../../src/simulator/index.ts';
import { startTestEnvironment, type TestEnvironment } from '../helpers/app.ts';
import { listenerCounts, pollUntil, requestWithoutKeepAlive, resourceCounts } from './helpers.ts';
import {
  PROTOCOLS,
  readStream,
  UPSTREAM_MODEL,
  verdictOf,
  type Protocol,
  type StreamVerdict,
} from './stream-verdicts.ts';

const A = 'alice.pro@gmail.com';
const STREAMS = 500;
/** One stream in ten is cut by the simulator in the middle. */
const CUT_EVERY = 10;
const REPLY = 'alpha beta gamma delta epsilon zeta eta theta';

const complete: Outcome = { kind: 'text', text: REPLY, chunks: 4, chunkDelayMs: 15 };
const cut: Outcome = { kind: 'cut', afterChunks: 2, text: REPLY, chunkDelayMs: 15 };

let env: TestEnvironment | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

interface Snapshot {
  resources: Record<string, number>;
  listeners: Record<string, number>;
}

/**
 * The process's handles once the run is over. The upstream keep-alive pool (one socket per stream
 * that ran at once) is closed explicitly first, through the live setting that rebuilds it, as a
 * change of `upstream.connectTimeoutSeconds` from the dashboard would.
 */
async function settledSnapshot(env: TestEnvironment, target?: Snapshot): Promise<Snapshot> {
  const { ctx } = env.server;
  const timeout = ctx.settings.current.upstream.connectTimeoutSeconds;
  ctx.settings.update({ upstream: { connectTimeoutSeconds: timeout === 10 ? 11 : 10 } });
  // Closing sockets and firing the last timers (the log flush) takes a few turns of the event loop,
  // more on a busy machine: the baseline waits for no socket to be left, the count after the run
  // for no handle type above the baseline, each for a while at most.
  const settled = () => {
    const now = resourceCounts();
    if (!target) return (now.TCPSocketWrap ?? 0) === 0;
    return Object.entries(now).every(([type, count]) => count <= (target.resources[type] ?? 0));
  };
  await pollUntil(settled, 5_000);
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((resolve) => setTimeout(resolve, 50));
  return {
    resources: resourceCounts(),
    listeners: listenerCounts({
      server: env.server.app.server,
      process,
      settings: ctx.settings,
      accounts: ctx.accounts.service,
    }),
  };
}

describe('500 concurrent streams with 10% cut by the upstream', () => {
  it('every client gets a complete stream or the protocol error event; no handle or listener leaks', async () => {
    env = await startTestEnvironment({ simulator: { unmeteredQuota: true } });
    const imported = await requestWithoutKeepAlive<{ created: number }>(
      `${env.url}/api/accounts/import`,
      'POST',
      { refreshTokens: [env.sim.account(A).refreshToken] },
    );
    expect(imported.body.created).toBe(1);
    // Every lazily created part (protocol routes, upstream pool, log timer) exists before the baseline.
    for (const protocol of PROTOCOLS) {
      expect(verdictOf(protocol, await readStream(env.url, protocol, 'warm up')).kind).toBe('complete');
    }
    const before = await settledSnapshot(env);

    const plan = Array.from({ length: STREAMS }, (_, index) => ({
      protocol: PROTOCOLS[index % PROTOCOLS.length]!,
      cut: index % CUT_EVERY === CUT_EVERY - 1,
    }));
    // Outcomes are taken in the order the streams reach the simulator, so which client is cut is
    // up to the race; how many of each protocol's streams are cut is exact.
    for (const protocol of PROTOCOLS) {
      const outcomes = plan
        .filter((item) => item.protocol === protocol)
        .map((item) => (item.cut ? cut : complete));
      env.sim.script(A, UPSTREAM_MODEL[protocol], ...outcomes);
    }
    const upstreamCallsBefore = env.sim.requests.filter((r) => r.rpc === 'streamGenerateContent').length;

    const started = performance.now();
    const verdicts = await Promise.all(
      plan.map(async ({ protocol }, index) => ({
        protocol,
        verdict: verdictOf(protocol, await readStream(env!.url, protocol, `stream ${index}`)),
      })),
    );
    const elapsed = performance.now() - started;
    const upstreamCalls =
      env.sim.requests.filter((r) => r.rpc === 'streamGenerateContent').length - upstreamCallsBefore;

    const after = await settledSnapshot(env, before);
    const tally = (protocol: Protocol, kind: StreamVerdict['kind']) =>
      verdicts.filter((entry) => entry.protocol === protocol && entry.verdict.kind === kind).length;
    const table = Object.fromEntries(
      PROTOCOLS.map((protocol) => [
        protocol,
        {
          complete: tally(protocol, 'complete'),
          error: tally(protocol, 'error'),
          truncated: tally(protocol, 'truncated'),
        },
      ]),
    );
    console.log(
      `500 streams in ${Math.round(elapsed)} ms, ${upstreamCalls} upstream calls: ${JSON.stringify(table)}\n` +
        `handles before: ${JSON.stringify(before.resources)}\nhandles after:  ${JSON.stringify(after.resources)}\n` +
        `listeners before: ${JSON.stringify(before.listeners)}\nlisteners after:  ${JSON.stringify(after.listeners)}`,
    );

    const truncatedStreams = verdicts.filter((entry) => entry.verdict.kind === 'truncated');
    expect(truncatedStreams.slice(0, 5)).toEqual([]);
    for (const protocol of PROTOCOLS) {
      const planned = plan.filter((item) => item.protocol === protocol);
      const cuts = planned.filter((item) => item.cut).length;
      expect(table[protocol]).toEqual({ complete: planned.length - cuts, error: cuts, truncated: 0 });
    }
    // No stream was retried or lost on the way: one upstream call each.
    expect(upstreamCalls).toBe(STREAMS);
    const grown = Object.entries(after.resources).filter(
      ([type, count]) => count > (before.resources[type] ?? 0),
    );
    expect(grown).toEqual([]);
    expect(after.listeners).toEqual(before.listeners);
  }, 60_000);
});
