import { describe, expect, it } from 'vitest';
import type { UpstreamChunk } from '../../../../src/google/generate-client.ts';
import type { ProtocolError } from '../../../../src/proxy/adapter.ts';
import { createResponsesResponder } from '../../../../src/protocols/openai/responses/responder.ts';
import {
  FIXTURE_NAMES,
  events,
  familyOf,
  fixture,
  options,
  sdkEvents,
  sdkFinalResponse,
  sent,
  stream,
  type Event,
} from './replay.ts';

const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed']);

/**
 * The invariants of wire.md §5.6 on one stream: sequence numbers 0, 1, 2…; created and in_progress
 * first; exactly one terminal event, last; every item added at the next output index and done once,
 * with every item event naming the item at its index.
 */
function checkInvariants(list: readonly Event[]): void {
  list.forEach((event, index) => expect(event.sequence_number).toBe(index));
  expect(list[0]?.type).toBe('response.created');
  expect(list[1]?.type).toBe('response.in_progress');
  expect(list.filter((event) => TERMINAL.has(event.type))).toHaveLength(1);
  expect(TERMINAL.has(list.at(-1)!.type)).toBe(true);
  const ids: string[] = [];
  const done = new Set<number>();
  for (const event of list) {
    if (event.type === 'response.output_item.added') {
      expect(event.output_index).toBe(ids.length);
      ids.push((event.item as { id: string }).id);
    } else if (event.type === 'response.output_item.done') {
      expect(done.has(event.output_index as number)).toBe(false);
      done.add(event.output_index as number);
      expect((event.item as { id: string }).id).toBe(ids[event.output_index as number]);
    } else if ('item_id' in event) {
      expect(event.item_id).toBe(ids[event.output_index as number]);
      expect(done.has(event.output_index as number)).toBe(false);
    }
  }
  if (list.at(-1)!.type !== 'response.failed') expect(done.size).toBe(ids.length);
  const final = (list.at(-1)!.response as { output: Array<{ id: string }> }).output;
  expect(final.map((item) => item.id)).toEqual(ids);
}

function assembled(chunks: readonly UpstreamChunk[]) {
  return createResponsesResponder(options(familyOf(chunks))).assemble(chunks);
}

describe('the official SDK accepts every stream, and accumulates exactly what assemble() returns', () => {
  const names = FIXTURE_NAMES.filter((name) => name !== 'cut-stream');

  it.each(names)('%s: responses.stream().finalResponse()', async (name) => {
    const chunks = fixture(name);
    const sse = stream(chunks).join('');
    checkInvariants(events(sse));
    const expected = assembled(chunks);
    expect(sent(await sdkFinalResponse(sse))).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(expected).toMatchObject({ id: 'resp_test', object: 'response', model: 'gpt-5-codex' });
  });

  it.each(names)('%s: responses.create({stream:true}) yields every event as sent', async (name) => {
    const chunks = fixture(name);
    const sse = stream(chunks).join('');
    const list = await sdkEvents(sse);
    expect(list).toEqual(events(sse));
    expect(list.at(-1)!.response).toEqual(JSON.parse(JSON.stringify(assembled(chunks))));
  });

  it('an empty stream is created, in progress, completed with no output', async () => {
    const sse = stream([]).join('');
    expect(events(sse).map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.completed',
    ]);
    const response = await sdkFinalResponse(sse);
    expect(response.output).toEqual([]);
    expect(response.output_text).toBe('');
    expect(sent(response)).toEqual(JSON.parse(JSON.stringify(assembled([]))));
  });
});

describe('a stream cut in the middle ends with response.failed, never just closing', () => {
  const error: ProtocolError = { status: 503, code: 'unavailable', message: 'The upstream stream broke.' };

  function cut(chunks: readonly UpstreamChunk[], failure = error): string {
    const responder = createResponsesResponder(options('claude'));
    let sse = '';
    for (const chunk of chunks) sse += responder.event(chunk);
    sse += responder.fail(failure);
    expect(responder.close()).toBe('');
    return sse;
  }

  it('keeps the items as far as they got; the SDK ends on the failed Response', async () => {
    const sse = cut(fixture('cut-stream'));
    const list = events(sse);
    checkInvariants(list);
    expect(list.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.delta',
      'response.failed',
    ]);
    const failed = list.at(-1)!.response as Record<string, unknown>;
    expect(failed).toMatchObject({
      status: 'failed',
      error: { code: 'server_error', message: 'The upstream stream broke.' },
      incomplete_details: null,
      output: [
        {
          id: 'rs_1',
          type: 'reasoning',
          summary: [{ type: 'summary_text', text: 'Weighing the options carefully\u2026' }],
        },
      ],
    });
    const response = await sdkFinalResponse(sse);
    expect(response.status).toBe('failed');
    expect(sent(response)).toEqual(failed);
    expect(await sdkEvents(sse)).toEqual(list);
  });

  it('mid-message: the message is incomplete with its text so far', () => {
    const chunks: UpstreamChunk[] = [
      { response: { candidates: [{ content: { parts: [{ text: 'Half an ans' }] } }] } },
    ];
    const failed = events(cut(chunks)).at(-1)!.response as { output: unknown[] };
    expect(failed.output).toEqual([
      {
        id: 'msg_1',
        type: 'message',
        status: 'incomplete',
        role: 'assistant',
        content: [{ type: 'output_text', text: 'Half an ans', annotations: [], logprobs: [] }],
      },
    ]);
  });

  it('before any event: created, in progress, failed; a rate limit carries the retry hint Codex parses', async () => {
    const sse = createResponsesResponder(options('gemini')).fail({
      status: 429,
      code: 'rate_limited',
      message: 'Resource exhausted',
      retryAfterSeconds: 12,
    });
    const list = events(sse);
    checkInvariants(list);
    expect(list.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.failed',
    ]);
    expect((list[2]!.response as { error: unknown }).error).toEqual({
      code: 'rate_limit_exceeded',
      message: 'Resource exhausted. Please try again in 12s.',
    });
    expect(/try again in\s*(\d+(?:\.\d+)?)\s*(s|ms|seconds?)/i.exec(JSON.stringify(list[2]))?.[1]).toBe('12');
    expect((await sdkFinalResponse(sse)).status).toBe('failed');
  });

  it('after close(), fail() writes nothing', () => {
    const responder = createResponsesResponder(options('claude'));
    responder.close();
    expect(responder.fail(error)).toBe('');
    expect(responder.event(fixture('plain-text')[0]!)).toBe('');
  });
});
