import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import {
  PRO,
  accessToken,
  generateBody,
  partsOf,
  rpc,
  sseEvents,
  type Part,
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

async function stream(model: string, request: Record<string, unknown>): Promise<Part[]> {
  const res = await rpc(sim, token, 'streamGenerateContent', generateBody(PROJECT, model, request), {
    query: '?alt=sse',
  });
  expect(res.status).toBe(200);
  return sseEvents(await res.text()).flatMap(partsOf);
}

async function generate(
  model: string,
  request: Record<string, unknown>,
): Promise<{ status: number; message: string }> {
  const res = await rpc(sim, token, 'generateContent', generateBody(PROJECT, model, request));
  const body = (await res.json()) as Partial<RpcBody>;
  return { status: res.status, message: body.error?.message ?? '' };
}

const thinkingConfig = {
  maxOutputTokens: 16000,
  thinkingConfig: { includeThoughts: true, thinkingBudget: 4096 },
};

function tamper(signature: string): string {
  const i = Math.floor(signature.length / 2);
  return `${signature.slice(0, i)}${signature[i] === 'A' ? 'B' : 'A'}${signature.slice(i + 1)}`;
}

describe('Claude signatures', () => {
  it('issues the double-layer R form on the last thought part and verifies it on replay', async () => {
    sim.script(PRO, 'claude-sonnet-4-6', {
      kind: 'thinking',
      thought: 'Let me think about the weather.',
      text: 'Sunny.',
    });
    const parts = await stream('claude-sonnet-4-6', {
      contents: [{ role: 'user', parts: [{ text: 'Weather?' }] }],
      generationConfig: thinkingConfig,
    });
    const thoughts = parts.filter((p) => p.thought);
    expect(thoughts.length).toBeGreaterThan(1);
    const signature = thoughts.at(-1)?.thoughtSignature ?? '';
    expect(thoughts.slice(0, -1).every((p) => p.thoughtSignature === undefined)).toBe(true);
    expect(signature).toMatch(/^R/);
    const inner = Buffer.from(signature, 'base64').toString('utf8');
    expect(inner).toMatch(/^E/);
    const proto = Buffer.from(inner, 'base64');
    expect(proto[0]).toBe(0x12);
    expect([...proto.subarray(-2)]).toEqual([0x18, 0x01]);

    const thinking = thoughts.map((p) => p.text).join('');
    const replay = (text: string, sig: string | undefined) => ({
      contents: [
        { role: 'user', parts: [{ text: 'Weather?' }] },
        { role: 'model', parts: [{ text, thought: true, thoughtSignature: sig }, { text: 'Sunny.' }] },
        { role: 'user', parts: [{ text: 'And tomorrow?' }] },
      ],
      generationConfig: thinkingConfig,
    });
    expect((await generate('claude-sonnet-4-6', replay(thinking, signature))).status).toBe(200);
    const tampered = await generate('claude-sonnet-4-6', replay(thinking, tamper(signature)));
    expect(tampered.status).toBe(400);
    expect(tampered.message).toContain('Invalid `signature` in `thinking` block');
    expect(
      (await generate('claude-sonnet-4-6', replay(`${thinking} (edited)`, signature))).message,
    ).toContain('Invalid `signature`');
    expect((await generate('claude-sonnet-4-6', replay(thinking, undefined))).message).toContain(
      'thinking.signature: Field required',
    );
    expect(
      (await generate('claude-sonnet-4-6', replay(thinking, 'skip_thought_signature_validator'))).status,
    ).toBe(400);
  });

  it('can put the signature on a trailing empty carrier part', async () => {
    sim.script(PRO, 'claude-sonnet-4-6', {
      kind: 'thinking',
      thought: 'Hmm.',
      text: 'Done.',
      signature: 'carrier',
    });
    const parts = await stream('claude-sonnet-4-6', {
      contents: [{ role: 'user', parts: [{ text: 'Go' }] }],
      generationConfig: thinkingConfig,
    });
    const carrier = parts.find((p) => p.text === '' && p.thoughtSignature);
    expect(carrier?.thoughtSignature).toMatch(/^R/);
    expect(parts.filter((p) => p.thought).every((p) => !p.thoughtSignature)).toBe(true);
  });
});

describe('Gemini 3 signatures', () => {
  it('signs function calls and requires the signature on the first call of a replayed turn', async () => {
    sim.script(PRO, 'gemini-3-flash', { kind: 'toolCall', name: 'get_weather', args: { city: 'Paris' } });
    const parts = await stream('gemini-3-flash', {
      contents: [{ role: 'user', parts: [{ text: 'Weather?' }] }],
    });
    const call = parts.find((p) => p.functionCall);
    expect(call?.functionCall).toEqual({ name: 'get_weather', args: { city: 'Paris' } });
    const signature = call?.thoughtSignature ?? '';
    expect(Buffer.from(signature, 'base64')[0]).toBe(0x12);
    expect(signature).toMatch(/^E/);

    const replay = (first: Record<string, unknown>) => ({
      contents: [
        { role: 'user', parts: [{ text: 'Weather?' }] },
        { role: 'model', parts: [first, { functionCall: { name: 'get_time', args: {} } }] },
        {
          role: 'user',
          parts: [
            { functionResponse: { name: 'get_weather', response: { result: '18C' } } },
            { functionResponse: { name: 'get_time', response: { result: 'noon' } } },
          ],
        },
      ],
    });
    const fc = { functionCall: { name: 'get_weather', args: { city: 'Paris' } } };
    expect((await generate('gemini-3-flash', replay({ ...fc, thoughtSignature: signature }))).status).toBe(
      200,
    );
    expect((await generate('gemini-3-flash', replay({ ...fc, thought_signature: signature }))).status).toBe(
      200,
    );
    const missing = await generate('gemini-3-flash', replay(fc));
    expect(missing.status).toBe(400);
    expect(missing.message).toContain('missing a thought_signature');
    expect(
      (await generate('gemini-3-flash', replay({ ...fc, thoughtSignature: tamper(signature) }))).status,
    ).toBe(400);
    const sentinel = { ...fc, thoughtSignature: 'skip_thought_signature_validator' };
    expect((await generate('gemini-3-flash', replay(sentinel))).status).toBe(200);
  });

  it('puts the default Gemini 3 signature on the first visible part, and never a Claude one there', async () => {
    const parts = await stream('gemini-pro-agent', { contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] });
    expect(parts[0]?.thoughtSignature).toMatch(/^E/);
    expect(parts.slice(1).every((p) => !p.thoughtSignature)).toBe(true);

    sim.script(PRO, 'claude-sonnet-4-6', { kind: 'thinking', thought: 'Plan.', text: 'Ok.' });
    const claudeParts = await stream('claude-sonnet-4-6', {
      contents: [{ role: 'user', parts: [{ text: 'Go' }] }],
      generationConfig: thinkingConfig,
    });
    const claudeSignature = claudeParts.find((p) => p.thoughtSignature)?.thoughtSignature;
    const foreign = await generate('gemini-3-flash', {
      contents: [
        { role: 'user', parts: [{ text: 'Go' }] },
        {
          role: 'model',
          parts: [{ functionCall: { name: 'f', args: {} }, thoughtSignature: claudeSignature }],
        },
        { role: 'user', parts: [{ functionResponse: { name: 'f', response: {} } }] },
      ],
    });
    expect(foreign.status).toBe(400);
  });
});
