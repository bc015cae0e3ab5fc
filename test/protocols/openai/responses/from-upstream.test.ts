import { describe, expect, it } from 'vitest';
import type { UpstreamChunk } from '../../../../src/google/generate-client.ts';
import { createResponsesResponder } from '../../../../src/protocols/openai/responses/responder.ts';
import type { ResponsesResponderOptions } from '../../../../src/protocols/openai/responses/responder.ts';
import { customInputOf } from '../../../../src/protocols/openai/responses/from-upstream.ts';
import {
  events,
  familyOf,
  fixture,
  options,
  recorderStub,
  sdkFinalResponse,
  sent,
  stream,
} from './replay.ts';

type Json = Record<string, unknown>;

function run(chunks: UpstreamChunk[], overrides: Partial<ResponsesResponderOptions> = {}) {
  const signatures = recorderStub();
  const sse = stream(chunks, { signatures, ...overrides }).join('');
  const list = events(sse);
  const terminal = list.at(-1)!;
  const response = terminal.response as Json & { output: Json[]; usage: Json };
  const assembled = createResponsesResponder(options(familyOf(chunks), overrides)).assemble(chunks);
  return { sse, list, types: list.map((event) => event.type), terminal, response, assembled, signatures };
}

const text = (value: string) => ({ type: 'output_text', text: value, annotations: [], logprobs: [] });
const message = (id: string, value: string, status = 'completed') => ({
  id,
  type: 'message',
  status,
  role: 'assistant',
  content: [text(value)],
});
const usage = (input: number, cached: number, output: number, reasoning: number) => ({
  input_tokens: input,
  input_tokens_details: { cached_tokens: cached },
  output_tokens: output,
  output_tokens_details: { reasoning_tokens: reasoning },
  total_tokens: input + output,
});
const chunk = (parts: Json[], extra: Json = {}): UpstreamChunk => ({
  response: { candidates: [{ content: { role: 'model', parts }, ...extra }] },
});

describe('plain text', () => {
  const { list, types, response } = run(fixture('plain-text'));

  it('is one message item, its deltas in order, whitespace kept, empty parts skipped', () => {
    expect(types).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(
      list.filter((event) => event.type === 'response.output_text.delta').map((event) => event.delta),
    ).toEqual(['Hello', ' ', 'world!', '\n']);
    expect(list[2]).toEqual({
      type: 'response.output_item.added',
      sequence_number: 2,
      output_index: 0,
      item: { id: 'msg_1', type: 'message', status: 'in_progress', role: 'assistant', content: [] },
    });
    expect(list[3]).toEqual({
      type: 'response.content_part.added',
      sequence_number: 3,
      item_id: 'msg_1',
      output_index: 0,
      content_index: 0,
      part: text(''),
    });
    expect(list[4]).toEqual({
      type: 'response.output_text.delta',
      sequence_number: 4,
      item_id: 'msg_1',
      output_index: 0,
      content_index: 0,
      delta: 'Hello',
      logprobs: [],
    });
  });

  it('completes with the message and the last usage', () => {
    expect(response).toMatchObject({
      id: 'resp_test',
      object: 'response',
      status: 'completed',
      error: null,
      incomplete_details: null,
      output: [message('msg_1', 'Hello world!\n')],
      usage: usage(25, 0, 4, 0),
    });
  });
});

describe('thinking + text (Claude: the signature on the last thought part)', () => {
  const SIGNATURE = 'RXBnQkNrZ0lEQkFDR0FJcVFJdGhpbmtpbmdzaWduYXR1cmVvZmNsYXVkZXNvbm5ldDQ2';
  const { list, types, response, signatures, sse } = run(fixture('thinking-text'));

  it('is a reasoning item (one summary part, the signature as encrypted_content), then the message', async () => {
    expect(types.slice(2, 8)).toEqual([
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done',
      'response.reasoning_summary_part.done',
    ]);
    expect(list[2]!.item).toEqual({ id: 'rs_1', type: 'reasoning', summary: [] });
    expect(list[6]).toMatchObject({ item_id: 'rs_1', summary_index: 0, text: 'The user wants a greeting.' });
    expect(response.output).toEqual([
      {
        id: 'rs_1',
        type: 'reasoning',
        summary: [{ type: 'summary_text', text: 'The user wants a greeting.' }],
        encrypted_content: SIGNATURE,
      },
      message('msg_1', 'Hello there!'),
    ]);
    expect(response.usage).toEqual(usage(1200, 1024, 33, 30));
    expect((await sdkFinalResponse(sse)).output_text).toBe('Hello there!');
  });

  it('the book learns the signature and the account that issued it', () => {
    expect(signatures.thinking).toEqual([
      { signature: SIGNATURE, issuer: { family: 'claude', accountId: 'acct-1' } },
    ]);
    expect(signatures.calls).toEqual([]);
  });

  it('without include: reasoning.encrypted_content, the item has no encrypted_content (still recorded)', () => {
    const plain = run(fixture('thinking-text'), { includeEncryptedReasoning: false });
    expect(plain.response.output[0]).toEqual({
      id: 'rs_1',
      type: 'reasoning',
      summary: [{ type: 'summary_text', text: 'The user wants a greeting.' }],
    });
    expect(plain.signatures.thinking).toHaveLength(1);
  });
});

