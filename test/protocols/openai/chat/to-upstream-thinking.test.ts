/**
 * reasoning_content and signatures round trip: the responder answers a recorded stream with a real
 * signature book, the client sends that answer back as the next request's history, and the request
 * side finds the signatures again — by the call ids the client did keep.
 */
import { describe, expect, it } from 'vitest';
import { keepSignaturesOf } from '../../../../src/protocols/anthropic/account-signatures.ts';
import { createChatResponder } from '../../../../src/protocols/openai/chat/responder.ts';
import { toUpstream, type UpstreamContext } from '../../../../src/protocols/openai/chat/to-upstream.ts';
import { SignatureBook } from '../../../../src/protocols/shared/signature-book.ts';
import { applyTargetRules, SIGNATURE_SENTINEL } from '../../../../src/protocols/target/target-rules.ts';
import { parse } from './request-fixtures.ts';
import { fixture } from './replay.ts';

type Json = Record<string, unknown>;
type Part = Json & { text?: string; thought?: boolean; thoughtSignature?: string; functionCall?: Json };
type Content = { role: string; parts: Part[] };

const CLAUDE: UpstreamContext['target'] = { model: 'claude-sonnet-4-6', family: 'claude' };
const GEMINI: UpstreamContext['target'] = { model: 'gemini-3-flash', family: 'gemini' };
const LIMITS = { maxOutputTokens: 64000, thinkingBudget: { min: 1024, max: 32000 } };
const CLAUDE_SIG = 'RXBnQkNrZ0lEQkFDR0FJcVFJdG9vbGxvb3B0aGlua2luZ3NpZ25hdHVyZW9mY2xhdWRlc29ubmV0';
const SESSION = 'session-1';

/** The assistant message a client keeps from answering `fixtureName` (as `acct-1`). */
function answer(fixtureName: string, family: 'claude' | 'gemini', book: SignatureBook): Json {
  const responder = createChatResponder({
    requestedModel: family === 'claude' ? CLAUDE.model : GEMINI.model,
    family,
    toolNames: new Map(),
    signatures: book,
    sessionKey: SESSION,
    includeUsage: false,
  });
  responder.servedBy('acct-1');
  return responder.assemble(fixture(fixtureName)).choices[0]!.message as unknown as Json;
}

/** The next request: the answer, a result for each of its calls, reasoning on. */
function nextRequest(assistant: Json): Json {
  const calls = (assistant.tool_calls as Array<{ id: string }>) ?? [];
  return {
    model: 'any',
    reasoning_effort: 'high',
    messages: [
      { role: 'user', content: 'read the files' },
      assistant,
      ...calls.map((call) => ({ role: 'tool', tool_call_id: call.id, content: `result of ${call.id}` })),
    ],
  };
}

const modelTurn = (request: Json) =>
  (request.contents as Content[]).find((content) => content.role === 'model')!;

