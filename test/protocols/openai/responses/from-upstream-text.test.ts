import { describe, expect, it } from 'vitest';
import { chunk, message, run, text, usage } from './from-upstream.fixtures.ts';
import { fixture, sdkFinalResponse } from './replay.ts';

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
