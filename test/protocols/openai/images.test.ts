import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aspectRatioOf, imageSizeOf } from '../../../src/protocols/openai/images.ts';
import { PLACEHOLDER_PNG } from '../../../src/simulator/reply-plan.ts';
import { startTestEnvironment, type TestEnvironment } from '../../helpers/app.ts';

let env: TestEnvironment;
beforeAll(async () => {
  env = await startTestEnvironment();
  await env.importAccounts('alice.pro@gmail.com');
});
afterAll(async () => {
  await env.close();
});

async function generate(body: Record<string, unknown>) {
  const response = await fetch(`${env.url}/v1/images/generations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test reads OpenAI's image shape
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

const imageCalls = () => env.sim.requests.filter((r) => r.rpc === 'streamGenerateContent');

describe('POST /v1/images/generations', () => {
  it('generates through the image model with size as imageConfig, n as that many calls, b64_json back', async () => {
    const before = imageCalls().length;
    const answer = await generate({
      model: 'gpt-image-1',
      prompt: 'an otter on a rock',
      n: 2,
      size: '1792x1024',
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.data).toHaveLength(2);
    expect(answer.body.data[0].b64_json).toBe(PLACEHOLDER_PNG);
    const calls = imageCalls().slice(before);
    expect(calls).toHaveLength(2);
    const sent = calls[0]!.body as {
      model: string;
      requestType: string;
      request: { generationConfig: Record<string, unknown> };
    };
    expect(sent.model).toBe('gemini-3.1-flash-image');
    expect(sent.requestType).toBe('image_gen');
    expect(sent.request.generationConfig).toMatchObject({
      imageConfig: { aspectRatio: '16:9', imageSize: '2K' },
    });
  });

  it('answers data URLs for response_format url', async () => {
    const answer = await generate({ model: 'dall-e-3', prompt: 'a lighthouse', response_format: 'url' });
    expect(answer.status).toBe(200);
    expect(answer.body.data[0].url).toBe(`data:image/png;base64,${PLACEHOLDER_PNG}`);
  });

  it('refuses a text model, a missing prompt and an n it cannot serve, in OpenAI’s error shape', async () => {
    const text = await generate({ model: 'gpt-4o', prompt: 'x' });
    expect(text.status).toBe(400);
    expect(text.body.error).toMatchObject({ type: 'invalid_request_error', param: 'model' });
    const missing = await generate({ model: 'gpt-image-1' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.param).toBe('prompt');
    const many = await generate({ model: 'gpt-image-1', prompt: 'x', n: 50 });
    expect(many.status).toBe(400);
    expect(many.body.error.param).toBe('n');
  });

  it('maps sizes to the nearest aspect ratio and image size', () => {
    expect(aspectRatioOf('1024x1024')).toBe('1:1');
    expect(aspectRatioOf('1024x1536')).toBe('2:3');
    expect(aspectRatioOf('1024x1792')).toBe('9:16');
    expect(aspectRatioOf('2560x1080')).toBe('21:9');
    expect(imageSizeOf('1024x1024', undefined)).toBe('1K');
    expect(imageSizeOf('1024x1024', 'hd')).toBe('2K');
    expect(imageSizeOf('4096x4096', undefined)).toBe('4K');
    expect(imageSizeOf('auto', undefined)).toBeUndefined();
  });
});
