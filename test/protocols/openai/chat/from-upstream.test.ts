import { describe, expect, it } from 'vitest';
import type { UpstreamChunk } from '../../../../src/google/generate-client.ts';
import { createChatResponder } from '../../../../src/protocols/openai/chat/responder.ts';
import { chunks, deltas, fixture, options, recorderStub, stream, usage, type Chunk } from './replay.ts';

const CLAUDE_SIG = 'RXBnQkNrZ0lEQkFDR0FJcVFJdGhpbmtpbmdzaWduYXR1cmVvZmNsYXVkZXNvbm5ldDQ2';
const ACCT = { accountId: 'acct-1' };

/** The finish reason and usage of a finished stream. */
function ending(sse: string): { finish: unknown; usage: unknown } {
  const data = chunks(sse).filter((chunk): chunk is Chunk => chunk !== '[DONE]');
  const choices = data.filter((chunk) => chunk.choices.length > 0);
  return {
    finish: choices.at(-1)!.choices[0]!.finish_reason,
    usage: data.find((chunk) => chunk.choices.length === 0)?.usage,
  };
}

describe('v1internal stream \u2192 Chat Completions chunks (fixtures)', () => {
  it('plain text: role in the first delta, empty parts skipped, whitespace kept', () => {
    const sse = stream('plain-text').join('');
    expect(deltas(sse)).toEqual([
      { role: 'assistant', content: 'Hello' },
      { content: ' ' },
      { content: 'world!' },
      { content: '\n' },
      {},
    ]);
    expect(ending(sse)).toEqual({ finish: 'stop', usage: usage(25, 4) });
  });

  it('thinking + text: thought text as reasoning_content, the signature recorded as Claude\u2019s', () => {
    const signatures = recorderStub();
    const out = stream('thinking-text', { signatures });
    expect(deltas(out.join(''))).toEqual([
      { role: 'assistant', reasoning_content: 'The user wants' },
      { reasoning_content: ' a greeting.' },
      { content: 'Hello' },
      { content: ' there!' },
      {},
    ]);
    // Each upstream event is written as it arrives.
    expect(deltas(out[0]!)).toEqual([{ role: 'assistant', reasoning_content: 'The user wants' }]);
    expect(ending(out.join(''))).toEqual({ finish: 'stop', usage: usage(1200, 33, 1024, 30) });
    expect(signatures.thinking).toEqual([{ signature: CLAUDE_SIG, issuer: { family: 'claude', ...ACCT } }]);
    expect(signatures.calls).toEqual([]);
  });

  it('a signature on a trailing empty carrier part: recorded, nothing shown', () => {
    const signatures = recorderStub();
    const sse = stream('trailing-carrier-signature', { signatures }).join('');
    expect(deltas(sse)).toEqual([
      { role: 'assistant', reasoning_content: 'Plan: list the files.' },
      { content: 'Listing them now.' },
      {},
    ]);
    expect(signatures.thinking.map((entry) => entry.signature)).toEqual([
      'RXBnQkNrZ0lEQkFDR0FJcVFJdHJhaWxpbmdjYXJyaWVyc2lnbmF0dXJlb2ZjbGF1ZGVvcHVz',
    ]);
  });

  it('several tool calls in one chunk: id, type and name first, then the arguments; names restored', () => {
    const signatures = recorderStub();
    const sse = stream('parallel-tool-calls', { signatures }).join('');
    const call = (index: number, id: string, name: string) => ({
      tool_calls: [{ index, id, type: 'function', function: { name, arguments: '' } }],
    });
    const args = (index: number, json: string) => ({
      tool_calls: [{ index, function: { arguments: json } }],
    });
    expect(deltas(sse)).toEqual([
      { role: 'assistant', reasoning_content: 'I need both files.' },
      { content: 'Reading them.' },
      call(0, 'toolu_vrtx_01AbCdEfGhIjKlMnOpQrStUv', 'Read'),
      args(0, '{"file_path":"/src/a.ts"}'),
      call(1, 'toolu_vrtx_01ZyXwVuTsRqPoNmLkJiHgFe', 'mcp.fs.read_file'),
      args(1, '{"path":"/src/b.ts","limit":20}'),
      call(2, 'toolu_vrtx_01NoArgsNoArgsNoArgsNoAr', 'TodoRead'),
      args(2, '{}'),
      {},
    ]);
    expect(ending(sse)).toEqual({ finish: 'tool_calls', usage: usage(5000, 72, 4096, 12) });
    // Claude's thinking signature is kept for the first call, so a replay can find it by the call's id.
    const sig = 'RXBnQkNrZ0lEQkFDR0FJcVFJdG9vbGxvb3B0aGlua2luZ3NpZ25hdHVyZW9mY2xhdWRlc29ubmV0';
    expect(signatures.calls).toEqual([
      {
        id: 'toolu_vrtx_01AbCdEfGhIjKlMnOpQrStUv',
        signature: sig,
        issuer: { family: 'claude', ...ACCT },
        sessionKey: 'session-1',
      },
    ]);
  });

  it('Claude: a carrier signature after the calls still goes to the first call', () => {
    const signatures = recorderStub();
    const sse = stream('claude-calls-then-carrier', { signatures }).join('');
    expect(deltas(sse)[1]).toEqual({
      tool_calls: [
        {
          index: 0,
          id: 'toolu_vrtx_01ListDirListDirListDirLi',
          type: 'function',
          function: { name: 'list_dir', arguments: '' },
        },
      ],
    });
    const sig = 'RXBnQkNrZ0lEQkFDR0FJcVFJbGF0ZWNhcnJpZXJhZnRlcnRvb2xjYWxsc2NsYXVkZXNvbm5ldA==';
    expect(signatures.thinking).toEqual([{ signature: sig, issuer: { family: 'claude', ...ACCT } }]);
    expect(signatures.calls.map(({ id, signature }) => ({ id, signature }))).toEqual([
      { id: 'toolu_vrtx_01ListDirListDirListDirLi', signature: sig },
    ]);
  });

  it('Gemini calls without ids get call_ ids; the first call\u2019s own signature is recorded by that id', () => {
    const signatures = recorderStub();
    const sse = stream('gemini-tool-call', { signatures }).join('');
    expect(deltas(sse)).toEqual([
      { role: 'assistant', reasoning_content: 'Let me check the weather.' },
      {
        tool_calls: [
          { index: 0, id: 'call_gen_1', type: 'function', function: { name: 'get_weather', arguments: '' } },
        ],
      },
      { tool_calls: [{ index: 0, function: { arguments: '{"city":"Paris"}' } }] },
      {
        tool_calls: [
          { index: 1, id: 'call_gen_2', type: 'function', function: { name: 'get_time', arguments: '' } },
        ],
      },
      { tool_calls: [{ index: 1, function: { arguments: '{"tz":"Europe/Paris"}' } }] },
      {},
    ]);
    expect(signatures.calls).toEqual([
      {
        id: 'call_gen_1',
        signature: 'EqwCCqkCARFNMg9aFirstFunctionCallSignatureOfGemini3',
        issuer: { family: 'gemini', ...ACCT },
        sessionKey: 'session-1',
      },
    ]);
    expect(signatures.thinking).toEqual([]);
  });

  it('Gemini: a signature on visible text before an unsigned call is kept for that call', () => {
    const signatures = recorderStub();
    stream('gemini-signed-text-then-call', { signatures });
    const sig = 'EqwCCqkCARFNMg9aGeminiSignatureOnTextBeforeTheCall';
    expect(signatures.thinking).toEqual([{ signature: sig, issuer: { family: 'gemini', ...ACCT } }]);
    expect(signatures.calls.map(({ id, signature }) => ({ id, signature }))).toEqual([
      { id: 'call_gen_1', signature: sig },
    ]);
  });

  it('image output: a markdown data URL in content, as the peers do', () => {
    const sse = stream('image-output').join('');
    expect(deltas(sse)).toEqual([
      { role: 'assistant', content: 'Here is a red dot:' },
      {
        content:
          '![image](data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==)',
      },
      {},
    ]);
  });

  it('MAX_TOKENS is length, never max_tokens', () => {
    expect(ending(stream('max-tokens').join('')).finish).toBe('length');
  });

  it('a safety stop and a blocked prompt are content_filter', () => {
    expect(ending(stream('safety-stop').join('')).finish).toBe('content_filter');
    const blocked = stream('blocked-prompt').join('');
    expect(deltas(blocked)).toEqual([{ role: 'assistant', content: '' }]);
    expect(ending(blocked)).toEqual({ finish: 'content_filter', usage: usage(21, 0) });
  });

  it('usage only in the last chunk: the final counts are used', () => {
    const sse = stream('usage-last-chunk').join('');
    expect(deltas(sse)).toEqual([
      { role: 'assistant', reasoning_content: 'Four' },
      { content: '2 + 2 = 4' },
      {},
    ]);
    expect(ending(sse)).toEqual({ finish: 'stop', usage: usage(700, 10, 512, 3) });
  });

  it('an upstream that ends without a finish reason still ends properly, with stop', () => {
    const sse = stream('no-finish-reason').join('');
    expect(deltas(sse)).toEqual([{ role: 'assistant', content: 'The answer is' }, { content: ' 42.' }, {}]);
    expect(ending(sse)).toEqual({ finish: 'stop', usage: usage(14, 5) });
    expect(sse.endsWith('data: [DONE]\n\n')).toBe(true);
  });
});

