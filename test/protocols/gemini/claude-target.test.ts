import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnvironment, type TestEnvironment } from '../../helpers/app.ts';
import { accessToken, rpc } from '../../simulator/helpers.ts';

const A = 'alice.pro@gmail.com';
const CLAUDE = 'claude-sonnet-4-6';
const GEMINI3 = 'gemini-3-flash';

type Part = Record<string, unknown> & { text?: string; thought?: boolean; thoughtSignature?: string };
interface Answer {
  candidates?: Array<{ content?: { role?: string; parts?: Part[] } }>;
  error?: { code: number; message: string };
}

let env: TestEnvironment;
beforeAll(async () => {
  env = await startTestEnvironment();
  await env.importAccounts(A);
});
afterAll(async () => {
  await env.close();
});

/** Tools as a client generates them: JSON Schema with keywords v1internal refuses, and an empty object. */
const TOOLS = [
  {
    functionDeclarations: [
      {
        name: 'get_weather',
        description: 'Weather for a city',
        parameters: {
          $schema: 'http://json-schema.org/draft-07/schema#',
          type: 'object',
          properties: { city: { type: 'string', minLength: 1 }, unit: { const: 'celsius' } },
          required: ['city'],
          additionalProperties: false,
        },
      },
      { name: 'list_cities', description: 'No arguments', parameters: { type: 'object', properties: {} } },
    ],
  },
];

async function generate(model: string, body: unknown): Promise<{ status: number; body: Answer }> {
  const response = await fetch(`${env.url}/v1beta/models/${model}:generateContent`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Answer };
}

/** Every object key at any depth (schema keywords, not the text of descriptions). */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => [key, ...keysOf(inner)]);
}

const lastUpstream = () =>
  env.sim.requests.filter((r) => r.rpc === 'streamGenerateContent').at(-1)!.body as Record<string, unknown>;

describe('target-model rules, shared by every adapter', () => {
  it('a Claude model through the Gemini API completes a tool round trip with thinking', async () => {
    env.sim.script(A, CLAUDE, {
      kind: 'toolCall',
      name: 'get_weather',
      args: { city: 'Paris' },
      thought: 'Check it.',
    });
    const question = { role: 'user', parts: [{ text: 'Weather in Paris?' }] };
    const generationConfig = {
      maxOutputTokens: 8192,
      thinkingConfig: { includeThoughts: true, thinkingBudget: 2048 },
    };
    const first = await generate(CLAUDE, { contents: [question], tools: TOOLS, generationConfig });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const turn = first.body.candidates![0]!.content!;
    const call = turn.parts!.find((part) => part.functionCall) as {
      functionCall: { id: string; name: string };
    };
    expect(call.functionCall.name).toBe('get_weather');
    expect(turn.parts!.some((part) => part.thought && part.thoughtSignature)).toBe(true);

    const second = await generate(CLAUDE, {
      contents: [
        question,
        { role: 'model', parts: turn.parts },
        {
          role: 'user',
          parts: [
            { functionResponse: { id: call.functionCall.id, name: 'get_weather', response: { temp: 18 } } },
          ],
        },
      ],
      tools: TOOLS,
      generationConfig,
    });
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    expect(second.body.candidates![0]!.content!.parts!.some((part) => part.text && !part.thought)).toBe(true);

    // What went upstream: VALIDATED, cleaned schemas, a placeholder property for the empty object.
    const sent = lastUpstream().request as Record<string, unknown>;
    expect(sent.toolConfig).toEqual({ functionCallingConfig: { mode: 'VALIDATED' } });
    const declarations = (sent.tools as Array<{ functionDeclarations: Array<Record<string, unknown>> }>)[0]!
      .functionDeclarations;
    expect(keysOf(declarations)).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/^(\$schema|additionalProperties|minLength|const)$/)]),
    );
    expect(declarations[1]!.parameters).toMatchObject({
      properties: { reason: { type: 'string' } },
      required: ['reason'],
    });

    // The simulator, like the real service, refuses the same request without VALIDATED.
    const { toolConfig: _dropped, ...withoutValidated } = sent;
    const envelope = { ...lastUpstream(), request: withoutValidated };
    const refused = await rpc(env.sim, await accessToken(env.sim, A), 'streamGenerateContent', envelope, {
      query: '?alt=sse',
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('VALIDATED');
  });

  it('a Gemini 3 model gets the signature sentinel on replayed calls whose signature the client dropped', async () => {
    const contents = [
      { role: 'user', parts: [{ text: 'Weather in Oslo?' }] },
      // A client that strips unknown fields replays the call without its thoughtSignature.
      { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Oslo' } } }] },
      { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { temp: 3 } } }] },
    ];
    const answer = await generate(GEMINI3, { contents, tools: TOOLS });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const sent = lastUpstream().request as { contents: Array<{ parts: Part[] }> };
    expect(sent.contents[1]!.parts[0]!.thoughtSignature).toBe('skip_thought_signature_validator');
  });
});
