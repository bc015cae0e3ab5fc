/**
 * What the translation sends, after the pipeline's target rules, passes the simulator's checks of
 * what v1internal refuses (the only fake, wire.md §2.12–2.14): Claude's tool pairing, empty text,
 * VALIDATED mode and verified thinking signatures; Gemini's leading user turn and first-call signature.
 */
import { describe, expect, it } from 'vitest';
import type { UpstreamChunk } from '../../../../src/google/generate-client.ts';
import { keepSignaturesOf } from '../../../../src/protocols/anthropic/account-signatures.ts';
import { createChatResponder } from '../../../../src/protocols/openai/chat/responder.ts';
import { toUpstream } from '../../../../src/protocols/openai/chat/to-upstream.ts';
import { SignatureBook } from '../../../../src/protocols/shared/signature-book.ts';
import { applyTargetRules } from '../../../../src/protocols/target/target-rules.ts';
import { loadDefaultFixtures } from '../../../../src/simulator/fixtures.ts';
import { enforceModelRules } from '../../../../src/simulator/model-rules.ts';
import { SignatureBook as IssuedSignatures } from '../../../../src/simulator/signatures.ts';
import { parseGenerateRequest } from '../../../../src/simulator/validate-request.ts';
import {
  cherryStudioRequest,
  openWebUiRequest,
  parse,
  PNG_BASE64,
  sdkAssistantMessage,
  sdkToolLoopRequest,
} from './request-fixtures.ts';

type Json = Record<string, unknown>;

const MODELS = loadDefaultFixtures().models;
const model = (id: string) => MODELS.find((entry) => entry.id === id)!;
const RULES = { claude: true, gemini: true, schemas: true };
const EMAIL = 'dev@example.com';

function send(
  body: Json,
  id: string,
  options: { book?: SignatureBook; issued?: IssuedSignatures; accountId?: string } = {},
): void {
  const fixture = model(id);
  const target = { model: id, family: fixture.family as 'claude' | 'gemini' };
  const book = options.book ?? new SignatureBook();
  const limits = {
    maxOutputTokens: fixture.maxOutputTokens!,
    thinkingBudget: fixture.thinking && { min: fixture.thinking.min, max: fixture.thinking.max },
  };
  const { request } = toUpstream(parse(body), { target, limits, signatures: book, sessionKey: 's' });
  let ruled = applyTargetRules(request, target);
  if (target.family === 'claude') ruled = keepSignaturesOf(ruled, options.accountId ?? 'acct-1', book);
  const parsed = parseGenerateRequest(ruled);
  enforceModelRules(fixture, parsed, options.issued ?? new IssuedSignatures(), 'seed', RULES, EMAIL);
}

const BODIES: Array<[string, () => Json]> = [
  ['Cherry Studio', cherryStudioRequest],
  ['Open WebUI', openWebUiRequest],
  ['the SDK tool loop', () => sdkToolLoopRequest()],
  ['the SDK tool loop with reasoning on', () => ({ ...sdkToolLoopRequest(), reasoning_effort: 'high' })],
  [
    'unanswered calls and stray results',
    () => ({
      model: 'm',
      messages: [
        { role: 'user', content: 'go' },
        sdkAssistantMessage(),
        { role: 'tool', tool_call_id: 'call_t1', content: 'late' },
        { role: 'tool', tool_call_id: 'nope', content: 'stray' },
        {
          role: 'user',
          content: [
            { type: 'text', text: ' ' },
            { type: 'text', text: 'well?' },
          ],
        },
      ],
      tools: sdkToolLoopRequest().tools,
    }),
  ],
  [
    'an assistant first, an empty assistant, a markdown image',
    () => ({
      model: 'm',
      messages: [
        { role: 'assistant', content: 'Hello! Ask me anything.' },
        { role: 'user', content: 'draw a dot' },
        { role: 'assistant', content: `![image](data:image/png;base64,${PNG_BASE64})` },
        { role: 'assistant', content: '' },
        { role: 'user', content: 'thanks' },
      ],
    }),
  ],
];

describe('the upstream accepts what is sent', () => {
  for (const id of ['claude-sonnet-4-6', 'gemini-3-flash', 'gemini-3.1-pro-low']) {
    it.each(BODIES)(`${id}: %s`, (_name, body) => {
      expect(() => send(body(), id)).not.toThrow();
    });
  }
});

describe('a Claude tool loop with thinking, the reasoning sent back', () => {
  /** A Claude answer whose thinking signature the simulator itself issued for that text. */
  function claudeAnswer(book: SignatureBook, issued: IssuedSignatures): Json {
    const thinkingText = 'I need the weather first.';
    const signature = issued.issue('claude', {
      email: EMAIL,
      model: 'claude-sonnet-4-6',
      seed: 'r1',
      thinkingText,
    });
    const chunks: UpstreamChunk[] = [
      {
        response: {
          candidates: [
            {
              content: {
                role: 'model',
                parts: [{ text: thinkingText, thought: true, thoughtSignature: signature }],
              },
            },
          ],
        },
      },
      {
        response: {
          candidates: [
            {
              content: {
                role: 'model',
                parts: [
                  {
                    functionCall: {
                      id: 'toolu_vrtx_01WeatherWeatherWeather',
                      name: 'get_weather',
                      args: { city: 'Paris' },
                    },
                  },
                ],
              },
              finishReason: 'STOP',
            },
          ],
        },
      },
    ];
    const responder = createChatResponder({
      requestedModel: 'claude-sonnet-4-6',
      family: 'claude',
      toolNames: new Map(),
      signatures: book,
      sessionKey: 's',
      includeUsage: false,
    });
    responder.servedBy('acct-1');
    return responder.assemble(chunks).choices[0]!.message as unknown as Json;
  }

  const next = (assistant: Json): Json => ({
    model: 'claude-sonnet-4-6',
    reasoning_effort: 'medium',
    messages: [
      { role: 'user', content: 'Weather in Paris?' },
      assistant,
      { role: 'tool', tool_call_id: 'toolu_vrtx_01WeatherWeatherWeather', content: '18\u00b0C' },
    ],
    tools: sdkToolLoopRequest().tools,
  });

  it('verifies upstream on the account that issued it', () => {
    const book = new SignatureBook();
    const issued = new IssuedSignatures();
    expect(() => send(next(claudeAnswer(book, issued)), 'claude-sonnet-4-6', { book, issued })).not.toThrow();
  });

  it('on another account, or without reasoning_content, the loop is closed and still accepted', () => {
    const book = new SignatureBook();
    const issued = new IssuedSignatures();
    const assistant = claudeAnswer(book, issued);
    expect(() =>
      send(next(assistant), 'claude-sonnet-4-6', { book, issued, accountId: 'acct-2' }),
    ).not.toThrow();
    const { reasoning_content: _dropped, ...withoutReasoning } = assistant;
    expect(() => send(next(withoutReasoning), 'claude-sonnet-4-6', { book, issued })).not.toThrow();
  });

  it('reasoning_content changed by the client would not verify (the signature covers the exact text)', () => {
    const book = new SignatureBook();
    const issued = new IssuedSignatures();
    const assistant = { ...claudeAnswer(book, issued), reasoning_content: 'I need the weather first' };
    expect(() => send(next(assistant), 'claude-sonnet-4-6', { book, issued })).toThrow();
  });
});