describe('signatures elsewhere than on the thought', () => {
  it('a trailing empty carrier signs the reasoning item that is still open', () => {
    const { response, signatures } = run(fixture('trailing-carrier-signature'));
    const signature = 'RXBnQkNrZ0lEQkFDR0FJcVFJdHJhaWxpbmdjYXJyaWVyc2lnbmF0dXJlb2ZjbGF1ZGVvcHVz';
    expect(response.output).toEqual([
      {
        id: 'rs_1',
        type: 'reasoning',
        summary: [{ type: 'summary_text', text: 'Plan: list the files.' }],
        encrypted_content: signature,
      },
      message('msg_1', 'Listing them now.'),
    ]);
    expect(signatures.thinking.map((entry) => entry.signature)).toEqual([signature]);
  });

  it('Gemini: the signature on the first visible part closes the reasoning item with it', () => {
    const { response } = run(fixture('gemini-signature-on-text'));
    expect(response.output[0]).toMatchObject({
      type: 'reasoning',
      encrypted_content: 'EqwCCqkCARFNMg9aGeminiSignatureOnTheFirstVisiblePart',
    });
    expect(response.output[1]).toEqual(message('msg_1', 'Hello there!'));
  });

  it('a carrier after the text gets a reasoning item of its own, with an empty summary', () => {
    const { response, types } = run(fixture('carrier-after-text'));
    expect(response.output).toEqual([
      { id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: 'Short answer.' }] },
      message('msg_1', 'Yes.'),
      {
        id: 'rs_2',
        type: 'reasoning',
        summary: [],
        encrypted_content: 'EqwCCqkCARFNMg9aLateCarrierAfterVisibleTextSignature',
      },
    ]);
    // A summary-less reasoning item has no summary part events.
    expect(types.slice(-3)).toEqual([
      'response.output_item.added',
      'response.output_item.done',
      'response.completed',
    ]);
  });

  it('usage only in the last chunk; the carrier before the text signs the reasoning', () => {
    const { response } = run(fixture('usage-last-chunk'));
    expect(response.output).toEqual([
      {
        id: 'rs_1',
        type: 'reasoning',
        summary: [{ type: 'summary_text', text: 'Four' }],
        encrypted_content: 'RXBnQkNrZ0lEQkFDR0FJcVFJdXNhZ2Vvbmx5aW50aGVsYXN0Y2h1bmtjbGF1ZGVzaWduYXR1cmU=',
      },
      message('msg_1', '2 + 2 = 4'),
    ]);
    expect(response.usage).toEqual(usage(700, 512, 10, 3));
  });

  it('a Gemini signature on visible text with no thought shown adds no reasoning item; a Claude one does', () => {
    const chunks = [
      chunk([{ text: 'Hi', thoughtSignature: 'EqwSIG-on-visible-text' }], { finishReason: 'STOP' }),
    ];
    expect(run(chunks, { family: 'gemini' }).response.output).toEqual([message('msg_1', 'Hi')]);
    const claude = run(chunks, { family: 'claude' });
    expect(claude.response.output).toEqual([
      { id: 'rs_1', type: 'reasoning', summary: [], encrypted_content: 'EqwSIG-on-visible-text' },
      message('msg_1', 'Hi'),
    ]);
    // Without include the signature could not reach the client: no item for it.
    expect(run(chunks, { family: 'claude', includeEncryptedReasoning: false }).response.output).toEqual([
      message('msg_1', 'Hi'),
    ]);
  });

  it('a carrier repeating the signature already relayed adds nothing', () => {
    const { response } = run([
      chunk([{ text: 'hmm', thought: true, thoughtSignature: 'R-sig' }, { text: 'ok' }]),
      chunk([{ text: '', thoughtSignature: 'R-sig' }], { finishReason: 'STOP' }),
    ]);
    expect(response.output.map((item) => item.type)).toEqual(['reasoning', 'message']);
  });
});

