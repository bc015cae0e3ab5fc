import { describe, expect, it } from 'vitest';
import { customInputOf } from '../../../../src/protocols/openai/responses/from-upstream.ts';
import { chunk, message, run, usage } from './from-upstream.fixtures.ts';
import { fixture } from './replay.ts';

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
