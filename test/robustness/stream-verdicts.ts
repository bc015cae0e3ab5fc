import { request } from 'node:http';

export type Protocol = 'gemini' | 'openai' | 'anthropic';
export const PROTOCOLS: readonly Protocol[] = ['gemini', 'openai', 'anthropic'];

/** The upstream model each protocol's streams go to, so that the simulator can script each apart. */
export const UPSTREAM_MODEL: Record<Protocol, string> = {
  gemini: 'gemini-3-flash',
  openai: 'gemini-3-flash-agent',
  anthropic: 'claude-sonnet-4-6',
};

/**
 * How a client saw its stream end: `complete` (the protocol's terminal event), `error` (the
 * protocol's error event, last, with no success after it), or `truncated` (anything else: silent
 * truncation, a success after an error, a broken connection, a status other than 200).
 */
export interface StreamVerdict {
  kind: 'complete' | 'error' | 'truncated';
  detail: string;
}

interface SseEvent {
  event?: string;
  data: string;
}

/** The path and body of one streaming request in the protocol's own shape. */
export function streamRequest(protocol: Protocol, text: string): { path: string; body: unknown } {
  const model = UPSTREAM_MODEL[protocol];
  switch (protocol) {
    case 'gemini':
      return {
        path: `/v1beta/models/${model}:streamGenerateContent?alt=sse`,
        body: { contents: [{ role: 'user', parts: [{ text }] }] },
      };
    case 'openai':
      return {
        path: '/v1/chat/completions',
        body: { model, stream: true, messages: [{ role: 'user', content: text }] },
      };
    case 'anthropic':
      return {
        path: '/v1/messages',
        body: { model, max_tokens: 256, stream: true, messages: [{ role: 'user', content: text }] },
      };
  }
}

/**
 * Sends one streaming request on a connection of its own (no keep-alive pool in the test client,
 * so that every socket the test opened is closed once its answer ends) and reads it to the end.
 */
export function readStream(
  baseUrl: string,
  protocol: Protocol,
  text: string,
): Promise<{ status: number; raw: string; transportError?: string }> {
  const { path, body } = streamRequest(protocol, text);
  const payload = JSON.stringify(body);
  return new Promise((resolve) => {
    let status = 0;
    let raw = '';
    const req = request(
      `${baseUrl}${path}`,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        status = res.statusCode ?? 0;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (raw += chunk));
        res.on('end', () => resolve({ status, raw }));
        res.on('error', (error) => resolve({ status, raw, transportError: error.message }));
      },
    );
    req.on('error', (error) => resolve({ status, raw, transportError: error.message }));
    req.end(payload);
  });
}

function sseEvents(raw: string): SseEvent[] {
  return raw
    .split(/\r?\n\r?\n/)
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split(/\r?\n/);
      const event = lines
        .find((line) => line.startsWith('event:'))
        ?.slice(6)
        .trim();
      const data = lines
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trimStart())
        .join('\n');
      return { event, data };
    });
}

function json(data: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(data) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

const truncated = (detail: string): StreamVerdict => ({ kind: 'truncated', detail });

/** Gemini: the last chunk carries a finishReason, or the stream ends with an error object. */
function geminiVerdict(events: SseEvent[]): StreamVerdict {
  const chunks = events.map((event) => json(event.data));
  const errorAt = chunks.findIndex((chunk) => chunk?.error !== undefined);
  if (errorAt >= 0)
    return errorAt === chunks.length - 1
      ? { kind: 'error', detail: JSON.stringify(chunks[errorAt]!.error) }
      : truncated('events after the error object');
  const last = chunks.at(-1) as { candidates?: Array<{ finishReason?: string }> } | undefined;
  const finish = last?.candidates?.[0]?.finishReason;
  return finish ? { kind: 'complete', detail: finish } : truncated('last chunk has no finishReason');
}

/** OpenAI chat: a finish_reason chunk then [DONE], or an error chunk then [DONE]. */
function openaiVerdict(events: SseEvent[]): StreamVerdict {
  if (events.at(-1)?.data !== '[DONE]') return truncated('no [DONE] at the end');
  const chunks = events.slice(0, -1).map((event) => json(event.data));
  const errorAt = chunks.findIndex((chunk) => chunk?.error !== undefined);
  const finished = chunks.some((chunk) =>
    (chunk?.choices as Array<{ finish_reason?: string | null }> | undefined)?.some(
      (choice) => choice.finish_reason,
    ),
  );
  if (errorAt >= 0) {
    if (errorAt !== chunks.length - 1 || finished) return truncated('a success next to the error chunk');
    return { kind: 'error', detail: JSON.stringify(chunks[errorAt]!.error) };
  }
  return finished ? { kind: 'complete', detail: '[DONE]' } : truncated('[DONE] without a finish_reason');
}

/** Anthropic: message_stop last, or an `error` event last with no message_stop. */
function anthropicVerdict(events: SseEvent[]): StreamVerdict {
  const names = events.map((event) => event.event);
  const last = names.at(-1);
  if (last === 'error' && !names.includes('message_stop'))
    return { kind: 'error', detail: events.at(-1)!.data };
  if (last === 'message_stop' && !names.includes('error'))
    return { kind: 'complete', detail: 'message_stop' };
  return truncated(`ends with ${last ?? 'nothing'}`);
}

export function verdictOf(
  protocol: Protocol,
  answer: { status: number; raw: string; transportError?: string },
): StreamVerdict {
  if (answer.transportError) return truncated(`connection broke: ${answer.transportError}`);
  if (answer.status !== 200) return truncated(`status ${answer.status}: ${answer.raw.slice(0, 200)}`);
  const events = sseEvents(answer.raw);
  if (protocol === 'gemini') return geminiVerdict(events);
  if (protocol === 'openai') return openaiVerdict(events);
  return anthropicVerdict(events);
}
