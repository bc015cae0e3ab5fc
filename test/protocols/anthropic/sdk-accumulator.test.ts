import { readdirSync } from 'node:fs';
import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import type { UpstreamChunk } from '../../../src/google/generate-client.ts';
import type { ProtocolError } from '../../../src/proxy/adapter.ts';
import { createMessagesResponder } from '../../../src/protocols/anthropic/responder.ts';
import {
  FIXTURES,
  fixture,
  recorderStub,
  options,
  familyOf,
  stream,
  events,
  sdkFinalMessage,
  usage,
} from './replay.ts';

const NAMES = readdirSync(FIXTURES)
  .filter((file) => file.endsWith('.chunks.txt'))
  .map((file) => file.slice(0, -'.chunks.txt'.length))
  .filter((name) => name !== 'cut-stream')
  .sort();

describe('the official SDK accepts every stream, and accumulates exactly what assemble() returns', () => {
  it.each(NAMES)('%s', async (name) => {
    const sse = stream(name).join('');
    const fromSdk = await sdkFinalMessage(sse);
    const assembled = createMessagesResponder(options(familyOf(name))).assemble(fixture(name));
    expect(fromSdk).toEqual(assembled);
    expect(assembled).toMatchObject({
      id: 'msg_test',
      type: 'message',
      role: 'assistant',
      stop_sequence: null,
    });
  });

  it('an empty stream', async () => {
    const sse = createMessagesResponder(options('claude')).close();
    const assembled = createMessagesResponder(options('claude')).assemble([]);
    expect(await sdkFinalMessage(sse)).toEqual(assembled);
    expect(assembled).toEqual({
      id: 'msg_test',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-6',
      content: [],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: usage(0, 0),
    });
  });

  it('the cut stream: the SDK throws an APIError of the event\u2019s type', async () => {
    const responder = createMessagesResponder(options('claude'));
    let sse = '';
    for (const chunk of fixture('cut-stream')) sse += responder.event(chunk);
    const error: ProtocolError = { status: 529, code: 'overloaded', message: 'Overloaded' };
    sse += responder.fail(error);
    const thrown = await sdkFinalMessage(sse).catch((caught: unknown) => caught);
    expect(thrown).toBeInstanceOf(Anthropic.APIError);
    expect(thrown).toMatchObject({ type: 'overloaded_error', apiMessage: 'Overloaded' });
  });

  it('fail() before any event is the error event alone', async () => {
    const sse = createMessagesResponder(options('claude')).fail({
      status: 429,
      code: 'rate_limited',
      message: 'Slow down',
    });
    expect(events(sse)).toEqual([
      { type: 'error', error: { type: 'rate_limit_error', message: 'Slow down' } },
    ]);
    await expect(sdkFinalMessage(sse)).rejects.toMatchObject({ type: 'rate_limit_error' });
  });
});

describe('edge rules', () => {
  const chunk = (
    parts: Array<Record<string, unknown>>,
    extra: Record<string, unknown> = {},
  ): UpstreamChunk => ({
    response: { candidates: [{ content: { role: 'model', parts }, ...extra }] },
  });

  function run(family: 'claude' | 'gemini', chunks: UpstreamChunk[], recorder = recorderStub()) {
    const responder = createMessagesResponder(options(family, recorder));
    let sse = '';
    for (const c of chunks) sse += responder.event(c);
    sse += responder.close();
    const assembled = createMessagesResponder(options(family)).assemble(chunks);
    return { sse, assembled, blocks: events(sse).filter((e) => e.type === 'content_block_start') };
  }

  it('a Gemini signature on visible text with no thought shown adds no thinking block; a Claude one does', async () => {
    const chunks = [chunk([{ text: 'Hi', thoughtSignature: 'EqwSIG-on-visible-text' }])];
    const gemini = run('gemini', chunks);
    expect(gemini.assembled.content).toEqual([{ type: 'text', text: 'Hi' }]);
    const claude = run('claude', chunks);
    expect(claude.assembled.content).toEqual([
      { type: 'thinking', thinking: '', signature: 'EqwSIG-on-visible-text' },
      { type: 'text', text: 'Hi' },
    ]);
    expect(await sdkFinalMessage(claude.sse)).toEqual(claude.assembled);
  });

  it('a carrier repeating the signature already relayed adds nothing', () => {
    const { assembled } = run('claude', [
      chunk([{ text: 'hmm', thought: true, thoughtSignature: 'R-sig' }, { text: 'ok' }]),
      chunk([{ text: '', thoughtSignature: 'R-sig' }], { finishReason: 'STOP' }),
    ]);
    expect(assembled.content).toEqual([
      { type: 'thinking', thinking: 'hmm', signature: 'R-sig' },
      { type: 'text', text: 'ok' },
    ]);
  });

  it('thought images are drafts: skipped; an image without a mime type is a PNG', () => {
    const { assembled } = run('gemini', [
      chunk([
        { inlineData: { mimeType: 'image/png', data: 'draft' }, thought: true },
        { inlineData: { data: 'final' } },
      ]),
    ]);
    expect(assembled.content).toEqual([
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'final' } },
    ]);
  });

  it('cumulative grounding metadata does not repeat a query; several queries share the pages', async () => {
    const grounding = (queries: string[]) => ({
      groundingMetadata: {
        webSearchQueries: queries,
        groundingChunks: [{ web: { uri: 'https://a', title: 'A' } }],
      },
    });
    const { sse, assembled } = run('gemini', [
      chunk([{ text: 'x' }], grounding(['q1'])),
      chunk([{ text: 'y' }], { ...grounding(['q1', 'q2']), finishReason: 'STOP' }),
    ]);
    expect(assembled.content.map((block) => block.type)).toEqual([
      'text',
      'server_tool_use',
      'web_search_tool_result',
      'text',
      'server_tool_use',
      'web_search_tool_result',
    ]);
    expect(assembled.usage.server_tool_use).toEqual({ web_search_requests: 2 });
    expect(await sdkFinalMessage(sse)).toEqual(assembled);
  });

  it('only totalTokenCount: candidates = total - prompt - thoughts, output = candidates + thoughts', () => {
    const { assembled } = run('gemini', [
      {
        response: {
          candidates: [{ content: { parts: [{ text: 'a' }] }, finishReason: 'STOP' }],
          usageMetadata: { promptTokenCount: 10, thoughtsTokenCount: 4, totalTokenCount: 20 },
        },
      },
    ]);
    expect(assembled.usage).toEqual(usage(10, 6 + 4));
  });
});
