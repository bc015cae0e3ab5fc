import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { requestBody, STREAMED_BODY_BYTES } from '../../src/google/generate-client.ts';

async function bytesOf(body: string | Readable): Promise<Buffer> {
  if (typeof body === 'string') return Buffer.from(body);
  const parts: Buffer[] = [];
  for await (const chunk of body) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

describe('requestBody', () => {
  it('keeps a small body a string, written with the headers', () => {
    const headers = { 'content-type': 'application/json' };
    expect(requestBody('{"a":1}', headers)).toEqual({ body: '{"a":1}', headers });
  });

  it('hands a large body over as a stream with its exact byte length, so undici does not keep it for the whole response', async () => {
    const text = JSON.stringify({ text: 'é'.repeat(STREAMED_BODY_BYTES) });
    const { body, headers } = requestBody(text, { 'content-type': 'application/json' });
    expect(body).toBeInstanceOf(Readable);
    expect(headers['content-length']).toBe(String(Buffer.byteLength(text)));
    expect(headers['content-type']).toBe('application/json');
    expect((await bytesOf(body)).toString()).toBe(text);
  });

  it('counts bytes, not characters, at the threshold', () => {
    const ascii = 'a'.repeat(STREAMED_BODY_BYTES);
    expect(typeof requestBody(ascii, {}).body).toBe('string');
    const multiByte = 'é'.repeat(STREAMED_BODY_BYTES / 2 + 1);
    expect(requestBody(multiByte, {}).body).toBeInstanceOf(Readable);
  });
});
