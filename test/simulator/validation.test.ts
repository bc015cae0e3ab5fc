import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTDATED_CLIENT_MESSAGE } from '../../src/simulator/rpc-errors.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import {
  BANNED,
  PRO,
  VERIFY,
  accessToken,
  generateBody,
  hello,
  rpc,
  type Envelope,
  type RpcBody,
} from './helpers.ts';

const PROJECT = 'useful-fuze-x7k2p';
let sim: Simulator;
let token: string;
beforeAll(async () => {
  sim = await startSimulator();
  token = await accessToken(sim, PRO);
});
afterAll(() => sim.close());

async function generate(
  model: string,
  request: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  const res = await rpc(sim, token, 'generateContent', {
    ...generateBody(PROJECT, model, request),
    ...extra,
  });
  const json = (await res.json()) as RpcBody & Envelope;
  return { status: res.status, json, message: json.error?.message ?? '' };
}

const weather = {
  functionDeclarations: [
    {
      name: 'get_weather',
      description: 'Get weather',
      parameters: { type: 'OBJECT', properties: { city: { type: 'STRING' } }, required: ['city'] },
    },
  ],
};

describe('envelope', () => {
  it('refuses unknown keys at the top and inside request, and accepts snake_case and duplicates', async () => {
    const top = await generate('gemini-3-flash', hello(), { foo: 1 });
    expect(top.status).toBe(400);
    expect(top.message).toContain('Unknown name "foo"');
    const inner = await generate('gemini-3-flash', { ...hello(), extra: true });
    expect(inner.message).toContain(`Unknown name "extra" at 'request'`);

    const snake = await generate(
      'gemini-3-flash',
      {
        ...hello(),
        session_id: 'any string at all',
        tools: [weather],
        toolConfig: { functionCallingConfig: { mode: 'AUTO' } },
        tool_config: { function_calling_config: { mode: 'AUTO' } },
        generation_config: {
          max_output_tokens: 1000,
          thinking_config: { include_thoughts: true, thinking_budget: 1024 },
        },
      },
      { user_prompt_id: 'p1', enabled_credit_types: [] },
    );
    expect(snake.status).toBe(200);
  });

  it('checks project, model and per-account model sets', async () => {
    const foreign = await rpc(
      sim,
      token,
      'generateContent',
      generateBody('rising-fact-p41fc', 'gemini-3-flash', hello()),
    );
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as RpcBody).error.details?.[0]?.reason).toBe('SERVICE_DISABLED');
    const lacking = await generate('gemini-3-pro-image', hello());
    expect(lacking.status).toBe(404);
    expect(lacking.message).toBe('Requested entity was not found.');
    expect((await generate('gemini-3.1-flash-image', hello())).status).toBe(200);
    expect((await generate('gemini-3.1-pro-high', hello())).status).toBe(400);
    expect((await generate('no-such-model', hello())).status).toBe(404);
  });
});