describe('tool calls', () => {
  it('several calls in one chunk: one function_call item each, upstream ids as call_id, client names restored', () => {
    const { response, list, signatures } = run(fixture('parallel-tool-calls'));
    expect(response.output.slice(1)).toEqual([
      message('msg_1', 'Reading them.'),
      {
        id: 'fc_1',
        type: 'function_call',
        status: 'completed',
        call_id: 'toolu_vrtx_01AbCdEfGhIjKlMnOpQrStUv',
        name: 'Read',
        arguments: '{"file_path":"/src/a.ts"}',
      },
      {
        id: 'fc_2',
        type: 'function_call',
        status: 'completed',
        call_id: 'toolu_vrtx_01ZyXwVuTsRqPoNmLkJiHgFe',
        name: 'mcp.fs.read_file',
        arguments: '{"path":"/src/b.ts","limit":20}',
      },
      {
        id: 'fc_3',
        type: 'function_call',
        status: 'completed',
        call_id: 'toolu_vrtx_01NoArgsNoArgsNoArgsNoAr',
        name: 'TodoRead',
        arguments: '{}',
      },
    ]);
    expect(response.status).toBe('completed');
    const added = list.find(
      (event) => event.type === 'response.output_item.added' && event.output_index === 2,
    );
    expect(added!.item).toEqual({
      id: 'fc_1',
      type: 'function_call',
      status: 'in_progress',
      call_id: 'toolu_vrtx_01AbCdEfGhIjKlMnOpQrStUv',
      name: 'Read',
      arguments: '',
    });
    const done = list.find(
      (event) => event.type === 'response.function_call_arguments.done' && event.output_index === 2,
    );
    expect(done).toMatchObject({ item_id: 'fc_1', name: 'Read', arguments: '{"file_path":"/src/a.ts"}' });
    expect(signatures.calls).toEqual([]);
  });

  it('Gemini calls without ids get generated call ids; the first call\u2019s signature goes to the book by call id', () => {
    const { response, signatures } = run(fixture('gemini-tool-call'));
    expect(response.output.slice(1).map((item) => [item.call_id, item.name])).toEqual([
      ['call_gen_1', 'get_weather'],
      ['call_gen_2', 'get_time'],
    ]);
    expect(signatures.calls).toEqual([
      {
        id: 'call_gen_1',
        signature: 'EqwCCqkCARFNMg9aFirstFunctionCallSignatureOfGemini3',
        issuer: { family: 'gemini', accountId: 'acct-1' },
        sessionKey: 'session-1',
      },
    ]);
  });

  it('a custom tool (apply_patch) is a custom_tool_call whose input is the call\u2019s args.input', () => {
    const { response, list, signatures } = run(fixture('apply-patch'));
    const patch =
      '*** Begin Patch\n*** Update File: src/app.ts\n@@ export function main() {\n-  const retries = 1;\n+  const retries = 3;\n*** End Patch\n';
    expect(response.output[1]).toEqual({
      id: 'ctc_1',
      type: 'custom_tool_call',
      status: 'completed',
      call_id: 'call_gen_1',
      name: 'apply_patch',
      input: patch,
    });
    expect(response.output[2]).toMatchObject({ type: 'function_call', name: 'shell', call_id: 'call_gen_2' });
    expect(
      list
        .filter((event) => event.item_id === 'ctc_1')
        .map((event) => [event.type, event.delta ?? event.input]),
    ).toEqual([
      ['response.custom_tool_call_input.delta', patch],
      ['response.custom_tool_call_input.done', patch],
    ]);
    expect(signatures.calls.map((call) => call.id)).toEqual(['call_gen_1']);
    expect(response.usage).toEqual(usage(8200, 8000, 89, 14));
  });

  it('a duplicate upstream call id gets a fresh one (the SDK refuses two calls with one call_id)', () => {
    const call = { functionCall: { id: 'same', name: 'f', args: {} } };
    const { response } = run([chunk([call, call], { finishReason: 'STOP' })]);
    expect(response.output.map((item) => item.call_id)).toEqual(['same', 'call_gen_1']);
  });

  it('a custom input falls back to the one string given, else to the JSON', () => {
    expect(customInputOf({ input: 'x' })).toBe('x');
    expect(customInputOf({ patch: 'y' })).toBe('y');
    expect(customInputOf({ a: 1 })).toBe('{"a":1}');
  });

  it('a tool call makes the Response completed even when the upstream stops at MAX_TOKENS', () => {
    const { response } = run([
      chunk([{ functionCall: { name: 'f', args: {} } }], { finishReason: 'MAX_TOKENS' }),
    ]);
    expect(response).toMatchObject({ status: 'completed', incomplete_details: null });
  });
});

