/**
 * A Codex turn end to end on the translators: the upstream answers, the responder relays it (the
 * signature book learning who signed what), Codex sends the output items back as it stores them (no
 * item ids: codex-rs skips `id` when it serialises a ResponseItem) with its tool outputs, and the
 * next request replays what the upstream needs: Claude's thinking with its signature and its exact
 * text, Gemini's call signature on the replayed call.
 */
import { describe, expect, it } from 'vitest';
import { createResponsesResponder } from '../../../../src/protocols/openai/responses/responder.ts';
import { toUpstream } from '../../../../src/protocols/openai/responses/to-upstream.ts';
import { SignatureBook } from '../../../../src/protocols/shared/signature-book.ts';
import { applyTargetRules } from '../../../../src/protocols/target/target-rules.ts';
import { fixture, options } from './replay.ts';
import { parse } from './request-fixtures.ts';

type Json = Record<string, unknown>;
type Content = { role: string; parts: Json[] };

/** The items as Codex keeps them for the next request. */
function asCodexStoresThem(output: readonly Json[]): Json[] {
  return output.map(({ id: _id, ...item }) => item);
}

function answer(name: string, family: 'claude' | 'gemini', book: SignatureBook) {
  const responder = createResponsesResponder(options(family, { signatures: book, sessionKey: 'thread-9' }));
  responder.servedBy('acct-1');
  let sse = '';
  for (const chunk of fixture(name)) sse += responder.event(chunk);
  sse += responder.close();
  const completed = sse.split('\n\n').filter(Boolean).at(-1)!;
  return (JSON.parse(completed.split('\ndata: ')[1]!) as { response: { output: Json[] } }).response.output;
}

describe('round trip: answer, then the next request replays what the upstream needs', () => {
  it('Claude: the reasoning item comes back as the signed thought, with the very text that was streamed', () => {
    const book = new SignatureBook();
    const output = answer('parallel-tool-calls', 'claude', book);
    const calls = output.filter((item) => item.type === 'function_call');
    const next = parse({
      model: 'claude-sonnet-4-6',
      input: [
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Read a.ts and b.ts' }] },
        ...asCodexStoresThem(output),
        ...calls.map((call) => ({ type: 'function_call_output', call_id: call.call_id, output: 'ok' })),
      ],
      reasoning: { effort: 'high' },
      include: ['reasoning.encrypted_content'],
    });
    const { request } = toUpstream(next, {
      target: { model: 'claude-sonnet-4-6', family: 'claude' },
      signatures: book,
      sessionKey: 'thread-9',
    });
    const model = (request.contents as Content[])[1]!;
    expect(model.parts[0]).toEqual({
      text: 'I need both files.',
      thought: true,
      thoughtSignature: 'RXBnQkNrZ0lEQkFDR0FJcVFJdG9vbGxvb3B0aGlua2luZ3NpZ25hdHVyZW9mY2xhdWRlc29ubmV0',
    });
    expect(model.parts.slice(1).map((part) => Object.keys(part)[0])).toEqual([
      'text',
      'functionCall',
      'functionCall',
      'functionCall',
    ]);
    // Whole: no synthetic turns were needed to close the loop.
    expect((request.contents as Content[]).at(-1)!.parts.every((part) => part.functionResponse)).toBe(true);
  });

  it('Gemini: the apply_patch call comes back as a functionCall carrying the signature it was answered with', () => {
    const book = new SignatureBook();
    const output = answer('apply-patch', 'gemini', book);
    const patch = output.find((item) => item.type === 'custom_tool_call')!;
    const next = parse({
      model: 'gemini-3-flash',
      input: [
        { role: 'user', content: 'Raise the retries.' },
        ...asCodexStoresThem(output),
        { type: 'custom_tool_call_output', call_id: patch.call_id, output: 'Success.' },
        {
          type: 'function_call_output',
          call_id: output.find((item) => item.type === 'function_call')!.call_id,
          output: '# pass 12',
        },
      ],
      tools: [
        {
          type: 'custom',
          name: 'apply_patch',
          format: { type: 'grammar', syntax: 'lark', definition: 'start: x' },
        },
        { type: 'function', name: 'shell', parameters: { type: 'object' } },
      ],
    });
    const { request } = toUpstream(next, {
      target: { model: 'gemini-3-flash', family: 'gemini' },
      signatures: book,
      sessionKey: 'thread-9',
    });
    const ruled = applyTargetRules(request, { model: 'gemini-3-flash', family: 'gemini' });
    const model = (ruled.contents as Content[])[1]!;
    expect(model.parts).toEqual([
      {
        functionCall: { id: patch.call_id, name: 'apply_patch', args: { input: patch.input } },
        thoughtSignature: 'EqwCCqkCARFNMg9aApplyPatchCallSignatureOfGemini3FlashXyz',
      },
      {
        functionCall: {
          id: expect.any(String),
          name: 'shell',
          args: { command: ['npm', 'test'], workdir: '/home/dev/app' },
        },
      },
    ]);
    expect((ruled.contents as Content[])[2]!.parts[0]).toEqual({
      functionResponse: { id: patch.call_id, name: 'apply_patch', response: { result: 'Success.' } },
    });
  });
});
