/**
 * The openai SDK's own tool loop (`runTools`) against the Chat Completions translators: every
 * request the SDK sends is parsed and translated as the proxy would, the answer comes from scripted
 * upstream events through the responder, and the SDK runs the tool and sends the loop's next turn.
 */
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { UpstreamChunk } from '../../../../src/google/generate-client.ts';
import { openaiError } from '../../../../src/protocols/openai/errors.ts';
import { createChatResponder } from '../../../../src/protocols/openai/chat/responder.ts';
import { parseChatBody } from '../../../../src/protocols/openai/chat/request-schema.ts';
import { toUpstream } from '../../../../src/protocols/openai/chat/to-upstream.ts';
import { SignatureBook } from '../../../../src/protocols/shared/signature-book.ts';
import { applyTargetRules } from '../../../../src/protocols/target/target-rules.ts';

type Json = Record<string, unknown>;

const GEMINI = { model: 'gemini-3-flash', family: 'gemini' as const };
const CALL_SIG = 'EqwCCqkCARFNMg9aSignatureOfTheWeatherCallForTheLoop';

const ANSWERS: UpstreamChunk[][] = [
  [
    {
      response: {
        candidates: [
          {
            content: {
              role: 'model',
              parts: [
                {
                  functionCall: { name: 'get_weather', args: { city: 'Paris' } },
                  thoughtSignature: CALL_SIG,
                },
              ],
            },
            finishReason: 'STOP',
          },
        ],
        usageMetadata: { promptTokenCount: 30, candidatesTokenCount: 5, totalTokenCount: 35 },
      },
    },
  ],
  [
    {
      response: {
        candidates: [
          {
            content: { role: 'model', parts: [{ text: 'It is 18\u00b0C in Paris.' }] },
            finishReason: 'STOP',
          },
        ],
        usageMetadata: { promptTokenCount: 50, candidatesTokenCount: 8, totalTokenCount: 58 },
      },
    },
  ],
];

/** A proxy in miniature: parse, translate (with the target rules), answer through the responder. */
function proxy() {
  const book = new SignatureBook();
  const upstreamRequests: Json[] = [];
  let turn = 0;
  const fetch = async (_url: unknown, init?: { body?: unknown }) => {
    const parsed = parseChatBody(JSON.parse(String(init?.body)));
    if (!parsed.ok) {
      const reply = openaiError({
        status: 400,
        code: 'invalid_request',
        message: parsed.message,
        param: parsed.param,
      });
      return new Response(JSON.stringify(reply.body), {
        status: 400,
        headers: { 'content-type': 'application/json' },
      });
    }
    const request = parsed.request;
    const translation = toUpstream(request, { target: GEMINI, signatures: book, sessionKey: 'loop' });
    upstreamRequests.push(applyTargetRules(translation.request, GEMINI));
    const responder = createChatResponder({
      requestedModel: request.model,
      family: 'gemini',
      toolNames: translation.toolNames,
      signatures: book,
      sessionKey: 'loop',
      includeUsage: request.stream_options?.include_usage === true,
    });
    responder.servedBy('acct-1');
    const chunks = ANSWERS[turn++]!;
    if (!request.stream) return Response.json(responder.assemble(chunks));
    const sse = chunks.map((chunk) => responder.event(chunk)).join('') + responder.close();
    return new Response(sse, { status: 200, headers: { 'content-type': responder.contentType } });
  };
  const client = new OpenAI({ apiKey: 'test', baseURL: 'http://proxy.test/v1', maxRetries: 0, fetch });
  return { client, upstreamRequests };
}

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    parse: JSON.parse,
    function: (args: { city: string }) => `18\u00b0C in ${args.city}`,
  },
};

describe('the SDK tool loop through the translators', () => {
  it.each([true, false])('stream: %s', async (stream) => {
    const { client, upstreamRequests } = proxy();
    const params = {
      model: 'gemini-3-flash',
      messages: [{ role: 'user' as const, content: 'Weather in Paris?' }],
      tools: [weatherTool],
    };
    const runner = stream
      ? client.chat.completions.runTools({ ...params, stream: true, stream_options: { include_usage: true } })
      : client.chat.completions.runTools(params);
    expect(await runner.finalContent()).toBe('It is 18\u00b0C in Paris.');

    // The second upstream request: the call with its Gemini signature restored, the result after it.
    expect(upstreamRequests).toHaveLength(2);
    const contents = upstreamRequests[1]!.contents as Json[];
    expect(contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather in Paris?' }] },
      {
        role: 'model',
        parts: [
          {
            functionCall: {
              id: expect.stringMatching(/^call_/),
              name: 'get_weather',
              args: { city: 'Paris' },
            },
            thoughtSignature: CALL_SIG,
          },
        ],
      },
      {
        role: 'user',
        parts: [
          {
            functionResponse: {
              id: expect.stringMatching(/^call_/),
              name: 'get_weather',
              response: { result: '18\u00b0C in Paris' },
            },
          },
        ],
      },
    ]);
  });
});
