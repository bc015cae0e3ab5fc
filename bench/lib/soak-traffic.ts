// The traffic of the soak benchmark (bench/soak.ts): clients sending a mix of OpenAI chat,
// Anthropic messages and Gemini generate requests, stream and non-stream, back to back; every reply
// checked for the simulator's text, every request counted when it starts and when it ends. And the
// faults injected into the simulator meanwhile: 429s with retry hints (cooldowns, rotation) and
// streams cut mid-way.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Pool } from 'undici';
import type { Outcome, Simulator } from '../../src/simulator/index.ts';
import { simulatedReply, sseData, ssePayloads } from './load.ts';

const GEMINI_MODEL = 'gemini-3-flash';
const CLAUDE_MODEL = 'claude-sonnet-4-6';
/** A request that has not ended by then has hung: the soak counts it as such. */
const HUNG_AFTER_MS = 60_000;

interface Kind {
  name: string;
  model: string;
  path: string;
  headers: Record<string, string>;
  body: (prompt: string, worker: number) => string;
  /** The reply's text; throws when the reply is an error or ends early. */
  text: (body: string) => string;
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const sessions = new Map<number, string>();
/** Claude Code's `metadata.user_id` (wire.md §4.8): one conversation per client. */
const userId = (worker: number) => {
  let id = sessions.get(worker);
  if (!id) {
    id = JSON.stringify({
      device_id: randomBytes(32).toString('hex'),
      account_uuid: '',
      session_id: randomUUID(),
    });
    sessions.set(worker, id);
  }
  return id;
};

function errorIn(value: unknown): void {
  if (value !== null && typeof value === 'object' && 'error' in value)
    throw new Error(`error: ${JSON.stringify((value as { error: unknown }).error).slice(0, 120)}`);
}

function openaiText(stream: boolean, body: string): string {
  if (!stream) {
    const completion = JSON.parse(body) as { choices: Array<{ message: { content: string | null } }> };
    errorIn(completion);
    return completion.choices[0]?.message.content ?? '';
  }
  const payloads = ssePayloads(body);
  if (payloads.at(-1) !== '[DONE]') throw new Error('stream without data: [DONE]');
  return payloads
    .slice(0, -1)
    .map((data) => {
      const chunk = JSON.parse(data) as { choices?: Array<{ delta?: { content?: string | null } }> };
      errorIn(chunk);
      return chunk.choices?.[0]?.delta?.content ?? '';
    })
    .join('');
}

function anthropicText(stream: boolean, body: string): string {
  if (!stream) {
    const message = JSON.parse(body) as { content: Array<{ type: string; text?: string }> };
    errorIn(message);
    return message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
  }
  const events = sseData(body) as Array<{ type: string; delta?: { type: string; text?: string } }>;
  if (events.at(-1)?.type !== 'message_stop') throw new Error('stream without message_stop');
  return events.map((e) => (e.delta?.type === 'text_delta' ? e.delta.text : '')).join('');
}

type GeminiChunk = {
  candidates?: Array<{
    finishReason?: string;
    content?: { parts?: Array<{ text?: string; thought?: boolean }> };
  }>;
};
const geminiParts = (chunk: GeminiChunk) =>
  (chunk.candidates?.[0]?.content?.parts ?? [])
    .map((part) => (part.thought ? '' : (part.text ?? '')))
    .join('');

function geminiText(stream: boolean, body: string): string {
  const chunks = (stream ? sseData(body) : [JSON.parse(body)]) as GeminiChunk[];
  for (const chunk of chunks) errorIn(chunk);
  if (!chunks.at(-1)?.candidates?.[0]?.finishReason) throw new Error('reply without finishReason');
  return chunks.map(geminiParts).join('');
}

/** Six kinds of request, taken in turn by every client. */
const KINDS: Kind[] = [false, true].flatMap((stream): Kind[] => [
  {
    name: `openai ${stream ? 'stream' : 'non-stream'}`,
    model: GEMINI_MODEL,
    path: '/v1/chat/completions',
    headers: JSON_HEADERS,
    body: (prompt) =>
      JSON.stringify({
        model: GEMINI_MODEL,
        messages: [{ role: 'user', content: prompt }],
        ...(stream ? { stream } : {}),
      }),
    text: (body) => openaiText(stream, body),
  },
  {
    name: `anthropic ${stream ? 'stream' : 'non-stream'}`,
    model: CLAUDE_MODEL,
    path: '/v1/messages',
    headers: { ...JSON_HEADERS, 'anthropic-version': '2023-06-01' },
    body: (prompt, worker) =>
      JSON.stringify({
        model: CLAUDE_MODEL,
        max_tokens: 1024,
        stream,
        metadata: { user_id: userId(worker) },
        messages: [{ role: 'user', content: prompt }],
      }),
    text: (body) => anthropicText(stream, body),
  },
  {
    name: `gemini ${stream ? 'stream' : 'non-stream'}`,
    model: GEMINI_MODEL,
    path: `/v1beta/models/${GEMINI_MODEL}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
    headers: JSON_HEADERS,
    body: (prompt) => JSON.stringify({ contents: [{ role: 'user', parts: [{ text: prompt }] }] }),
    text: (body) => geminiText(stream, body),
  },
]);

/** What one stretch of the soak (a minute, the warm-up) saw. */
export interface Bucket {
  requests: number;
  errors: number;
  /** Of every request that ended, ms. */
  latencies: number[];
}

const newBucket = (): Bucket => ({ requests: 0, errors: 0, latencies: [] });

/** `clients` workers sending the mix back to back until `stop`. */
export class Traffic {
  started = 0;
  ended = 0;
  hung = 0;
  /** Errors by request kind and reason. */
  readonly errors = new Map<string, number>();
  private bucket = newBucket();
  private stopping = false;
  private readonly pool: Pool;

  constructor(pool: Pool) {
    this.pool = pool;
  }

  /** Resolves once every worker has seen its last request end. */
  run(clients: number): Promise<void> {
    return Promise.all(Array.from({ length: clients }, (_, worker) => this.worker(worker))).then(
      () => undefined,
    );
  }

  stop(): void {
    this.stopping = true;
  }

  /** The stretch so far; a new one starts. */
  take(): Bucket {
    const taken = this.bucket;
    this.bucket = newBucket();
    return taken;
  }

  private async worker(worker: number): Promise<void> {
    for (let n = 0; !this.stopping; n++) {
      const kind = KINDS[(worker + n) % KINDS.length]!;
      const prompt = `soak ${worker} ${n}`;
      const sent = performance.now();
      this.started++;
      let failure: string | undefined;
      try {
        const response = await this.pool.request({
          method: 'POST',
          path: kind.path,
          headers: kind.headers,
          body: kind.body(prompt, worker),
          headersTimeout: HUNG_AFTER_MS,
          bodyTimeout: HUNG_AFTER_MS,
        });
        const body = await response.body.text();
        if (response.statusCode !== 200) failure = `HTTP ${response.statusCode}`;
        else if (kind.text(body) !== simulatedReply(kind.model, prompt)) failure = 'wrong text';
      } catch (error) {
        const code = (error as { code?: string }).code ?? '';
        if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') this.hung++;
        failure = (error as Error).message.slice(0, 100);
      }
      this.ended++;
      this.bucket.requests++;
      this.bucket.latencies.push(performance.now() - sent);
      if (failure !== undefined) {
        this.bucket.errors++;
        const key = `${kind.name}: ${failure.replace(/\s+/g, ' ')}`;
        this.errors.set(key, (this.errors.get(key) ?? 0) + 1);
      }
    }
  }
}

const FAULTS: Array<{ name: string; outcome: Outcome }> = [
  { name: '429 rate limit, retry in 1 s', outcome: { kind: 'error', preset: 'rateLimit', retryDelay: 1 } },
  { name: 'stream cut after its first event', outcome: { kind: 'cut', afterChunks: 1 } },
  {
    name: '429 quota exhausted, reset in 3 s',
    outcome: { kind: 'error', preset: 'quotaExhausted', quotaResetDelay: 3 },
  },
  {
    name: 'connection cut before the headers',
    outcome: { kind: 'cut', afterChunks: 0, beforeHeaders: true },
  },
];

/**
 * Scripts one fault at a time into the simulator, on the account and model that served the latest
 * generate call, so the next request there meets it. Also empties the simulator's request record,
 * which would otherwise keep every request of the soak.
 */
export class FaultInjector {
  /** Faults scripted, by name. */
  readonly injected = new Map<string, number>();
  private readonly sim: Simulator;
  private timer: NodeJS.Timeout | undefined;
  private turn = 0;

  constructor(sim: Simulator) {
    this.sim = sim;
  }

  start(everyMs: number): void {
    this.timer = setInterval(() => this.inject(), everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private inject(): void {
    const requests = this.sim.requests;
    const latest = requests.findLast(
      (r) => (r.rpc === 'streamGenerateContent' || r.rpc === 'generateContent') && r.account !== undefined,
    );
    requests.splice(0);
    const model = (latest?.body as { model?: string } | undefined)?.model;
    if (!latest?.account || !model) return;
    const fault = FAULTS[this.turn++ % FAULTS.length]!;
    this.sim.script(latest.account, model, fault.outcome);
    this.injected.set(fault.name, (this.injected.get(fault.name) ?? 0) + 1);
  }
}
