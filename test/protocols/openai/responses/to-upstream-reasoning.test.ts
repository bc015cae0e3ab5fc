import { describe, expect, it } from 'vitest';
import { SignatureBook } from '../../../../src/protocols/shared/signature-book.ts';
import { codexBody, FIRST_SIGNATURE, PATCH, SECOND_SIGNATURE } from './request-fixtures.ts';
import { body, CLAUDE, contentsOf, GEMINI, LIMITS, translate } from './to-upstream.fixtures.ts';

describe('reasoning items and signatures', () => {
  it('Claude: reasoning this proxy relayed from Claude becomes a signed thought, its summary the thinking', () => {
    const book = new SignatureBook();
    book.recordThinking(FIRST_SIGNATURE, { family: 'claude', accountId: 'acct-1' });
    book.recordThinking(SECOND_SIGNATURE, { family: 'gemini', accountId: 'acct-1' });
    const { request } = translate(codexBody(), CLAUDE, { signatures: book, limits: LIMITS });
    const contents = contentsOf(request);
    expect(contents[1]!.parts[0]).toEqual({
      text: 'I should look at src/app.ts first.',
      thought: true,
      thoughtSignature: FIRST_SIGNATURE,
    });
    // The Gemini-signed reasoning goes nowhere near Claude.
    expect(contents[3]!.parts).toEqual([
      { functionCall: { id: 'call_patch_2', name: 'apply_patch', args: { input: PATCH } } },
    ]);
    expect(request.generationConfig).toEqual({
      maxOutputTokens: 64000,
      thinkingConfig: { includeThoughts: true, thinkingBudget: 16384 },
    });
  });

  it('Claude with thinking: a tool loop whose last model turn lost its thinking is closed', () => {
    const { request } = translate(codexBody(), CLAUDE, { limits: LIMITS });
    const [summary, last] = contentsOf(request).slice(-2);
    expect(summary).toEqual({ role: 'model', parts: [{ text: '[Tool execution completed.]' }] });
    // The user's new message (text and image) stays the last word, after the synthetic turn.
    expect(last!.role).toBe('user');
    expect(last!.parts[0]).toEqual({ text: 'Thanks! Also show me the diff.' });
    expect(last!.parts.some((part) => part.inlineData)).toBe(true);
    expect(JSON.stringify(request)).not.toContain('[Continue]');
  });

  it('Gemini: a Gemini-signed reasoning item signs the first call of its turn; the call\u2019s own signature wins', () => {
    const book = new SignatureBook();
    book.recordThinking(FIRST_SIGNATURE, { family: 'gemini', accountId: 'acct-1' });
    book.recordThinking(SECOND_SIGNATURE, { family: 'gemini', accountId: 'acct-1' });
    const callSignature = 'EqwCCqkCARFNMg9aSignatureOfThePatchCallRecordedByCallId';
    book.recordToolCall('call_patch_2', callSignature, { family: 'gemini', accountId: 'acct-1' }, 'thread-1');
    const { request } = translate(codexBody(), GEMINI, { signatures: book, sessionKey: 'thread-1' });
    const contents = contentsOf(request);
    expect(contents[1]!.parts).toEqual([
      {
        functionCall: expect.objectContaining({ id: 'call_read_1' }),
        thoughtSignature: FIRST_SIGNATURE,
      },
    ]);
    expect(contents[3]!.parts[0]!.thoughtSignature).toBe(callSignature);
    expect(contents.flatMap((content) => content.parts).some((part) => part.thought)).toBe(false);
  });

  it('a reasoning item carrying reasoning text replays that text', () => {
    const book = new SignatureBook();
    const signature = 'R'.repeat(80);
    book.recordThinking(signature, { family: 'claude', accountId: 'a' });
    const { request } = translate(
      body([
        { role: 'user', content: 'q' },
        {
          type: 'reasoning',
          summary: [{ type: 'summary_text', text: 'short' }],
          content: [{ type: 'reasoning_text', text: 'the full thought' }],
          encrypted_content: signature,
        },
        { role: 'assistant', content: [{ type: 'output_text', text: 'a' }] },
      ]),
      CLAUDE,
      { signatures: book },
    );
    expect(contentsOf(request)[1]!.parts[0]).toEqual({
      text: 'the full thought',
      thought: true,
      thoughtSignature: signature,
    });
  });
});
