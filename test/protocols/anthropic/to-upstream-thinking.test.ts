import { describe, expect, it } from 'vitest';
import { parseMessagesBody, type MessagesRequest } from '../../../src/protocols/anthropic/request-schema.ts';
import { toUpstream, type UpstreamContext } from '../../../src/protocols/anthropic/to-upstream.ts';
import { SignatureBook, type SignatureLookup } from '../../../src/protocols/shared/signature-book.ts';
import { applyTargetRules, SIGNATURE_SENTINEL } from '../../../src/protocols/target/target-rules.ts';
import {
  CLAUDE_SIG,
  CLAUDE_SIG_2,
  GEMINI_CALL_SIG,
  GEMINI_SIG,
  knownSignatures,
  toolLoopRequest,
  UNKNOWN_SIG,
} from './request-fixtures.ts';

const CLAUDE: UpstreamContext['target'] = { model: 'claude-sonnet-4-6', family: 'claude' };
const GEMINI: UpstreamContext['target'] = { model: 'gemini-3-flash', family: 'gemini' };
const CLAUDE_LIMITS = { maxOutputTokens: 64000, thinkingBudget: { min: 1024, max: 64000 } };

type Json = Record<string, unknown>;
type Part = Json & { text?: string; thought?: boolean; thoughtSignature?: string; functionCall?: Json };
type Content = { role: string; parts: Part[] };

function parse(body: Json): MessagesRequest {
  const result = parseMessagesBody(body, 'messages');
  if (!result.ok) throw new Error(result.message);
  return result.request;
}

const contentsOf = (request: Json) => request.contents as Content[];

describe('thinking in a tool loop, Claude target', () => {
  it('replays thinking signed by Claude, first in each model turn, and nothing else', () => {
    const { request } = toUpstream(parse(toolLoopRequest(CLAUDE_SIG, CLAUDE_SIG_2)), {
      target: CLAUDE,
      limits: CLAUDE_LIMITS,
      signatures: knownSignatures(),
    });
    expect(contentsOf(request)).toEqual([
      { role: 'user', parts: [{ text: 'fix the off-by-one in src/parse.ts' }] },
      {
        role: 'model',
        parts: [
          { text: 'I should read the file first.', thought: true, thoughtSignature: CLAUDE_SIG },
          { text: 'Let me read it.' },
          { functionCall: { id: 'toolu_01', name: 'Read', args: { file_path: 'src/parse.ts' } } },
        ],
      },
      {
        role: 'user',
        parts: [
          {
            functionResponse: {
              id: 'toolu_01',
              name: 'Read',
              response: { result: 'for (let i = 0; i <= n; i++) {}' },
            },
          },
        ],
      },
      {
        role: 'model',
        parts: [
          { text: 'The loop runs one step too far.', thought: true, thoughtSignature: CLAUDE_SIG_2 },
          { text: 'Fixing the bound.' },
          {
            functionCall: {
              id: 'toolu_02',
              name: 'Edit',
              args: { file_path: 'src/parse.ts', old: '<=', new: '<' },
            },
          },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { id: 'toolu_02', name: 'Edit', response: { result: 'Edited src/parse.ts' } } },
          { text: '<system-reminder>The file changed.</system-reminder>' },
        ],
      },
    ]);
    expect(request.generationConfig).toEqual({
      maxOutputTokens: 16000,
      thinkingConfig: { includeThoughts: true, thinkingBudget: 8000 },
    });
  });

  it.each([
    ['unknown to this proxy', UNKNOWN_SIG],
    ['signed by Gemini', GEMINI_SIG],
    ['a bypass sentinel', SIGNATURE_SENTINEL],
    ['too short to be real', 'EqQBCkgIARABGAIiQL2'],
    ['empty', ''],
  ])('drops thinking whose signature is %s', (_name, foreign) => {
    const { request } = toUpstream(parse(toolLoopRequest(foreign, CLAUDE_SIG_2)), {
      target: CLAUDE,
      signatures: knownSignatures(),
    });
    const firstModel = contentsOf(request)[1]!;
    expect(firstModel.parts.some((part) => part.thought)).toBe(false);
    expect(JSON.stringify(request)).not.toContain(foreign || '"thoughtSignature":""');
    // The later turn keeps its own thinking: no recovery needed.
    expect(contentsOf(request)).toHaveLength(5);
  });

  it('closes the tool loop when the last model turn lost its thinking (wire.md §6.8 #9)', () => {
    const { request } = toUpstream(parse(toolLoopRequest(CLAUDE_SIG, UNKNOWN_SIG)), {
      target: CLAUDE,
      signatures: knownSignatures(),
    });
    const contents = contentsOf(request);
    expect(contents).toHaveLength(7);
    // The synthetic turn closes the loop after the results; what the user added stays the last word.
    expect(contents.slice(-3)).toEqual([
      { role: 'user', parts: [expect.objectContaining({ functionResponse: expect.anything() })] },
      { role: 'model', parts: [{ text: '[Tool execution completed.]' }] },
      { role: 'user', parts: [{ text: '<system-reminder>The file changed.</system-reminder>' }] },
    ]);
    expect(contents[3]!.parts.some((part) => part.thought)).toBe(false);
  });

  it('does not close the loop when the request does not think', () => {
    const body = { ...toolLoopRequest(CLAUDE_SIG, UNKNOWN_SIG), thinking: { type: 'disabled' } };
    const { request } = toUpstream(parse(body), { target: CLAUDE, signatures: knownSignatures() });
    expect(contentsOf(request)).toHaveLength(5);
    expect(request.generationConfig).toEqual({ maxOutputTokens: 16000 });
  });

  it('drops redacted thinking, and keeps an omitted-display thinking block with its signature', () => {
    const body = {
      model: 'claude-sonnet-4-6',
      max_tokens: 100,
      messages: [
        { role: 'user', content: 'a' },
        {
          role: 'assistant',
          content: [
            { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix/LafPsn4a' },
            { type: 'thinking', thinking: '', signature: CLAUDE_SIG },
            { type: 'text', text: 'b' },
          ],
        },
        { role: 'user', content: 'c' },
      ],
    };
    const { request } = toUpstream(parse(body), { target: CLAUDE, signatures: knownSignatures() });
    expect(contentsOf(request)[1]!.parts).toEqual([
      { text: '', thought: true, thoughtSignature: CLAUDE_SIG },
      { text: 'b' },
    ]);
    expect(JSON.stringify(request)).not.toContain('EmwKAhgB');
  });
});

