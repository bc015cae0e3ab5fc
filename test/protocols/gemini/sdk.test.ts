import { GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnvironment, type TestEnvironment } from '../../helpers/app.ts';

let env: TestEnvironment;
let ai: GoogleGenAI;
beforeAll(async () => {
  env = await startTestEnvironment();
  await env.api('POST', '/api/accounts/import', {
    refreshTokens: [
      env.sim.account('alice.pro@gmail.com').refreshToken,
      env.sim.account('bob.free@gmail.com').refreshToken,
    ],
  });
  ai = new GoogleGenAI({ apiKey: 'test-key', httpOptions: { baseUrl: env.url } });
});
afterAll(async () => {
  await env.close();
});

describe('official @google/genai SDK through the proxy', () => {
  it('generateContent', async () => {
    const answer = await ai.models.generateContent({ model: 'gemini-3-flash', contents: 'Say hello' });
    expect(answer.text).toContain('gemini-3-flash');
    expect(answer.usageMetadata?.totalTokenCount).toBeGreaterThan(0);
  });

  it('streams to the end', async () => {
    const stream = await ai.models.generateContentStream({
      model: 'gemini-3-flash',
      contents: 'Stream please',
    });
    let text = '';
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.text ?? '';
    }
    expect(chunks).toBeGreaterThan(1);
    expect(text).toContain('gemini-3-flash');
  });

  it('tool call round trip', async () => {
    env.sim.script('alice.pro@gmail.com', 'gemini-3-flash', {
      kind: 'toolCall',
      name: 'get_weather',
      args: { city: 'Paris' },
    });
    env.sim.script('bob.free@gmail.com', 'gemini-3-flash', {
      kind: 'toolCall',
      name: 'get_weather',
      args: { city: 'Paris' },
    });
    const tools = [
      {
        functionDeclarations: [
          {
            name: 'get_weather',
            description: 'Weather',
            parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' } } },
          },
        ],
      },
    ];
    const first = await ai.models.generateContent({
      model: 'gemini-3-flash',
      contents: 'Weather in Paris?',
      config: { tools },
    });
    const call = first.functionCalls?.[0];
    expect(call).toMatchObject({ name: 'get_weather', args: { city: 'Paris' } });
    const modelTurn = first.candidates![0]!.content!;
    const second = await ai.models.generateContent({
      model: 'gemini-3-flash',
      config: { tools },
      contents: [
        { role: 'user', parts: [{ text: 'Weather in Paris?' }] },
        modelTurn,
        {
          role: 'user',
          parts: [{ functionResponse: { id: call!.id, name: 'get_weather', response: { result: '18°C' } } }],
        },
      ],
    });
    expect(second.text).toBeTruthy();
  });

  it('countTokens, models list and get', async () => {
    const count = await ai.models.countTokens({
      model: 'gemini-3-flash',
      contents: 'How many tokens is this?',
    });
    expect(count.totalTokens).toBeGreaterThan(0);
    const pager = await ai.models.list();
    const names: string[] = [];
    for await (const model of pager) names.push(model.name ?? '');
    expect(names).toContain('models/gemini-3-flash');
    expect(names.some((name) => name.includes('chat_'))).toBe(false);
    const one = await ai.models.get({ model: 'gemini-3-flash' });
    expect(one.name).toBe('models/gemini-3-flash');
  });

  it('errors come back in Google shape', async () => {
    await expect(
      ai.models.generateContent({
        model: 'gemini-3-flash',
        contents: [{ role: 'system', parts: [{ text: 'x' }] }],
      }),
    ).rejects.toMatchObject({ status: 400 });
    await expect(ai.models.get({ model: 'no-such-model' })).rejects.toMatchObject({ status: 404 });
  });
});
