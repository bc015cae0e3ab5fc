// OpenAI Chat Completions benchmark (not run by CI): `node bench/openai.ts` (also run by `npm run bench`).
// `POST /v1/chat/completions`, stream and non-stream, at 1, 16 and 64 concurrent clients, against
// the simulator with zero upstream delay and a Gemini model, side by side in one run:
// - Better Manager: a real `better-manager serve` process with one account imported from the simulator;
// - the bare node:http proxy (bench/bare-proxy.mjs), the floor.
// Targets take turns phase by phase (the order rotating) over several rounds, after a warm-up;
// requests/s and CPU per request are the medians over the rounds, latencies pooled. Every reply is
// checked for the simulator's text (a stream's `choices[0].delta.content` reassembled, ending in
// `data: [DONE]`), so an error never counts as a fast answer. The machinery is bench/lib/load.ts,
// shared with bench/anthropic.ts.
//
// Env: BENCH_CPU_PROF=<dir> runs Better Manager with --cpu-prof into <dir> (BENCH_FROM_SOURCE=1:
// from src/, for readable names); BENCH_ROUNDS / BENCH_PHASE_SECONDS shorten or lengthen the run.
import type { ChildProcess } from 'node:child_process';
import { Pool } from 'undici';
import { startSimulator } from '../src/simulator/index.ts';
import {
  accessToken,
  cpuCheck,
  freePort,
  measure,
  simulatedReply,
  ssePayloads,
  startBetterManager,
  table,
  upstreamText,
  type Target,
} from './lib/load.ts';
import { startBareProxy, stop } from './lib/processes.ts';

const MODEL = 'gemini-3-flash';
const CLIENTS = [1, 16, 64];
// Many short rounds rather than a few long ones: the machine is shared, and a median over more
// rounds shrugs off a neighbour's burst. ~1.5 minutes in all.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PHASE_SECONDS = Number(process.env.BENCH_PHASE_SECONDS ?? 1.5);
const WARMUP_SECONDS = 3;

/** A data object that carries `error` is how an OpenAI stream fails after its first byte (wire.md §5.3). */
function noError(value: unknown): void {
  if (value !== null && typeof value === 'object' && 'error' in value)
    throw new Error(`error: ${JSON.stringify((value as { error: unknown }).error)}`);
}

/** Text of a Chat Completions reply (wire.md §5.2, §5.3); a stream must end with `data: [DONE]`. */
function chatText(stream: boolean, body: string): string {
  if (!stream) {
    const completion = JSON.parse(body) as { choices: Array<{ message: { content: string | null } }> };
    noError(completion);
    return completion.choices[0]?.message.content ?? '';
  }
  const payloads = ssePayloads(body);
  if (payloads.at(-1) !== '[DONE]') throw new Error('stream without data: [DONE]');
  type Chunk = { choices: Array<{ delta?: { content?: string | null } }> };
  return payloads
    .slice(0, -1)
    .map((data) => {
      const chunk = JSON.parse(data) as Chunk;
      noError(chunk);
      return chunk.choices[0]?.delta?.content ?? '';
    })
    .join('');
}

/** What an OpenAI SDK sends for one question: the model, the message, `stream` when streaming. */
const chatBody = (stream: boolean, prompt: string) =>
  JSON.stringify({
    model: MODEL,
    messages: [{ role: 'user', content: prompt }],
    ...(stream ? { stream } : {}),
  });

async function main() {
  const sim = await startSimulator({ unmeteredQuota: true });
  const alice = sim.account('alice.pro@gmail.com');
  const children: ChildProcess[] = [];
  const cleanups: Array<() => void> = [];
  const pools: Pool[] = [];
  try {
    const proxy = await startBetterManager(sim, alice.refreshToken);
    children.push(proxy.child);
    cleanups.push(proxy.cleanup);

    // The floor gets what Better Manager sends on for the same prompt, already translated: the
    // v1internal `request` of a one-message Chat Completions request to a Gemini model is its
    // `contents` plus the `sessionId` that Better Manager derives (one per client here), which the
    // floor wraps in the envelope for MODEL, sends to `streamGenerateContent` and pipes back
    // untouched. Better Manager calls streamGenerateContent for both of its modes, so the floor's
    // stream and non-stream phases are the same work, both measured to take turns.
    const token = await accessToken(sim, alice.refreshToken);
    const bare = await startBareProxy(sim, token, alice.project, await freePort(), MODEL);
    children.push(bare.child);

    const pool = (url: string) => {
      const created = new Pool(url, { connections: Math.max(...CLIENTS) });
      pools.push(created);
      return created;
    };
    const targets: Target[] = [
      {
        name: 'Better Manager',
        child: proxy.child,
        pool: pool(proxy.url),
        path: '/v1/chat/completions',
        headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
        body: chatBody,
        text: chatText,
      },
      {
        name: 'bare Node proxy (floor, bench/bare-proxy.mjs)',
        child: bare.child,
        pool: pool(bare.url),
        path: `/v1beta/models/${MODEL}:streamGenerateContent?alt=sse`,
        headers: { 'content-type': 'application/json' },
        body: (_stream, prompt, worker) =>
          JSON.stringify({
            contents: [{ role: 'user', parts: [{ text: prompt }] }],
            sessionId: `-${1_000_000_000_000_000_000n + BigInt(worker)}`,
          }),
        text: upstreamText,
      },
    ];

    const m = await measure({
      sim,
      targets,
      clients: CLIENTS,
      rounds: ROUNDS,
      phaseSeconds: PHASE_SECONDS,
      warmupSeconds: WARMUP_SECONDS,
      expected: (prompt) => simulatedReply(MODEL, prompt),
    });

    console.log(
      `OpenAI Chat Completions \`POST /v1/chat/completions\`, model ${MODEL}, simulator with no upstream delay; ` +
        `${ROUNDS} rounds of ${PHASE_SECONDS} s per phase, targets in turns; ` +
        `requests/s and CPU: median of the rounds (ratios: median of each round's ratio), latency: all requests.\n`,
    );
    console.log(table(m, [[0, 1, 'BM ÷ floor']]));
    console.log('');
    console.log(cpuCheck(m, 0, 1));
  } finally {
    for (const child of children) if (child.exitCode === null) await stop(child);
    for (const created of pools) await created.close();
    await sim.close();
    for (const cleanup of cleanups) cleanup();
  }
}

await main();
