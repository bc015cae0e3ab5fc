import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PLACEHOLDER_PNG } from '../../src/simulator/reply-plan.ts';
import {
  A,
  C,
  CLAUDE,
  client,
  env,
  GEMINI3,
  generations,
  imageUrl,
  useOpenAiSdkEnvironment,
  type Body,
} from './openai-sdk.fixtures.ts';

useOpenAiSdkEnvironment();

const WEATHER: OpenAI.ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' } },
      required: ['city'],
      additionalProperties: false,
    },
  },
};

const lastSent = () => generations().at(-1)!.body as Body;

describe('the official openai SDK through the proxy: Chat Completions', () => {
  it('non-stream text', async () => {
    const completion = await client.chat.completions.create({
      model: GEMINI3,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Tell me about otters' },
      ],
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0]!.message.content).toContain('Tell me about otters');
    expect(completion.choices[0]!.finish_reason).toBe('stop');
    expect(completion.usage?.prompt_tokens).toBeGreaterThan(0);
  });

  it('stream text with include_usage: one id and model on every chunk, role first, one usage chunk', async () => {
    const stream = await client.chat.completions.create({
      model: GEMINI3,
      messages: [{ role: 'user', content: 'Stream about rivers' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    expect(new Set(chunks.map((chunk) => chunk.model)).size).toBe(1);
    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant');
    const usage = chunks.filter((chunk) => chunk.usage);
    expect(usage).toHaveLength(1);
    expect(usage[0]!.choices).toEqual([]);
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    expect(text).toContain('Stream about rivers');
  });

  it('chat.completions.stream().finalChatCompletion() passes the SDK’s strict validator, tool calls included', async () => {
    env.sim.script(A, GEMINI3, { kind: 'toolCall', name: 'get_weather', args: { city: 'Quito' } });
    const final = await client.chat.completions
      .stream({
        model: GEMINI3,
        messages: [{ role: 'user', content: 'Weather in Quito?' }],
        tools: [WEATHER],
      })
      .finalChatCompletion();
    expect(final.choices[0]!.finish_reason).toBe('tool_calls');
    const call = final.choices[0]!.message.tool_calls![0]!;
    expect(call.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ city: 'Quito' });
  });

  async function toolLoop(model: string, turns: number, rotateHalfway = false): Promise<void> {
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Plan a trip' }];
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
        thought: `Step ${turn}: weather of city ${turn}.`,
      });
      const reply = await client.chat.completions.create({
        model,
        messages,
        tools: [WEATHER],
        reasoning_effort: 'low',
      });
      const message = reply.choices[0]!.message;
      expect(reply.choices[0]!.finish_reason, JSON.stringify(message)).toBe('tool_calls');
      const call = message.tool_calls![0]!;
      // Apps send back what the SDK typed: no reasoning, no signature.
      messages.push({ role: 'assistant', content: message.content, tool_calls: message.tool_calls });
      messages.push({ role: 'tool', tool_call_id: call.id, content: `Sunny in City ${turn}` });
    }
    const last = await client.chat.completions.create({
      model,
      messages,
      tools: [WEATHER],
      reasoning_effort: 'low',
    });
    expect(last.choices[0]!.finish_reason).toBe('stop');
  }

  it('a multi-turn tool loop on a Gemini 3 model: the signatures come back from the proxy’s cache', async () => {
    const before = generations().length;
    await toolLoop(GEMINI3, 3);
    const calls = generations().slice(before);
    expect(calls.every((call) => call.status === 200)).toBe(true);
    const signatures = lastSent()
      .request.contents.flatMap((c) => c.parts)
      .filter((p) => p.functionCall)
      .map((p) => p.thoughtSignature);
    expect(signatures).toHaveLength(3);
    expect(signatures.every((s) => typeof s === 'string' && s !== 'skip_thought_signature_validator')).toBe(
      true,
    );
  });

  it('a multi-turn tool loop on a Claude model with thinking: ids paired, the loop closed where thinking was lost', async () => {
    const before = generations().length;
    await toolLoop(CLAUDE, 3);
    expect(
      generations()
        .slice(before)
        .every((call) => call.status === 200),
    ).toBe(true);
  });

  it('the same loop with account A answering 429 halfway goes on on C', async () => {
    const before = generations().length;
    await toolLoop(CLAUDE, 4, true);
    const calls = generations().slice(before);
    expect(calls.some((call) => call.account === A && call.status === 429)).toBe(true);
    expect(calls.some((call) => call.account === C && call.status === 200)).toBe(true);
  });

  it('image input, as a data URL and as an http URL the proxy fetches', async () => {
    const completion = await client.chat.completions.create({
      model: GEMINI3,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare these' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${PLACEHOLDER_PNG}` } },
            { type: 'image_url', image_url: { url: imageUrl } },
          ],
        },
      ],
    });
    expect(completion.choices[0]!.message.content).toBeTruthy();
    const inline = lastSent()
      .request.contents.flatMap((c) => c.parts)
      .filter((p) => p.inlineData) as Array<{ inlineData: { mimeType: string; data: string } }>;
    expect(inline.map((p) => p.inlineData)).toEqual([
      { mimeType: 'image/png', data: PLACEHOLDER_PNG },
      { mimeType: 'image/png', data: PLACEHOLDER_PNG },
    ]);
  });

  it('json_schema output parsed with chat.completions.parse and a zod schema', async () => {
    const City = z.object({ name: z.string(), population: z.number().int().min(1) });
    const completion = await client.chat.completions.parse({
      model: GEMINI3,
      messages: [{ role: 'user', content: 'Name a city' }],
      response_format: zodResponseFormat(City, 'city'),
    });
    const parsed = completion.choices[0]!.message.parsed;
    expect(City.parse(parsed)).toEqual(parsed);
  });

  it('models.list() and models.retrieve()', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toContain(GEMINI3);
    const one = await client.models.retrieve(GEMINI3);
    expect(one).toMatchObject({ id: GEMINI3, object: 'model' });
  });

  it('images.generate through the image model', async () => {
    const result = await client.images.generate({
      model: 'gpt-image-1',
      prompt: 'an otter',
      size: '1024x1024',
    });
    expect(result.data?.[0]?.b64_json).toBe(PLACEHOLDER_PNG);
  });

  it('each error surfaces as the SDK’s matching error class', async () => {
    const notFound = await client.chat.completions
      .create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] })
      .catch((error: unknown) => error);
    expect(notFound).toBeInstanceOf(OpenAI.NotFoundError);
    expect(notFound).toMatchObject({ code: 'model_not_found', param: 'model' });

    await expect(
      client.chat.completions.create({ model: GEMINI3, messages: 'x' } as never),
    ).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect(
      client.chat.completions.create({ model: GEMINI3, n: 3, messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toBeInstanceOf(OpenAI.BadRequestError);

    for (const email of [A, C])
      env.sim.script(email, 'gemini-pro-agent', { kind: 'error', preset: 'rateLimit', retryDelay: 300 });
    const limited = await client.chat.completions
      .create({ model: 'gemini-pro-agent', messages: [{ role: 'user', content: 'x' }] })
      .catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    expect(limited).toMatchObject({ code: 'rate_limit_exceeded' });
    expect(
      Number((limited as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after')),
    ).toBeGreaterThan(200);

    const internal = { kind: 'error' as const, preset: 'internal' as const };
    for (const email of [A, C])
      env.sim.script(email, 'gemini-3.1-pro-low', ...Array.from({ length: 6 }, () => internal));
    await expect(
      client.chat.completions.create({
        model: 'gemini-3.1-pro-low',
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).rejects.toBeInstanceOf(OpenAI.InternalServerError);

    const tooBig = await fetch(`${env.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: GEMINI3,
        messages: [{ role: 'user', content: 'x'.repeat(101 * 1024 * 1024) }],
      }),
    });
    expect(tooBig.status).toBe(413);
    expect(((await tooBig.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');

    await env.server.ctx.settings.update({ proxy: { apiKeys: ['the-only-valid-key'] } });
    try {
      const refused = await client.models.list().catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(OpenAI.AuthenticationError);
      expect(refused).toMatchObject({ code: 'invalid_api_key' });
    } finally {
      await env.server.ctx.settings.update({ proxy: { apiKeys: [] } });
    }
  });
});