describe('thinking in a tool loop, Gemini target', () => {
  it('drops thinking and puts the cached Gemini signature on the first call of its turn', () => {
    const calls: Array<[string, string | undefined]> = [];
    const book = knownSignatures('session-a');
    const signatures: SignatureLookup = {
      issuerOf: (signature) => book.issuerOf(signature),
      toolCallSignature: (id, sessionKey) => {
        calls.push([id, sessionKey]);
        return book.toolCallSignature(id, sessionKey);
      },
    };
    const { request } = toUpstream(parse(toolLoopRequest(CLAUDE_SIG, UNKNOWN_SIG)), {
      target: GEMINI,
      signatures,
      sessionKey: 'session-a',
    });
    const contents = contentsOf(request);
    expect(JSON.stringify(contents)).not.toContain('"thought":true');
    expect(contents[1]!.parts).toEqual([
      { text: 'Let me read it.' },
      { functionCall: { id: 'toolu_01', name: 'Read', args: { file_path: 'src/parse.ts' } } },
    ]);
    expect(contents[3]!.parts).toEqual([
      { text: 'Fixing the bound.' },
      {
        functionCall: {
          id: 'toolu_02',
          name: 'Edit',
          args: { file_path: 'src/parse.ts', old: '<=', new: '<' },
        },
        thoughtSignature: GEMINI_CALL_SIG,
      },
    ]);
    expect(calls).toEqual([
      ['toolu_01', 'session-a'],
      ['toolu_02', 'session-a'],
    ]);
    // No loop closing for Gemini: it needs no thinking replayed.
    expect(contents).toHaveLength(5);
  });

  it("takes a Gemini signature from the turn's thinking block when the call has none", () => {
    const { request } = toUpstream(parse(toolLoopRequest(GEMINI_SIG, CLAUDE_SIG)), {
      target: GEMINI,
      signatures: new SignatureBook(),
    });
    const book = knownSignatures();
    const again = toUpstream(parse(toolLoopRequest(GEMINI_SIG, CLAUDE_SIG)), {
      target: GEMINI,
      signatures: book,
    });
    // Unknown to an empty book: nothing is made up; the target rules add the sentinel later.
    expect(JSON.stringify(request)).not.toContain('thoughtSignature');
    const final = applyTargetRules(request, GEMINI);
    expect(contentsOf(final)[1]!.parts[1]!.thoughtSignature).toBe(SIGNATURE_SENTINEL);
    // Known: the first turn's Gemini-signed thinking goes on its call; the Claude one is not used.
    const contents = contentsOf(again.request);
    expect(contents[1]!.parts[1]!.thoughtSignature).toBe(GEMINI_SIG);
    expect(JSON.stringify(again.request)).not.toContain(CLAUDE_SIG);
  });

  it('places the signature on the first call of a turn with parallel calls only', () => {
    const body = {
      model: 'gemini-3-flash',
      max_tokens: 100,
      messages: [
        { role: 'user', content: 'weather in Paris and Rome' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'two cities', signature: GEMINI_SIG },
            { type: 'tool_use', id: 'call_1', name: 'weather', input: { city: 'Paris' } },
            { type: 'tool_use', id: 'call_2', name: 'weather', input: { city: 'Rome' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'call_1', content: '18' },
            { type: 'tool_result', tool_use_id: 'call_2', content: '24' },
          ],
        },
      ],
    };
    const { request } = toUpstream(parse(body), { target: GEMINI, signatures: knownSignatures() });
    const parts = contentsOf(request)[1]!.parts;
    expect(parts.map((part) => part.thoughtSignature)).toEqual([GEMINI_SIG, undefined]);
  });
});

