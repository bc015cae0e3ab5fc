import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callingModeMessage, emptyObjectMessage } from '../../src/simulator/claude-declarations.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { PRO, accessToken, generateBody, hello, rpc, type RpcBody } from './helpers.ts';

/** The rule sets of wire.md §2.12 / §2.13 a proxy must satisfy, and their switches (§2.14). */

const PROJECT = 'useful-fuze-x7k2p';
const CLAUDE = 'claude-sonnet-4-6';
const REASON = { reason: { type: 'string', description: 'Reason for calling this tool' } };
let sim: Simulator;
let token: string;
beforeAll(async () => {
  sim = await startSimulator();
  token = await accessToken(sim, PRO);
});
afterAll(() => sim.close());
afterEach(() => {
  sim.setRules({ claude: true, gemini: true, schemas: true });
});

async function generate(model: string, request: Record<string, unknown>) {
  const res = await rpc(sim, token, 'generateContent', generateBody(PROJECT, model, request));
  const body = (await res.json()) as Partial<RpcBody>;
  return { status: res.status, message: body.error?.message ?? '', error: body.error };
}

function withTools(parameters: unknown, toolConfig?: unknown, key = 'toolConfig') {
  const declaration = parameters === undefined ? { name: 'f' } : { name: 'f', parameters };
  return {
    ...hello(),
    tools: [{ functionDeclarations: [declaration] }],
    ...(toolConfig === undefined ? {} : { [key]: toolConfig }),
  };
}

const VALIDATED = { functionCallingConfig: { mode: 'VALIDATED' } };
const CITY = { type: 'OBJECT', properties: { city: { type: 'STRING' } }, required: ['city'] };

describe('Claude: function calling mode VALIDATED with function declarations', () => {
  it('refuses a missing or other mode, and accepts VALIDATED in either spelling', async () => {
    const missing = await generate(CLAUDE, withTools(CITY));
    expect(missing.status).toBe(400);
    expect(missing.message).toBe(callingModeMessage(undefined, CLAUDE));
    expect(missing.message).toContain('tool_config.function_calling_config.mode to VALIDATED');
    expect(missing.error?.status).toBe('INVALID_ARGUMENT');
    const auto = await generate(CLAUDE, withTools(CITY, { functionCallingConfig: { mode: 'AUTO' } }));
    expect(auto.message).toBe(callingModeMessage('AUTO', CLAUDE));
    expect((await generate(CLAUDE, withTools(CITY, { functionCallingConfig: {} }))).status).toBe(400);

    expect((await generate(CLAUDE, withTools(CITY, VALIDATED))).status).toBe(200);
    const snake = withTools(CITY, { function_calling_config: { mode: 'VALIDATED' } }, 'tool_config');
    expect((await generate(CLAUDE, snake)).status).toBe(200);
    // AM sends both spellings.
    expect(
      (
        await generate(CLAUDE, {
          ...withTools(CITY, VALIDATED),
          tool_config: { function_calling_config: { mode: 'VALIDATED' } },
        })
      ).status,
    ).toBe(200);
  });

  it('needs no mode without function declarations, and Gemini models need none', async () => {
    expect((await generate(CLAUDE, hello())).status).toBe(200);
    expect((await generate('gemini-3-flash', withTools(CITY))).status).toBe(200);
  });
});

describe('Claude: every object schema of parameters has a property', () => {
  const claude = (parameters: unknown) => generate(CLAUDE, withTools(parameters, VALIDATED));
  const at = 'request.tools[0].function_declarations[0].parameters';

  it('refuses empty object schemas at the top and nested in properties and items', async () => {
    const bare = await claude({ type: 'object' });
    expect(bare.status).toBe(400);
    expect(bare.message).toBe(emptyObjectMessage('f', at));
    expect(bare.error?.details?.[0]?.['@type']).toBe('type.googleapis.com/google.rpc.BadRequest');
    expect((await claude({ type: 'OBJECT', properties: {} })).message).toBe(emptyObjectMessage('f', at));
    const nested = await claude({
      type: 'object',
      properties: { filter: { type: 'object', properties: {} } },
    });
    expect(nested.message).toBe(emptyObjectMessage('f', `${at}.properties["filter"].value`));
    const inItems = await claude({
      type: 'object',
      properties: { rows: { type: 'array', items: { type: 'object' } } },
    });
    expect(inItems.message).toBe(emptyObjectMessage('f', `${at}.properties["rows"].value.items`));
  });

  it('accepts the reason placeholder the proxy adds', async () => {
    expect((await claude({ type: 'object', properties: REASON, required: ['reason'] })).status).toBe(200);
    const nested = {
      type: 'object',
      properties: {
        rows: { type: 'array', items: { type: 'object', properties: REASON, required: ['reason'] } },
      },
    };
    expect((await claude(nested)).status).toBe(200);
  });

  it('needs parameters: neither a missing schema nor parametersJsonSchema reaches Claude', async () => {
    const none = await claude(undefined);
    expect(none.status).toBe(400);
    expect(JSON.parse(none.message)).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'tools.0.custom.input_schema: Field required' },
    });
    const json = await generate(CLAUDE, {
      ...hello(),
      tools: [{ functionDeclarations: [{ name: 'f', parametersJsonSchema: { type: 'object' } }] }],
      toolConfig: VALIDATED,
    });
    expect(json.message).toContain('tools.0.custom.input_schema: Field required');
  });

  it('leaves Gemini models alone', async () => {
    expect((await generate('gemini-3-flash', withTools({ type: 'object' }))).status).toBe(200);
    expect((await generate('gemini-3-flash', withTools(undefined))).status).toBe(200);
  });
});

