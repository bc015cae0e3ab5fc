import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { ProtocolError } from '../../../../src/proxy/adapter.ts';
import { createChatResponder } from '../../../../src/protocols/openai/chat/responder.ts';
import {
  chunks,
  CREATED,
  deltas,
  familyOf,
  fixture,
  fixtureNames,
  ID,
  MODEL,
  options,
  sdkChunks,
  sdkFinalCompletion,
  stream,
  usage,
  type Chunk,
} from './replay.ts';

type Json = Record<string, unknown>;

const FINISH_REASONS = ['stop', 'length', 'tool_calls', 'content_filter'];

/** The invariants of wire.md §5.3 that OSDK's ChatCompletionStream and other clients rely on. */
function checkInvariants(sse: string, includeUsage: boolean): void {
  const all = chunks(sse);
  expect(all.at(-1)).toBe('[DONE]');
  expect(all.filter((chunk) => chunk === '[DONE]')).toHaveLength(1);
  const data = all.slice(0, -1) as Chunk[];
  for (const chunk of data) {
    expect(chunk).toMatchObject({ id: ID, object: 'chat.completion.chunk', created: CREATED, model: MODEL });
    if (includeUsage) expect(chunk).toHaveProperty('usage');
    else expect(chunk).not.toHaveProperty('usage');
  }
  const choiceChunks = data.filter((chunk) => chunk.choices.length > 0);
  expect(choiceChunks[0]!.choices[0]!.delta).toMatchObject({ role: 'assistant' });
  choiceChunks.slice(1).forEach((chunk) => expect(chunk.choices[0]!.delta).not.toHaveProperty('role'));
  // finish_reason only on the last choice chunk, and only a standard value.
  choiceChunks.slice(0, -1).forEach((chunk) => expect(chunk.choices[0]!.finish_reason).toBeNull());
  expect(FINISH_REASONS).toContain(choiceChunks.at(-1)!.choices[0]!.finish_reason);
  // Exactly one usage chunk, with no choices, right before [DONE] (only when asked for).
  const usageChunks = data.filter((chunk) => chunk.choices.length === 0);
  expect(usageChunks).toHaveLength(includeUsage ? 1 : 0);
  if (includeUsage) expect(data.at(-1)!.choices).toEqual([]);
  // Each tool call: id, type and name on its first delta, never again; arguments are JSON.
  const seen = new Map<number, string>();
  for (const delta of deltas(sse)) {
    for (const call of (delta.tool_calls ?? []) as Json[]) {
      const index = call.index as number;
      const fn = call.function as Json;
      if (!seen.has(index)) {
        expect(call).toMatchObject({ id: expect.any(String), type: 'function' });
        expect(fn.name).toEqual(expect.any(String));
        seen.set(index, '');
      } else {
        expect(call).not.toHaveProperty('id');
        expect(fn).not.toHaveProperty('name');
      }
      seen.set(index, seen.get(index)! + (fn.arguments as string));
    }
  }
  for (const args of seen.values()) expect(JSON.parse(args)).toEqual(expect.any(Object));
}

/** The SDK's helpers add `parsed`; it keeps only the last `reasoning_content` fragment (an unknown field). */
function comparable(completion: Json): Json {
  const choices = (completion.choices as Json[]).map((choice) => {
    const { parsed: _parsed, reasoning_content: _reasoning, ...message } = choice.message as Json;
    return { ...choice, message };
  });
  return { ...completion, choices };
}

function reasoningDeltas(sse: string): string[] {
  return deltas(sse).flatMap((delta) =>
    typeof delta.reasoning_content === 'string' ? [delta.reasoning_content] : [],
  );
}