describe('thinking configuration', () => {
  const ask = (thinking: Json, extra: Json = {}) => ({
    model: 'x',
    max_tokens: 32000,
    messages: [{ role: 'user', content: 'hi' }],
    thinking,
    ...extra,
  });
  const configFor = (body: Json, target: UpstreamContext['target'], limits?: UpstreamContext['limits']) =>
    toUpstream(parse(body), { target, limits, signatures: new SignatureBook() }).request
      .generationConfig as Json;

  it.each([
    ['low', 4096],
    ['medium', 16384],
    ['high', 32000],
    ['xhigh', 63999],
    ['max', 63999],
  ])('adaptive at %s effort gives Claude a budget of %i', (effort, budget) => {
    const config = configFor(ask({ type: 'adaptive' }, { output_config: { effort } }), CLAUDE, CLAUDE_LIMITS);
    expect(config.thinkingConfig).toEqual({ includeThoughts: true, thinkingBudget: budget });
    expect(config.maxOutputTokens as number).toBeGreaterThan(budget);
    expect(config.maxOutputTokens as number).toBeLessThanOrEqual(64000);
  });

  it.each([
    ['low', 'low'],
    ['medium', 'medium'],
    ['high', 'high'],
    ['xhigh', 'high'],
    ['max', 'high'],
  ])('adaptive at %s effort gives Gemini 3 the level %s', (effort, level) => {
    const config = configFor(ask({ type: 'adaptive' }, { output_config: { effort } }), GEMINI);
    expect(config).toEqual({
      maxOutputTokens: 32000,
      thinkingConfig: { includeThoughts: true, thinkingLevel: level },
    });
  });

  it('adaptive without an effort is high; Gemini 2.5 gets a budget within its range (wire.md §6.8 #11)', () => {
    expect(configFor(ask({ type: 'adaptive' }), CLAUDE).thinkingConfig).toEqual({
      includeThoughts: true,
      thinkingBudget: 32000,
    });
    expect(
      configFor(ask({ type: 'adaptive' }), { model: 'gemini-2.5-flash', family: 'gemini' }).thinkingConfig,
    ).toEqual({
      includeThoughts: true,
      thinkingBudget: 24576,
    });
  });

  it('clamps an enabled budget to the model range', () => {
    const limits = { maxOutputTokens: 65536, thinkingBudget: { min: 128, max: 32768 } };
    expect(configFor(ask({ type: 'enabled', budget_tokens: 50000 }), GEMINI, limits).thinkingConfig).toEqual({
      includeThoughts: true,
      thinkingBudget: 32768,
    });
    expect(configFor(ask({ type: 'enabled', budget_tokens: 10 }), GEMINI, limits).thinkingConfig).toEqual({
      includeThoughts: true,
      thinkingBudget: 128,
    });
  });

  it("keeps Claude Code's classic 31999 budget under its 32000 max_tokens", () => {
    const config = configFor(ask({ type: 'enabled', budget_tokens: 31999 }), CLAUDE, CLAUDE_LIMITS);
    expect(config).toEqual({
      maxOutputTokens: 32000,
      thinkingConfig: { includeThoughts: true, thinkingBudget: 31999 },
    });
  });

  it('raises Claude max output to budget + 8192, at most the model cap (wire.md §6.8 #10)', () => {
    const config = configFor(
      ask({ type: 'enabled', budget_tokens: 10000 }, { max_tokens: 4096 }),
      CLAUDE,
      CLAUDE_LIMITS,
    );
    expect(config).toEqual({
      maxOutputTokens: 18192,
      thinkingConfig: { includeThoughts: true, thinkingBudget: 10000 },
    });
    const capped = configFor(
      ask({ type: 'enabled', budget_tokens: 60000 }, { max_tokens: 4096 }),
      CLAUDE,
      CLAUDE_LIMITS,
    );
    expect(capped).toEqual({
      maxOutputTokens: 64000,
      thinkingConfig: { includeThoughts: true, thinkingBudget: 60000 },
    });
  });

  it('lowers the budget under a cap that leaves no room, and drops thinking below 1024', () => {
    const small = { maxOutputTokens: 8000, thinkingBudget: { min: 1024, max: 64000 } };
    expect(configFor(ask({ type: 'enabled', budget_tokens: 20000 }), CLAUDE, small)).toEqual({
      maxOutputTokens: 8000,
      thinkingConfig: { includeThoughts: true, thinkingBudget: 7999 },
    });
    const tiny = { maxOutputTokens: 1000 };
    expect(
      configFor(ask({ type: 'enabled', budget_tokens: 4000 }, { max_tokens: 500 }), CLAUDE, tiny),
    ).toEqual({
      maxOutputTokens: 500,
    });
  });

  it('sends no thinking config for disabled or absent thinking', () => {
    expect(configFor(ask({ type: 'disabled' }), CLAUDE, CLAUDE_LIMITS)).toEqual({ maxOutputTokens: 32000 });
    const { thinking: _none, ...body } = ask({});
    expect(configFor(body, GEMINI)).toEqual({ maxOutputTokens: 32000 });
  });
});