describe('JSON-Schema-only keywords (all families)', () => {
  const keywords: Record<string, unknown> = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    additionalProperties: false,
    $ref: '#/$defs/x',
    $defs: { x: { type: 'string' } },
    const: 'a',
    exclusiveMinimum: 0,
    propertyNames: { pattern: '^a' },
    patternProperties: { '^a': { type: 'string' } },
  };

  it.each(Object.entries(keywords))(
    'refuses %s in tool parameters and responseSchema',
    async (key, value) => {
      const parameters = { type: 'object', properties: { a: { type: 'string', [key]: value } } };
      for (const model of ['gemini-3-flash', CLAUDE]) {
        const refused = await generate(model, withTools(parameters, VALIDATED));
        expect(refused.status).toBe(400);
        expect(refused.message).toContain(`Unknown name "${key}"`);
      }
      const json = await generate('gemini-3-flash', {
        ...hello(),
        generationConfig: { responseMimeType: 'application/json', responseSchema: parameters },
      });
      expect(json.message).toContain(`Unknown name "${key}"`);
    },
  );
});

describe('Gemini 3: thoughtSignature on the first functionCall of a replayed model turn', () => {
  const replay = (signature?: string) => ({
    contents: [
      { role: 'user', parts: [{ text: 'Weather?' }] },
      {
        role: 'model',
        parts: [
          { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: signature },
          { functionCall: { name: 'get_time', args: {} } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'get_weather', response: { result: '18C' } } },
          { functionResponse: { name: 'get_time', response: { result: 'noon' } } },
        ],
      },
    ],
  });

  it('refuses an unsigned or unknown first call and accepts the sentinel', async () => {
    const missing = await generate('gemini-3-flash', replay());
    expect(missing.status).toBe(400);
    expect(missing.message).toContain('Function call is missing a thought_signature');
    expect(missing.message).toContain('default_api:get_weather');
    expect((await generate('gemini-3-flash', replay('c2lnbmF0dXJl'))).status).toBe(400);
    expect((await generate('gemini-3-flash', replay('skip_thought_signature_validator'))).status).toBe(200);
  });
});

describe('switches (wire.md §2.14)', () => {
  it('claude: false lets through what only the Claude rules refuse', async () => {
    const before = sim.setRules({ claude: false });
    expect(before).toEqual({ claude: true, gemini: true, schemas: true });
    expect((await generate(CLAUDE, withTools({ type: 'object' }))).status).toBe(200);
    expect((await generate(CLAUDE, { contents: [{ role: 'user', parts: [{ text: '' }] }] })).status).toBe(
      200,
    );
    // Gemini rules stay on.
    expect(
      (await generate('gemini-3-flash', { contents: [{ role: 'user', parts: [{ text: '' }] }] })).status,
    ).toBe(400);
    sim.setRules(before);
    expect((await generate(CLAUDE, withTools({ type: 'object' }))).status).toBe(400);
  });

  it('gemini: false drops the signature, leading-turn and range checks', async () => {
    sim.setRules({ gemini: false });
    const unsigned = {
      contents: [
        { role: 'model', parts: [{ functionCall: { name: 'f', args: {} } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'f', response: {} } }] },
      ],
      generationConfig: { maxOutputTokens: 999_999 },
    };
    expect((await generate('gemini-3-flash', unsigned)).status).toBe(200);
    expect((await generate(CLAUDE, withTools({ type: 'object' }))).status).toBe(400);
  });

  it('schemas: false accepts JSON-Schema keywords', async () => {
    sim.setRules({ schemas: false });
    const parameters = {
      type: 'object',
      additionalProperties: false,
      properties: { a: { type: ['string', 'null'] } },
    };
    expect((await generate('gemini-3-flash', withTools(parameters))).status).toBe(200);
  });

  it('can start relaxed', async () => {
    const relaxed = await startSimulator({ rules: { claude: false, gemini: undefined } });
    try {
      const relaxedToken = await accessToken(relaxed, PRO);
      const res = await rpc(
        relaxed,
        relaxedToken,
        'generateContent',
        generateBody(PROJECT, CLAUDE, withTools({ type: 'object' })),
      );
      expect(res.status).toBe(200);
      expect(relaxed.setRules({})).toEqual({ claude: false, gemini: true, schemas: true });
    } finally {
      await relaxed.close();
    }
  });
});