describe('the official SDK accepts every stream, and accumulates exactly what assemble() returns', () => {
  it.each(fixtureNames())('%s', async (name) => {
    const sse = stream(name).join('');
    checkInvariants(sse, true);
    const assembled = createChatResponder(options(familyOf(name))).assemble(fixture(name)) as unknown as Json;
    const fromSdk = await sdkFinalCompletion(sse);
    expect(comparable(fromSdk)).toEqual(comparable(assembled));

    // reasoning_content: the deltas concatenate to the assembled text; the SDK passes them through.
    const message = (assembled.choices as Json[])[0]!.message as Json;
    const reasoning = reasoningDeltas(sse);
    expect(reasoning.join('') || undefined).toEqual(message.reasoning_content);
    expect(((fromSdk.choices as Json[])[0]!.message as Json).reasoning_content).toEqual(reasoning.at(-1));

    // The SDK's plain stream parser reads the same chunks we wrote.
    const parsed = (chunks(sse).slice(0, -1) as Chunk[]).map((chunk) => ({
      ...chunk,
      choices: chunk.choices.map((choice) => ({ ...choice })),
    }));
    expect(JSON.parse(JSON.stringify(await sdkChunks(sse)))).toEqual(parsed);
  });

  it('without include_usage: no usage anywhere in the stream; the non-stream answer still has it', async () => {
    const sse = stream('thinking-text', { includeUsage: false }).join('');
    checkInvariants(sse, false);
    const fromSdk = await sdkFinalCompletion(sse, false);
    expect(fromSdk).not.toHaveProperty('usage');
    const assembled = createChatResponder(options('claude', { includeUsage: false })).assemble(
      fixture('thinking-text'),
    );
    expect(assembled.usage).toEqual(usage(1200, 33, 1024, 30));
    const { usage: _usage, ...rest } = assembled as unknown as Json;
    expect(comparable(fromSdk)).toEqual(comparable(rest));
  });

  it('an empty stream: role, empty content and finish_reason stop in one chunk', async () => {
    const responder = createChatResponder(options('gemini'));
    const sse = responder.close();
    checkInvariants(sse, true);
    const assembled = createChatResponder(options('gemini')).assemble([]);
    expect(comparable(await sdkFinalCompletion(sse))).toEqual(comparable(assembled as unknown as Json));
    expect(assembled).toEqual({
      id: ID,
      object: 'chat.completion',
      created: CREATED,
      model: MODEL,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: '', refusal: null },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: usage(0, 0),
    });
  });

  it('a stream cut in the middle: fail() writes the error chunk and [DONE]; the SDK throws an APIError', async () => {
    const responder = createChatResponder(options('claude'));
    let sse = '';
    for (const chunk of fixture('cut-stream')) sse += responder.event(chunk);
    const error: ProtocolError = { status: 503, code: 'unavailable', message: 'The upstream stream broke' };
    sse += responder.fail(error);
    const all = chunks(sse);
    expect(all.slice(-2)).toEqual([
      {
        error: {
          message: 'The upstream stream broke',
          type: 'server_error',
          param: null,
          code: 'service_unavailable',
        },
      },
      '[DONE]',
    ]);
    // No finish reason: the answer did not finish.
    expect(sse).not.toContain('"finish_reason":"');
    const thrown = await sdkFinalCompletion(sse).catch((caught: unknown) => caught);
    expect(thrown).toBeInstanceOf(OpenAI.APIError);
    expect(thrown).toMatchObject({ message: 'The upstream stream broke', code: 'service_unavailable' });
    // Nothing after the end.
    expect(responder.close()).toBe('');
    expect(responder.event(fixture('plain-text')[0]!)).toBe('');
  });

  it('fail() before any event is the error chunk alone, then [DONE]', async () => {
    const sse = createChatResponder(options('gemini')).fail({
      status: 429,
      code: 'rate_limited',
      message: 'Slow down',
    });
    expect(chunks(sse)).toEqual([
      { error: { message: 'Slow down', type: 'rate_limit_error', param: null, code: 'rate_limit_exceeded' } },
      '[DONE]',
    ]);
    await expect(sdkFinalCompletion(sse)).rejects.toBeInstanceOf(OpenAI.APIError);
  });
});