describe('edge rules', () => {
  const chunk = (
    parts: Array<Record<string, unknown>>,
    extra: Record<string, unknown> = {},
  ): UpstreamChunk => ({
    response: { candidates: [{ content: { role: 'model', parts }, ...extra }] },
  });

  it('a tool call first: content null beside it, and null in the completion', () => {
    const chunks = [
      chunk([{ functionCall: { id: 'c1', name: 'f', args: { a: 1 } } }], { finishReason: 'STOP' }),
    ];
    const responder = createChatResponder(options('gemini'));
    const sse = chunks.map((c) => responder.event(c)).join('') + responder.close();
    expect(deltas(sse)[0]).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [{ index: 0, id: 'c1', type: 'function', function: { name: 'f', arguments: '' } }],
    });
    const message = createChatResponder(options('gemini')).assemble(chunks).choices[0]!.message;
    expect(message).toEqual({
      role: 'assistant',
      content: null,
      refusal: null,
      tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }],
    });
  });

  it('reasoning only (cut by MAX_TOKENS while thinking): content ends as an empty string', () => {
    const chunks = [chunk([{ text: 'hmm', thought: true }], { finishReason: 'MAX_TOKENS' })];
    const completion = createChatResponder(options('gemini')).assemble(chunks);
    expect(completion.choices[0]).toMatchObject({
      message: { content: '', reasoning_content: 'hmm' },
      finish_reason: 'length',
    });
  });

  it('thought images are drafts; an image without a mime type is a PNG; args that are not an object are {}', () => {
    const completion = createChatResponder(options('gemini')).assemble([
      chunk([
        { inlineData: { mimeType: 'image/png', data: 'draft' }, thought: true },
        { inlineData: { data: 'final' } },
        { functionCall: { name: 'g', args: [1, 2] } },
      ]),
    ]);
    expect(completion.choices[0]!.message).toMatchObject({
      content: '![image](data:image/png;base64,final)',
      tool_calls: [{ id: 'call_gen_1', function: { name: 'g', arguments: '{}' } }],
    });
  });

  it('assemble() records the signatures as the account that answered', () => {
    const signatures = recorderStub();
    const responder = createChatResponder(options('claude', { signatures }));
    responder.servedBy('acct-7');
    responder.assemble(fixture('thinking-text'));
    expect(signatures.thinking).toEqual([
      { signature: CLAUDE_SIG, issuer: { family: 'claude', accountId: 'acct-7' } },
    ]);
  });

  it('ids: chatcmpl- and call_ with alphanumerics; created in seconds', () => {
    const responder = createChatResponder({
      requestedModel: 'm',
      family: 'gemini',
      toolNames: new Map(),
      signatures: recorderStub(),
      includeUsage: false,
    });
    const completion = responder.assemble([chunk([{ functionCall: { name: 'f', args: {} } }])]);
    expect(completion.id).toMatch(/^chatcmpl-[A-Za-z0-9]{29}$/);
    expect(completion.choices[0]!.message.tool_calls![0]!.id).toMatch(/^call_[A-Za-z0-9]{24}$/);
    expect(Math.abs(completion.created - Date.now() / 1000)).toBeLessThan(5);
    expect(responder.contentType).toBe('text/event-stream');
    expect(responder.keepAlive?.text).toBe(': keep-alive\n\n');
  });
});