describe('how a Response ends', () => {
  it('MAX_TOKENS: response.incomplete (max_output_tokens), the message incomplete', () => {
    const { types, response } = run(fixture('max-tokens'));
    expect(types.at(-1)).toBe('response.incomplete');
    expect(response).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
      output: [message('msg_1', 'Once upon a time there was a', 'incomplete')],
    });
  });

  it('a safety stop: response.incomplete (content_filter)', () => {
    const { types, response } = run(fixture('safety-stop'));
    expect(types.at(-1)).toBe('response.incomplete');
    expect(response).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'content_filter' },
      output: [message('msg_1', 'I can describe the general', 'incomplete')],
    });
  });

  it('a blocked prompt: incomplete (content_filter) with no output', () => {
    const { response } = run(fixture('blocked-prompt'));
    expect(response).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'content_filter' },
      output: [],
    });
  });

  it('an upstream that ends without a finish reason ended normally: response.completed', () => {
    const { types, response } = run(fixture('no-finish-reason'));
    expect(types.at(-1)).toBe('response.completed');
    expect(response).toMatchObject({
      status: 'completed',
      output: [message('msg_1', 'Tests pass on the first run.')],
      usage: usage(300, 0, 7, 0),
    });
  });

  it('usage only, no parts: completed, empty output', () => {
    const { response } = run(fixture('usage-only'));
    expect(response).toMatchObject({ status: 'completed', output: [], usage: usage(9, 0, 0, 0) });
  });
});

describe('other items', () => {
  it('an image is an image_generation_call whose result is the base64 data', () => {
    const { response, list } = run(fixture('image-output'));
    expect(response.output).toEqual([
      message('msg_1', 'Here is a red dot:'),
      {
        id: 'ig_1',
        type: 'image_generation_call',
        status: 'completed',
        result:
          'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
        output_format: 'png',
      },
    ]);
    const added = list.find(
      (event) => event.type === 'response.output_item.added' && event.output_index === 1,
    );
    expect(added!.item).toEqual({
      id: 'ig_1',
      type: 'image_generation_call',
      status: 'in_progress',
      result: null,
    });
  });

  it('thought images are drafts: skipped', () => {
    const { response } = run([
      chunk([
        { inlineData: { mimeType: 'image/png', data: 'draft' }, thought: true },
        { inlineData: { data: 'final' } },
      ]),
    ]);
    expect(response.output).toEqual([
      { id: 'ig_1', type: 'image_generation_call', status: 'completed', result: 'final' },
    ]);
  });

  it('Google Search grounding: one web_search_call per query, with the pages as sources; search tokens are input', () => {
    const { response } = run(fixture('web-search'));
    expect(response.output.map((item) => item.type)).toEqual(['message', 'web_search_call']);
    expect(response.output[1]).toEqual({
      id: 'ws_1',
      type: 'web_search_call',
      status: 'completed',
      action: {
        type: 'search',
        query: 'tour de france 2026 start',
        sources: [
          { type: 'url', url: 'https://vertexaisearch.cloud.google.com/grounding-api-redirect/AAA' },
          { type: 'url', url: 'https://vertexaisearch.cloud.google.com/grounding-api-redirect/BBB' },
        ],
      },
    });
    expect(response.usage).toEqual(usage(370, 0, 14, 0));
  });
});

describe('the Response echoes the request', () => {
  it('echo fields appear on every lifecycle event and in assemble()', async () => {
    const echo = {
      instructions: 'Be brief.',
      max_output_tokens: 100,
      parallel_tool_calls: false,
      prompt_cache_key: 'thread-1',
      reasoning: { effort: 'low', summary: 'auto' },
      temperature: 0.2,
      text: { format: { type: 'text' } },
      tool_choice: 'auto',
      tools: [{ type: 'function', name: 'f', parameters: { type: 'object' } }],
      top_p: null,
      metadata: { a: 'b' },
    };
    const { list, assembled, sse } = run(fixture('plain-text'), { echo });
    for (const event of [list[0]!, list[1]!, list.at(-1)!]) expect(event.response).toMatchObject(echo);
    expect(assembled).toMatchObject(echo);
    expect(sent(await sdkFinalResponse(sse))).toMatchObject(echo);
  });
});
