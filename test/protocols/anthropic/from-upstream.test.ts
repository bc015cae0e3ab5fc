import { describe, expect, it } from 'vitest';
import { createMessagesResponder } from '../../../src/protocols/anthropic/responder.ts';
import {
  fixture,
  recorderStub,
  options,
  stream,
  events,
  usage,
  messageStart,
  messageDelta,
  MESSAGE_STOP,
  start,
  delta,
  stop,
  THINKING,
  TEXT,
  thinking,
  text,
  signature,
  toolUse,
} from './replay.ts';

const CLAUDE_SIG = 'RXBnQkNrZ0lEQkFDR0FJcVFJdGhpbmtpbmdzaWduYXR1cmVvZmNsYXVkZXNvbm5ldDQ2';

describe('v1internal stream \u2192 Messages SSE (fixtures)', () => {
  it('plain text: one text block, empty parts skipped, whitespace kept', () => {
    expect(events(stream('plain-text').join(''))).toEqual([
      messageStart(usage(25, 1)),
      start(0, TEXT),
      text(0, 'Hello'),
      text(0, ' '),
      text(0, 'world!'),
      text(0, '\n'),
      stop(0),
      messageDelta('end_turn', usage(25, 4)),
      MESSAGE_STOP,
    ]);
  });

  it('thinking + text: signature_delta right before the thinking block stops; cached tokens apart', () => {
    const recorder = recorderStub();
    const out = stream('thinking-text', recorder);
    expect(events(out.join(''))).toEqual([
      messageStart(usage(176, 1, 1024)),
      start(0, THINKING),
      thinking(0, 'The user wants'),
      thinking(0, ' a greeting.'),
      signature(0, CLAUDE_SIG),
      stop(0),
      start(1, TEXT),
      text(1, 'Hello'),
      text(1, ' there!'),
      stop(1),
      messageDelta('end_turn', usage(176, 33, 1024)),
      MESSAGE_STOP,
    ]);
    // message_start is the first event of the first upstream event.
    expect(events(out[0]!)[0]!.type).toBe('message_start');
    expect(recorder.thinking).toEqual([
      { signature: CLAUDE_SIG, issuer: { family: 'claude', accountId: 'acct-1' } },
    ]);
  });

  it('Gemini: the signature on the first visible part closes the thinking block', () => {
    const recorder = recorderStub();
    const sig = 'EqwCCqkCARFNMg9aGeminiSignatureOnTheFirstVisiblePart';
    expect(events(stream('gemini-signature-on-text', recorder).join(''))).toEqual([
      messageStart(usage(1200, 1)),
      start(0, THINKING),
      thinking(0, 'The user wants'),
      thinking(0, ' a greeting.'),
      signature(0, sig),
      stop(0),
      start(1, TEXT),
      text(1, 'Hello'),
      text(1, ' there!'),
      stop(1),
      messageDelta('end_turn', usage(1200, 33)),
      MESSAGE_STOP,
    ]);
    expect(recorder.thinking).toEqual([
      { signature: sig, issuer: { family: 'gemini', accountId: 'acct-1' } },
    ]);
  });

  it('a signature on a trailing empty carrier part: the thinking block waits for it', () => {
    const sig = 'RXBnQkNrZ0lEQkFDR0FJcVFJdHJhaWxpbmdjYXJyaWVyc2lnbmF0dXJlb2ZjbGF1ZGVvcHVz';
    const out = stream('trailing-carrier-signature');
    // The carrier alone writes nothing: the block stays open until the first non-thought part.
    expect(out[1]).toBe('');
    expect(events(out.join(''))).toEqual([
      messageStart(usage(300, 8)),
      start(0, THINKING),
      thinking(0, 'Plan: list the files.'),
      signature(0, sig),
      stop(0),
      start(1, TEXT),
      text(1, 'Listing them now.'),
      stop(1),
      messageDelta('end_turn', usage(300, 12)),
      MESSAGE_STOP,
    ]);
  });

  it('a carrier after the visible text: an extra thinking block that carries only the signature', () => {
    const recorder = recorderStub();
    const sig = 'EqwCCqkCARFNMg9aLateCarrierAfterVisibleTextSignature';
    expect(events(stream('carrier-after-text', recorder).join(''))).toEqual([
      messageStart(usage(90, 4)),
      start(0, THINKING),
      thinking(0, 'Short answer.'),
      stop(0),
      start(1, TEXT),
      text(1, 'Yes.'),
      stop(1),
      start(2, THINKING),
      signature(2, sig),
      stop(2),
      messageDelta('end_turn', usage(90, 6)),
      MESSAGE_STOP,
    ]);
    expect(recorder.thinking.map((entry) => entry.signature)).toEqual([sig]);
  });

  it('several tool calls in one chunk: upstream ids kept, names restored, stop_reason tool_use', () => {
    const recorder = recorderStub();
    expect(events(stream('parallel-tool-calls', recorder).join(''))).toEqual([
      messageStart(usage(904, 12, 4096)),
      start(0, THINKING),
      thinking(0, 'I need both files.'),
      signature(0, 'RXBnQkNrZ0lEQkFDR0FJcVFJdG9vbGxvb3B0aGlua2luZ3NpZ25hdHVyZW9mY2xhdWRlc29ubmV0'),
      stop(0),
      start(1, TEXT),
      text(1, 'Reading them.'),
      stop(1),
      ...toolUse(2, 'toolu_vrtx_01AbCdEfGhIjKlMnOpQrStUv', 'Read', '{"file_path":"/src/a.ts"}'),
      ...toolUse(
        3,
        'toolu_vrtx_01ZyXwVuTsRqPoNmLkJiHgFe',
        'mcp.fs.read_file',
        '{"path":"/src/b.ts","limit":20}',
      ),
      ...toolUse(4, 'toolu_vrtx_01NoArgsNoArgsNoArgsNoAr', 'TodoRead', '{}'),
      messageDelta('tool_use', usage(904, 72, 4096)),
      MESSAGE_STOP,
    ]);
    expect(recorder.calls).toEqual([]);
  });

  it('a Gemini tool call: new toolu_ ids, and its signature recorded with the account from servedBy', () => {
    const recorder = recorderStub();
    expect(events(stream('gemini-tool-call', recorder).join(''))).toEqual([
      messageStart(usage(40, 6)),
      start(0, THINKING),
      thinking(0, 'Let me check the weather.'),
      stop(0),
      ...toolUse(1, 'toolu_gen_1', 'get_weather', '{"city":"Paris"}'),
      ...toolUse(2, 'toolu_gen_2', 'get_time', '{"tz":"Europe/Paris"}'),
      messageDelta('tool_use', usage(40, 18)),
      MESSAGE_STOP,
    ]);
    expect(recorder.calls).toEqual([
      {
        id: 'toolu_gen_1',
        signature: 'EqwCCqkCARFNMg9aFirstFunctionCallSignatureOfGemini3',
        issuer: { family: 'gemini', accountId: 'acct-1' },
        sessionKey: 'session-1',
      },
    ]);
    // The call's signature is the call's: it does not sign the thinking block.
    expect(recorder.thinking).toEqual([]);
  });

  it('image output: an image block, start and stop', () => {
    const data =
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
    expect(events(stream('image-output').join(''))).toEqual([
      messageStart(usage(12, 5)),
      start(0, TEXT),
      text(0, 'Here is a red dot:'),
      stop(0),
      start(1, { type: 'image', source: { type: 'base64', media_type: 'image/png', data } }),
      stop(1),
      messageDelta('end_turn', usage(12, 1295)),
      MESSAGE_STOP,
    ]);
  });

  it('MAX_TOKENS \u2192 max_tokens', () => {
    expect(events(stream('max-tokens').join(''))).toEqual([
      messageStart(usage(18, 6)),
      start(0, TEXT),
      text(0, 'Once upon a time there was'),
      text(0, ' a'),
      stop(0),
      messageDelta('max_tokens', usage(18, 8)),
      MESSAGE_STOP,
    ]);
  });

  it('a safety stop \u2192 refusal, and a blocked prompt too', () => {
    expect(events(stream('safety-stop').join(''))).toEqual([
      messageStart(usage(33, 5)),
      start(0, TEXT),
      text(0, 'I can describe the general'),
      stop(0),
      messageDelta('refusal', usage(33, 5)),
      MESSAGE_STOP,
    ]);
    expect(events(stream('blocked-prompt').join(''))).toEqual([
      messageStart(usage(21, 1)),
      messageDelta('refusal', usage(21, 0)),
      MESSAGE_STOP,
    ]);
  });

  it('usage only in the last chunk: message_delta carries every final count', () => {
    expect(events(stream('usage-last-chunk').join(''))).toEqual([
      messageStart(usage(0, 1)),
      start(0, THINKING),
      thinking(0, 'Four'),
      signature(0, 'RXBnQkNrZ0lEQkFDR0FJcVFJdXNhZ2Vvbmx5aW50aGVsYXN0Y2h1bmtjbGF1ZGVzaWduYXR1cmU='),
      stop(0),
      start(1, TEXT),
      text(1, '2 + 2 = 4'),
      stop(1),
      messageDelta('end_turn', usage(188, 10, 512)),
      MESSAGE_STOP,
    ]);
  });

  it('a stream without parts, or with no event at all, is still a whole Messages stream', () => {
    expect(events(stream('usage-only').join(''))).toEqual([
      messageStart(usage(9, 1)),
      messageDelta('end_turn', usage(9, 0)),
      MESSAGE_STOP,
    ]);
    const responder = createMessagesResponder(options('claude'));
    expect(events(responder.close())).toEqual([
      messageStart(usage(0, 1)),
      messageDelta('end_turn', usage(0, 0)),
      MESSAGE_STOP,
    ]);
    expect(responder.close()).toBe('');
    expect(responder.event(fixture('plain-text')[0]!)).toBe('');
  });

  it('web search grounding: server_tool_use + web_search_tool_result, counted in usage', () => {
    const result = (url: string, title: string) => ({
      type: 'web_search_result',
      url,
      title,
      encrypted_content: '',
      page_age: null,
    });
    expect(events(stream('web-search').join(''))).toEqual([
      messageStart(usage(60, 9)),
      start(0, TEXT),
      text(0, 'The 2026 Tour de France starts in Barcelona'),
      text(0, ' on 4 July.'),
      stop(0),
      start(1, { type: 'server_tool_use', id: 'srvtoolu_gen_1', name: 'web_search', input: {} }),
      delta(1, { type: 'input_json_delta', partial_json: '{"query":"tour de france 2026 start"}' }),
      stop(1),
      start(2, {
        type: 'web_search_tool_result',
        tool_use_id: 'srvtoolu_gen_1',
        content: [
          result('https://vertexaisearch.cloud.google.com/grounding-api-redirect/AAA', 'letour.fr'),
          result('https://vertexaisearch.cloud.google.com/grounding-api-redirect/BBB', 'en.wikipedia.org'),
        ],
      }),
      stop(2),
      messageDelta('end_turn', { ...usage(60, 14), server_tool_use: { web_search_requests: 1 } }),
      MESSAGE_STOP,
    ]);
  });

  it('a stream cut in the middle ends with event: error (the open block is left as the cut left it)', () => {
    const responder = createMessagesResponder(options('claude'));
    responder.servedBy('acct-1');
    let sse = '';
    for (const chunk of fixture('cut-stream')) sse += responder.event(chunk);
    sse += responder.fail({ status: 529, code: 'overloaded', message: 'Overloaded' });
    expect(events(sse)).toEqual([
      messageStart(usage(150, 5)),
      start(0, THINKING),
      thinking(0, 'Weighing the options'),
      thinking(0, ' carefully\u2026'),
      { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
    ]);
    expect(responder.close()).toBe('');
    expect(responder.fail({ status: 500, code: 'x', message: 'again' })).toBe('');
  });

  it('stream framing, content type and keep-alive', () => {
    const responder = createMessagesResponder(options('claude'));
    expect(responder.contentType).toBe('text/event-stream; charset=utf-8');
    expect(responder.keepAlive).toEqual({ everyMs: 15000, text: 'event: ping\ndata: {"type":"ping"}\n\n' });
  });
});

describe('assemble(): the non-stream Message', () => {
  it('thinking with its signature, text, tool_use with parsed input, usage and stop_reason', () => {
    const recorder = recorderStub();
    const responder = createMessagesResponder(options('claude', recorder));
    responder.servedBy('acct-2');
    expect(responder.assemble(fixture('parallel-tool-calls'))).toEqual({
      id: 'msg_test',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-6',
      content: [
        {
          type: 'thinking',
          thinking: 'I need both files.',
          signature: 'RXBnQkNrZ0lEQkFDR0FJcVFJdG9vbGxvb3B0aGlua2luZ3NpZ25hdHVyZW9mY2xhdWRlc29ubmV0',
        },
        { type: 'text', text: 'Reading them.' },
        {
          type: 'tool_use',
          id: 'toolu_vrtx_01AbCdEfGhIjKlMnOpQrStUv',
          name: 'Read',
          input: { file_path: '/src/a.ts' },
        },
        {
          type: 'tool_use',
          id: 'toolu_vrtx_01ZyXwVuTsRqPoNmLkJiHgFe',
          name: 'mcp.fs.read_file',
          input: { path: '/src/b.ts', limit: 20 },
        },
        { type: 'tool_use', id: 'toolu_vrtx_01NoArgsNoArgsNoArgsNoAr', name: 'TodoRead', input: {} },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: usage(904, 72, 4096),
    });
    expect(recorder.thinking).toEqual([
      {
        signature: 'RXBnQkNrZ0lEQkFDR0FJcVFJdG9vbGxvb3B0aGlua2luZ3NpZ25hdHVyZW9mY2xhdWRlc29ubmV0',
        issuer: { family: 'claude', accountId: 'acct-2' },
      },
    ]);
  });

  it('a Gemini tool call records its signature from the non-stream path too', () => {
    const recorder = recorderStub();
    const responder = createMessagesResponder(options('gemini', recorder));
    responder.servedBy('acct-3');
    responder.assemble(fixture('gemini-tool-call'));
    expect(recorder.calls).toEqual([
      {
        id: 'toolu_gen_1',
        signature: 'EqwCCqkCARFNMg9aFirstFunctionCallSignatureOfGemini3',
        issuer: { family: 'gemini', accountId: 'acct-3' },
        sessionKey: 'session-1',
      },
    ]);
  });
});
