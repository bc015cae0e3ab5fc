import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import {
  PRO,
  accessToken,
  generateBody,
  hello,
  lastRequest,
  partsOf,
  rpc,
  sseEvents,
  waitFor,
  type Envelope,
  type RpcBody,
} from './helpers.ts';

const PROJECT = 'useful-fuze-x7k2p';
const MODEL = 'gemini-3-flash';
let sim: Simulator;
let token: string;
beforeAll(async () => {
  sim = await startSimulator();
  token = await accessToken(sim, PRO);
});
afterAll(() => sim.close());

function streamCall(signal?: AbortSignal, query = '?alt=sse'): Promise<Response> {
  return rpc(sim, token, 'streamGenerateContent', generateBody(PROJECT, MODEL, hello('Stream please')), {
    query,
    signal,
  });
}

/** Reads the body until it ends or fails; returns what arrived and the failure, if any. */
async function drain(res: Response): Promise<{ text: string; failed: boolean }> {
  const reader = res.body?.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = (await reader?.read()) ?? { done: true, value: undefined };
      if (done) return { text, failed: false };
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    return { text, failed: true };
  }
}

describe('SSE framing', () => {
  it('sends the default reply as CRLF events, each a full envelope with usage', async () => {
    const res = await streamCall();
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const raw = await res.text();
    expect(raw).toMatch(/^data: \{.*\}\r\n\r\n/);
    expect(raw.endsWith('\r\n\r\n')).toBe(true);
    const events = sseEvents(raw);
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events.length).toBeLessThanOrEqual(3);
    expect(new Set(events.map((e) => e.traceId)).size).toBe(1);
    expect(new Set(events.map((e) => e.response.responseId)).size).toBe(1);
    for (const event of events) expect(event.response.usageMetadata?.totalTokenCount).toBeGreaterThan(0);
    const text = events
      .flatMap(partsOf)
      .map((p) => p.text)
      .join('');
    expect(text).toContain(MODEL);
    expect(events.at(-1)?.response.candidates?.[0]?.finishReason).toBe('STOP');
    expect(events.slice(0, -1).every((e) => e.response.candidates?.[0]?.finishReason === undefined)).toBe(
      true,
    );
  });

  it('follows the outcome: chunk count, LF framing, usage on the last event only', async () => {
    sim.script(PRO, MODEL, {
      kind: 'text',
      text: 'one two three four five six seven eight',
      chunks: 4,
      framing: 'lf',
      usage: 'last',
    });
    const raw = await (await streamCall()).text();
    expect(raw).not.toContain('\r');
    const events = sseEvents(raw);
    expect(events).toHaveLength(4);
    expect(
      events
        .flatMap(partsOf)
        .map((p) => p.text)
        .join(''),
    ).toBe('one two three four five six seven eight');
    expect(events.slice(0, -1).every((e) => e.response.usageMetadata === undefined)).toBe(true);
    expect(events.at(-1)?.response.usageMetadata?.candidatesTokenCount).toBeGreaterThan(0);
  });

  it('streams a JSON array without alt=sse, and merges into one body on generateContent', async () => {
    const array = (await (await streamCall(undefined, '')).json()) as Envelope[];
    expect(Array.isArray(array)).toBe(true);
    expect(array.length).toBeGreaterThan(1);
    const single = await rpc(
      sim,
      token,
      'generateContent',
      generateBody(PROJECT, MODEL, hello('Stream please')),
    );
    const merged = (await single.json()) as Envelope;
    expect(partsOf(merged)).toHaveLength(1);
    expect(partsOf(merged)[0]?.text).toBe(
      array
        .flatMap(partsOf)
        .map((p) => p.text)
        .join(''),
    );
  });

  it('sends empty replies, images and tool calls', async () => {
    sim.script(
      PRO,
      MODEL,
      { kind: 'empty' },
      { kind: 'image', mimeType: 'image/png' },
      { kind: 'toolCall', name: 'run', args: { cmd: 'ls' } },
    );
    const empty = sseEvents(await (await streamCall()).text());
    expect(empty.flatMap(partsOf)).toEqual([]);
    expect(empty[0]?.response.usageMetadata).toBeDefined();
    const image = sseEvents(await (await streamCall()).text()).flatMap(partsOf);
    expect(image.find((p) => p.inlineData)?.inlineData?.mimeType).toBe('image/png');
    const tool = sseEvents(await (await streamCall()).text()).flatMap(partsOf);
    expect(tool.find((p) => p.functionCall)?.functionCall?.args).toEqual({ cmd: 'ls' });
  });

  it('sends an error as a data event mid-stream', async () => {
    sim.script(PRO, MODEL, { kind: 'error', preset: 'unavailable', afterChunks: 2 });
    const res = await streamCall();
    expect(res.status).toBe(200);
    const events = sseEvents(await res.text()) as unknown as (Envelope & RpcBody)[];
    expect(events).toHaveLength(3);
    expect(partsOf(events[1] as Envelope)[0]?.text).toBeTruthy();
    expect(events[2]?.error.status).toBe('UNAVAILABLE');
  });
});

describe('failures on the wire', () => {
  it('cuts the socket after the given number of events without marking a client abort', async () => {
    sim.script(PRO, MODEL, { kind: 'cut', afterChunks: 1 });
    const res = await streamCall();
    expect(res.status).toBe(200);
    const { text, failed } = await drain(res);
    expect(failed).toBe(true);
    expect(sseEvents(text)).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(lastRequest(sim, 'streamGenerateContent').aborted).toBe(false);

    sim.script(PRO, MODEL, { kind: 'cut', afterChunks: 0, beforeHeaders: true });
    await expect(streamCall()).rejects.toThrow();
  });

  it('stalls with the socket open and records the client abort within milliseconds', async () => {
    sim.script(PRO, MODEL, { kind: 'stall', afterChunks: 1, ms: 5000 });
    const controller = new AbortController();
    const res = await streamCall(controller.signal);
    const reader = res.body?.getReader();
    const first = await reader?.read();
    expect(new TextDecoder().decode(first?.value)).toContain('data: ');
    const more = reader?.read().catch(() => 'aborted');
    const raced = await Promise.race([
      more,
      new Promise((resolve) => setTimeout(() => resolve('waiting'), 100)),
    ]);
    expect(raced).toBe('waiting');
    const abortedAt = Date.now();
    controller.abort();
    const record = lastRequest(sim, 'streamGenerateContent');
    await waitFor(() => record.aborted);
    expect((record.abortedAt ?? 0) - abortedAt).toBeLessThan(100);
  });

  it('records an abort during the first-byte delay', async () => {
    sim.script(PRO, MODEL, { kind: 'text', text: 'late', firstByteDelayMs: 5000 });
    const controller = new AbortController();
    const seen = sim.requests.length;
    const pending = streamCall(controller.signal).catch(() => 'aborted');
    await waitFor(() => sim.requests.length > seen && sim.requests.at(-1)?.body !== undefined);
    const abortedAt = Date.now();
    controller.abort();
    expect(await pending).toBe('aborted');
    const record = lastRequest(sim, 'streamGenerateContent');
    await waitFor(() => record.aborted);
    expect(record.status).toBeUndefined();
    expect((record.abortedAt ?? 0) - abortedAt).toBeLessThan(100);
    expect(record.headers.authorization).toBe(`Bearer ${token}`);
  });
});