describe('request rules', () => {
  it('allows only user and model roles and a leading user turn for Gemini', async () => {
    const system = await generate('gemini-3-flash', {
      contents: [{ role: 'system', parts: [{ text: 'x' }] }],
    });
    expect(system.message).toBe('Please use a valid role: user, model.');
    const leadingModel = await generate('gemini-3-flash', {
      contents: [
        { role: 'model', parts: [{ text: 'hi' }] },
        { role: 'user', parts: [{ text: 'hello' }] },
      ],
    });
    expect(leadingModel.status).toBe(400);
  });

  it('caps maxOutputTokens at the model limit', async () => {
    expect(
      (await generate('gemini-3-flash', { ...hello(), generationConfig: { maxOutputTokens: 65536 } })).status,
    ).toBe(200);
    const over = await generate('gemini-3-flash', {
      ...hello(),
      generationConfig: { maxOutputTokens: 65537 },
    });
    expect(over.status).toBe(400);
    expect(over.message).toContain('maxOutputTokens value of 65537');
  });

  it('refuses JSON-Schema-only keywords and type arrays in tool schemas', async () => {
    const tool = (parameters: unknown) => ({
      ...hello(),
      tools: [{ functionDeclarations: [{ name: 'f', parameters }] }],
    });
    const extra = await generate('gemini-3-flash', tool({ type: 'object', additionalProperties: false }));
    expect(extra.status).toBe(400);
    expect(extra.message).toContain('Unknown name "additionalProperties"');
    const schema = await generate(
      'gemini-3-flash',
      tool({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' }),
    );
    expect(schema.message).toContain('Unknown name "$schema"');
    const nested = await generate(
      'gemini-3-flash',
      tool({ type: 'object', properties: { a: { type: ['string', 'null'] } } }),
    );
    expect(nested.message).toContain('Proto field is not repeating, cannot start list');
    expect(
      (
        await generate(
          'gemini-3-flash',
          tool({ type: 'object', properties: { a: { type: 'string', nullable: true } } }),
        )
      ).status,
    ).toBe(200);
  });

  it('refuses thinkingBudget together with thinkingLevel, and budgets out of range', async () => {
    const both = await generate('gemini-3-flash', {
      ...hello(),
      generationConfig: { thinkingConfig: { thinkingBudget: 1024, thinkingLevel: 'high' } },
    });
    expect(both.status).toBe(400);
    const level = await generate('gemini-3-flash', {
      ...hello(),
      generationConfig: { thinkingConfig: { thinkingLevel: 'HIGH' } },
    });
    expect(level.status).toBe(200);
    const range = await generate('gemini-3-flash', {
      ...hello(),
      generationConfig: { thinkingConfig: { thinkingBudget: 40000 } },
    });
    expect(range.message).toContain('thinking budget 40000 is invalid');
  });

  it('is lenient where the real service is', async () => {
    const call = {
      functionCall: { name: 'get_weather', args: { city: 'Paris' } },
      thoughtSignature: 'skip_thought_signature_validator',
    };
    const lenient = await generate('gemini-3-flash', {
      contents: [
        { role: 'user', parts: [{ text: 'Weather?' }] },
        {
          role: 'model',
          parts: [call, { text: '', thoughtSignature: 'context_engineering_is_the_way_to_go' }],
        },
        {
          role: 'model',
          parts: [{ functionResponse: { name: 'toolu_renamed', response: { result: '18C' } } }],
        },
      ],
      tools: [weather],
    });
    expect(lenient.status).toBe(200);
  });
});

describe('Claude rules', () => {
  const claude = (request: Record<string, unknown>) => generate('claude-sonnet-4-6', request);

  it('requires tool ids on both sides, and matching', async () => {
    const turns = (callId?: string, resultId?: string) => ({
      contents: [
        { role: 'user', parts: [{ text: 'Weather?' }] },
        {
          role: 'model',
          parts: [{ functionCall: { id: callId, name: 'get_weather', args: { city: 'Paris' } } }],
        },
        {
          role: 'user',
          parts: [{ functionResponse: { id: resultId, name: 'get_weather', response: { result: '18C' } } }],
        },
      ],
      tools: [weather],
      toolConfig: { functionCallingConfig: { mode: 'VALIDATED' } },
    });
    expect((await claude(turns('toolu_1', 'toolu_1'))).status).toBe(200);
    const noId = await claude(turns(undefined, 'toolu_1'));
    expect(noId.status).toBe(400);
    expect(noId.message).toContain('tool_use.id: Field required');
    expect(JSON.parse(noId.message)).toMatchObject({
      type: 'error',
      request_id: expect.stringMatching(/^req_vrtx_/),
    });
    expect((await claude(turns('toolu_1', 'toolu_2'))).message).toContain(
      'ids were found without `tool_result` blocks',
    );
    const extra = turns('toolu_1', 'toolu_1');
    const results = (extra.contents[2] as { parts: unknown[] }).parts;
    results.push({ functionResponse: { id: 'toolu_2', name: 'get_weather', response: {} } });
    expect((await claude(extra)).message).toContain(
      'unexpected `tool_use_id` found in `tool_result` blocks: toolu_2',
    );
  });

  it('checks the thinking budget against 1024 and maxOutputTokens', async () => {
    const config = (budget: number, max: number) => ({
      ...hello(),
      generationConfig: {
        maxOutputTokens: max,
        thinkingConfig: { includeThoughts: true, thinkingBudget: budget },
      },
    });
    expect((await claude(config(1024, 9216))).status).toBe(200);
    expect((await claude(config(1023, 9216))).message).toContain('greater than or equal to 1024');
    expect((await claude(config(8192, 8192))).message).toContain(
      'must be greater than `thinking.budget_tokens`',
    );
  });

  it('refuses empty text parts', async () => {
    const empty = await claude({ contents: [{ role: 'user', parts: [{ text: '' }] }] });
    expect(empty.message).toContain('text content blocks must be non-empty');
  });
});

describe('account state and client version', () => {
  it('answers 403 to banned and unvalidated accounts', async () => {
    const banned = await rpc(
      sim,
      await accessToken(sim, BANNED),
      'generateContent',
      generateBody('lost-canyon-p8r2k', 'gemini-3-flash', hello()),
    );
    expect(banned.status).toBe(403);
    expect(((await banned.json()) as RpcBody).error.message).toContain('violation of Terms of Service');
    const verify = await rpc(
      sim,
      await accessToken(sim, VERIFY),
      'generateContent',
      generateBody('stray-pixel-v5n1j', 'gemini-3-flash', hello()),
    );
    const body = (await verify.json()) as RpcBody;
    expect(verify.status).toBe(403);
    expect(body.error.details?.[0]?.reason).toBe('VALIDATION_REQUIRED');
    expect(body.error.details?.[0]?.metadata?.validation_url).toBe(sim.account(VERIFY).validationUrl);
  });

  it('refuses clients below minClientVersion', async () => {
    sim.setMinClientVersion('2.9.0');
    try {
      const send = (headers: Record<string, string>) =>
        rpc(sim, token, 'generateContent', generateBody(PROJECT, 'gemini-3-flash', hello()), { headers });
      const old = await send({ 'user-agent': 'antigravity/2.8.4 darwin/arm64' });
      expect(old.status).toBe(400);
      expect(((await old.json()) as RpcBody).error).toMatchObject({
        status: 'FAILED_PRECONDITION',
        message: OUTDATED_CLIENT_MESSAGE,
      });
      expect((await send({ 'user-agent': 'antigravity/2.10.0 darwin/arm64' })).status).toBe(200);
      expect((await send({ 'x-client-version': '1.0.0' })).status).toBe(400);
    } finally {
      sim.setMinClientVersion(undefined);
    }
    expect(
      (
        await rpc(
          sim,
          token,
          'loadCodeAssist',
          {},
          { headers: { 'user-agent': 'antigravity/1.0.0 linux/x64' } },
        )
      ).status,
    ).toBe(200);
  });
});