describe('Claude target', () => {
  it('reasoning_content sent back is replayed as thinking with the signature recorded for the turn\u2019s call', () => {
    const book = new SignatureBook();
    const assistant = answer('parallel-tool-calls', 'claude', book);
    expect(assistant.reasoning_content).toBe('I need both files.');
    const { request } = toUpstream(parse(nextRequest(assistant)), {
      target: CLAUDE,
      limits: LIMITS,
      signatures: book,
      sessionKey: SESSION,
    });
    expect(modelTurn(request).parts).toEqual([
      { text: 'I need both files.', thought: true, thoughtSignature: CLAUDE_SIG },
      { text: 'Reading them.' },
      {
        functionCall: {
          id: 'toolu_vrtx_01AbCdEfGhIjKlMnOpQrStUv',
          name: 'Read',
          args: { file_path: '/src/a.ts' },
        },
      },
      {
        functionCall: {
          id: 'toolu_vrtx_01ZyXwVuTsRqPoNmLkJiHgFe',
          name: 'mcp__fs__read_file',
          args: { path: '/src/b.ts', limit: 20 },
        },
      },
      { functionCall: { id: 'toolu_vrtx_01NoArgsNoArgsNoArgsNoAr', name: 'TodoRead', args: {} } },
    ]);
    // The loop is intact: no synthetic turns were needed.
    expect((request.contents as Content[]).length).toBe(3);
    // The account step keeps it for the issuing account, and drops it (closing the loop) for another.
    expect(keepSignaturesOf(request, 'acct-1', book)).toBe(request);
    const moved = keepSignaturesOf(request, 'acct-2', book);
    expect(modelTurn(moved).parts[0]).toEqual({ text: 'Reading them.' });
    expect((moved.contents as Content[]).slice(-2)).toEqual([
      { role: 'model', parts: [{ text: '[3 tool executions completed.]' }] },
      { role: 'user', parts: [{ text: '[Continue]' }] },
    ]);
  });

  it('a carrier signature after the calls works the same way', () => {
    const book = new SignatureBook();
    const assistant = answer('claude-calls-then-carrier', 'claude', book);
    const { request } = toUpstream(parse(nextRequest(assistant)), {
      target: CLAUDE,
      limits: LIMITS,
      signatures: book,
      sessionKey: SESSION,
    });
    expect(modelTurn(request).parts[0]).toEqual({
      text: 'I should list the directory first.',
      thought: true,
      thoughtSignature: 'RXBnQkNrZ0lEQkFDR0FJcVFJbGF0ZWNhcnJpZXJhZnRlcnRvb2xjYWxsc2NsYXVkZXNvbm5ldA==',
    });
  });

  it('without reasoning_content (most clients drop it) the thinking loop is closed instead', () => {
    const book = new SignatureBook();
    const { reasoning_content: _dropped, ...assistant } = answer('parallel-tool-calls', 'claude', book);
    const { request } = toUpstream(parse(nextRequest(assistant)), {
      target: CLAUDE,
      limits: LIMITS,
      signatures: book,
      sessionKey: SESSION,
    });
    expect(modelTurn(request).parts.some((part) => part.thought)).toBe(false);
    expect((request.contents as Content[]).at(-1)).toEqual({ role: 'user', parts: [{ text: '[Continue]' }] });
  });

  it('reasoning_content nobody signed, or signed by Gemini, is dropped', () => {
    const book = new SignatureBook();
    const assistant = answer('gemini-tool-call', 'gemini', book);
    const { request } = toUpstream(
      parse(nextRequest({ ...assistant, reasoning_content: 'made up thoughts' })),
      { target: CLAUDE, limits: LIMITS, signatures: book, sessionKey: SESSION },
    );
    expect(
      modelTurn(request).parts.every((part) => !part.thought && part.thoughtSignature === undefined),
    ).toBe(true);
  });
});

describe('Gemini target', () => {
  it('the first call gets its own Gemini signature back, by the call_ id this proxy made up', () => {
    const book = new SignatureBook();
    const assistant = answer('gemini-tool-call', 'gemini', book);
    const { request } = toUpstream(parse(nextRequest(assistant)), {
      target: GEMINI,
      signatures: book,
      sessionKey: SESSION,
    });
    const parts = modelTurn(request).parts;
    // Thought text is of no use to Gemini: not replayed.
    expect(parts.map((part) => part.thoughtSignature)).toEqual([
      'EqwCCqkCARFNMg9aFirstFunctionCallSignatureOfGemini3',
      undefined,
    ]);
    expect(parts.every((part) => part.functionCall !== undefined)).toBe(true);
    // The target rules leave a real signature alone.
    expect(applyTargetRules(request, GEMINI)).toBe(request);
  });

  it('a signature that came on visible text goes on the first call', () => {
    const book = new SignatureBook();
    const assistant = answer('gemini-signed-text-then-call', 'gemini', book);
    const { request } = toUpstream(parse(nextRequest(assistant)), {
      target: GEMINI,
      signatures: book,
      sessionKey: SESSION,
    });
    expect(modelTurn(request).parts).toEqual([
      { text: 'Reading it.' },
      {
        functionCall: { id: expect.stringMatching(/^call_/), name: 'read_file', args: { path: 'notes.txt' } },
        thoughtSignature: 'EqwCCqkCARFNMg9aGeminiSignatureOnTextBeforeTheCall',
      },
    ]);
  });

  it('history Claude signed, or calls never seen, get no signature here: the target rules add the sentinel', () => {
    const book = new SignatureBook();
    const assistant = answer('parallel-tool-calls', 'claude', book);
    const { request } = toUpstream(parse(nextRequest(assistant)), { target: GEMINI, signatures: book });
    expect(modelTurn(request).parts.some((part) => part.thoughtSignature !== undefined || part.thought)).toBe(
      false,
    );
    const ruled = applyTargetRules(request, GEMINI);
    expect(modelTurn(ruled).parts.find((part) => part.functionCall)?.thoughtSignature).toBe(
      SIGNATURE_SENTINEL,
    );
  });
});
