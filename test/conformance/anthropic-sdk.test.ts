import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLACEHOLDER_PNG } from '../../src/simulator/reply-plan.ts';
import { startTestEnvironment, type TestEnvironment } from '../helpers/app.ts';

const A = 'alice.pro@gmail.com';
const C = 'carol.ultra@gmail.com';
const CLAUDE = 'claude-sonnet-4-6';
const GEMINI3 = 'gemini-3-flash';

let env: TestEnvironment;
let client: Anthropic;
let accountIds: string[];
beforeAll(async () => {
  env = await startTestEnvironment({ settings: { scheduling: { mode: 'current-first' } } });
  accountIds = await env.importAccounts(A, C);
  await env.api('POST', `/api/accounts/${accountIds[0]}/current`);
  client = new Anthropic({ baseURL: env.url, apiKey: 'any-key', maxRetries: 0 });
});
afterAll(async () => {
  await env.close();
});

const WEATHER_TOOL: Anthropic.Tool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  input_schema: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  } as Anthropic.Tool.InputSchema,
};

const generations = (email?: string) =>
  env.sim.requests.filter((r) => r.rpc === 'streamGenerateContent' && (!email || r.account === email));

describe('the official Anthropic SDK through the proxy', () => {
  it('non-stream: a Message with text, stop_reason and usage', async () => {
    const message = await client.messages.create({
      model: CLAUDE,
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'Tell me about otters' }],
    });
    expect(message.type).toBe('message');
    expect(message.role).toBe('assistant');
    expect(message.model).toBe(CLAUDE);
    expect(message.stop_reason).toBe('end_turn');
    const text = message.content.find((block) => block.type === 'text');
    expect(text?.type === 'text' && text.text).toContain('Tell me about otters');
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    expect(message.usage.output_tokens).toBeGreaterThan(0);
  });

  it('stream().finalMessage() rebuilds text, thinking with its signature, and tool_use', async () => {
    env.sim.script(A, CLAUDE, {
      kind: 'toolCall',
      name: 'get_weather',
      args: { city: 'Lima' },
      thought: 'The user wants the weather; call the tool.',
      text: 'Let me check.',
    });
    const message = await client.messages
      .stream({
        model: CLAUDE,
        max_tokens: 8192,
        thinking: { type: 'enabled', budget_tokens: 2048 },
        tools: [WEATHER_TOOL],
        messages: [{ role: 'user', content: 'Weather in Lima?' }],
      })
      .finalMessage();
    expect(message.stop_reason).toBe('tool_use');
    const [thinking, text, toolUse] = message.content;
    expect(thinking?.type).toBe('thinking');
    expect(thinking?.type === 'thinking' && thinking.signature.length).toBeGreaterThan(50);
    expect(text?.type === 'text' && text.text).toBe('Let me check.');
    expect(toolUse).toMatchObject({ type: 'tool_use', name: 'get_weather', input: { city: 'Lima' } });
  });

  /**
   * A tool loop of `turns` calls and a final answer. A (the current account) serves it; with
   * `rotateHalfway`, A answers 429 halfway and the rest of the loop goes to C.
   */
  async function toolLoop(model: string, turns: number, rotateHalfway = false): Promise<void> {
    const messages: Anthropic.MessageParam[] = [
      { role: 'user', content: 'Plan a trip through three cities' },
    ];
    let serving = A;
    for (let turn = 0; turn < turns; turn++) {
      if (rotateHalfway && turn === Math.floor(turns / 2)) {
        env.sim.script(A, model, { kind: 'error', preset: 'rateLimit', retryDelay: 600 });
        serving = C;
      }
      env.sim.script(serving, model, {
        kind: 'toolCall',
        name: 'get_weather',
        args: { city: `City ${turn}` },
        thought: `Step ${turn}: I need the weather of city ${turn}.`,
      });
      const reply = await client.messages
        .stream({
          model,
          max_tokens: 8192,
          thinking: { type: 'enabled', budget_tokens: 2048 },
          tools: [WEATHER_TOOL],
          messages,
        })
        .finalMessage();
      expect(reply.stop_reason, JSON.stringify(reply.content)).toBe('tool_use');
      const call = reply.content.find((block) => block.type === 'tool_use');
      if (call?.type !== 'tool_use') throw new Error('no tool_use');
      // Claude Code keeps only the fields it knows: no Gemini thoughtSignature travels back.
      messages.push({ role: 'assistant', content: reply.content });
      messages.push({
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: call.id, content: `Sunny in City ${turn}` }],
      });
    }
    const last = await client.messages.create({
      model,
      max_tokens: 8192,
      thinking: { type: 'enabled', budget_tokens: 2048 },
      tools: [WEATHER_TOOL],
      messages,
    });
    expect(last.stop_reason).toBe('end_turn');
  }

  it('a multi-turn tool loop with thinking on a Claude model: every signature and id verified upstream', async () => {
    const before = generations().length;
    await toolLoop(CLAUDE, 4);
    const calls = generations().slice(before);
    expect(calls.every((call) => call.status === 200)).toBe(true);
    // Every replayed thinking block went back with its signature (the simulator checks each one).
    const lastBody = calls.at(-1)!.body as {
      request: { contents: Array<{ parts: Array<Record<string, unknown>> }> };
    };
    const replayedThoughts = lastBody.request.contents.flatMap((c) => c.parts).filter((p) => p.thought);
    expect(replayedThoughts.length).toBeGreaterThanOrEqual(4);
  });

  it('the same loop on a Gemini 3 model: tool-call signatures come from the proxy’s cache, not the client', async () => {
    const before = generations().length;
    await toolLoop(GEMINI3, 4);
    const calls = generations().slice(before);
    expect(calls.every((call) => call.status === 200)).toBe(true);
    const lastBody = calls.at(-1)!.body as {
      request: { contents: Array<{ parts: Array<Record<string, unknown>> }> };
    };
    const signed = lastBody.request.contents
      .flatMap((c) => c.parts)
      .filter((p) => p.functionCall)
      .map((p) => p.thoughtSignature);
    expect(signed).toHaveLength(4);
    expect(
      signed.every(
        (signature) => typeof signature === 'string' && signature !== 'skip_thought_signature_validator',
      ),
    ).toBe(true);
  });

  it('the Claude loop survives account A answering 429 halfway: it goes on on C', async () => {
    const before = generations().length;
    await toolLoop(CLAUDE, 4, true);
    const calls = generations().slice(before);
    expect(calls.some((call) => call.account === A && call.status === 429)).toBe(true);
    expect(calls.filter((call) => call.account === C && call.status === 200).length).toBeGreaterThan(0);
    expect(calls.filter((call) => call.status !== 200 && call.status !== 429)).toEqual([]);
  });

  it('image input, also inside a tool_result', async () => {
    const image = { type: 'base64' as const, media_type: 'image/png' as const, data: PLACEHOLDER_PNG };
    const message = await client.messages.create({
      model: GEMINI3,
      max_tokens: 1024,
      tools: [WEATHER_TOOL],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: image },
            { type: 'text', text: 'What is this?' },
          ],
        },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'toolu_img_1', name: 'get_weather', input: { city: 'Oslo' } }],
        },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 'toolu_img_1',
              content: [
                { type: 'text', text: 'radar picture' },
                { type: 'image', source: image },
              ],
            },
          ],
        },
      ],
    });
    expect(message.content.some((block) => block.type === 'text')).toBe(true);
    const sent = generations().at(-1)!.body as {
      request: { contents: Array<{ parts: Array<Record<string, unknown>> }> };
    };
    const images = sent.request.contents.flatMap((c) => c.parts).filter((p) => p.inlineData);
    expect(images).toHaveLength(2);
  });

  it('web search becomes Google Search grounding and comes back as server_tool_use and results', async () => {
    const message = await client.messages.create({
      model: GEMINI3,
      max_tokens: 1024,
      tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 3 }],
      messages: [{ role: 'user', content: 'What is new in Node 24?' }],
    });
    const sent = generations().at(-1)!.body as { request: { tools: unknown[] } };
    expect(sent.request.tools).toEqual([{ googleSearch: {} }]);
    const use = message.content.find((block) => block.type === 'server_tool_use');
    expect(use).toMatchObject({ name: 'web_search', input: { query: expect.any(String) } });
    const results = message.content.find((block) => block.type === 'web_search_tool_result');
    expect(
      results?.type === 'web_search_tool_result' && Array.isArray(results.content) && results.content.length,
    ).toBeGreaterThan(0);
    expect(message.usage.server_tool_use?.web_search_requests).toBeGreaterThan(0);
  });

  it('count_tokens is within ±15 % of what the upstream counts for the same request', async () => {
    const request = {
      model: CLAUDE,
      system: 'You are a careful assistant. '.repeat(40),
      tools: [WEATHER_TOOL],
      messages: [
        {
          role: 'user' as const,
          content: 'Describe the weather patterns of the Andes in detail. '.repeat(30),
        },
        {
          role: 'user' as const,
          content: [
            {
              type: 'image' as const,
              source: { type: 'base64' as const, media_type: 'image/png' as const, data: PLACEHOLDER_PNG },
            },
          ],
        },
      ],
    };
    const counted = await client.messages.countTokens(request);
    const answered = await client.messages.create({ ...request, max_tokens: 512 });
    // The upstream's own count for the same prompt: uncached input plus cache reads.
    const upstream = answered.usage.input_tokens + (answered.usage.cache_read_input_tokens ?? 0);
    expect(counted.input_tokens).toBeGreaterThan(0);
    expect(Math.abs(counted.input_tokens - upstream) / upstream).toBeLessThanOrEqual(0.15);
    // A Gemini model is counted upstream.
    const gemini = await client.messages.countTokens({ ...request, model: GEMINI3 });
    expect(gemini.input_tokens).toBeGreaterThan(0);
  });

  it('each error surfaces as the SDK’s matching error class', async () => {
    await expect(
      client.messages.create({
        model: 'no-such-model',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).rejects.toBeInstanceOf(Anthropic.NotFoundError);
    await expect(
      client.messages.create({ model: CLAUDE, messages: [{ role: 'user', content: 'x' }] } as never),
    ).rejects.toBeInstanceOf(Anthropic.BadRequestError);

    for (const email of [A, C])
      env.sim.script(email, GEMINI3, { kind: 'error', preset: 'rateLimit', retryDelay: 300 });
    const limited = await client.messages
      .create({ model: GEMINI3, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
      .catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError);
    const headers = (limited as InstanceType<typeof Anthropic.RateLimitError>).headers;
    expect(Number(headers.get('retry-after'))).toBeGreaterThan(200);
    expect(headers.get('x-should-retry')).toBe('false');
    expect((limited as InstanceType<typeof Anthropic.RateLimitError>).error).toMatchObject({
      type: 'error',
      error: { type: 'rate_limit_error' },
    });

    // Every host of the fallback list answers 500, on both accounts: the client gets a 5xx.
    const internal = { kind: 'error' as const, preset: 'internal' as const };
    for (const email of [A, C])
      env.sim.script(email, 'gemini-pro-agent', ...Array.from({ length: 6 }, () => internal));
    await expect(
      client.messages.create({
        model: 'gemini-pro-agent',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).rejects.toBeInstanceOf(Anthropic.InternalServerError);

    const tooBig = await fetch(`${env.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({
        model: CLAUDE,
        max_tokens: 1,
        messages: [{ role: 'user', content: 'x'.repeat(101 * 1024 * 1024) }],
      }),
    });
    expect(tooBig.status).toBe(413);
    expect(await tooBig.json()).toMatchObject({ type: 'error', error: { type: 'request_too_large' } });

    await env.server.ctx.settings.update({ proxy: { apiKeys: ['the-only-valid-key'] } });
    try {
      await expect(
        client.messages.create({ model: CLAUDE, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }),
      ).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
    } finally {
      await env.server.ctx.settings.update({ proxy: { apiKeys: [] } });
    }
  });
});
