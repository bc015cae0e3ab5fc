import { describe, expect, it } from 'vitest';
import { SseDecoder } from '../../src/google/sse-reader.ts';

function collect(chunks: Array<string | Uint8Array>): Promise<string[]> {
  const decoder = new SseDecoder();
  const out: string[] = [];
  const onEvent = (data: string) => out.push(data);
  for (const chunk of chunks) decoder.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk, onEvent);
  decoder.end(onEvent);
  return Promise.resolve(out);
}

const encoder = new TextEncoder();

describe('SseDecoder', () => {
  it.each([
    ['CRLF framing', ['data: {"a":1}\r\n\r\ndata: {"a":2}\r\n\r\n'], ['{"a":1}', '{"a":2}']],
    ['LF framing', ['data: {"a":1}\n\ndata: {"a":2}\n\n'], ['{"a":1}', '{"a":2}']],
    ['a line split across chunks', ['data: {"te', 'xt":"hel', 'lo"}\r', '\n\r\n'], ['{"text":"hello"}']],
    ['CR and LF in different chunks', ['data: 1\r', '\n', '\r', '\n', 'data: 2\r\n\r\n'], ['1', '2']],
    ['comments and other fields are skipped', [': keepalive\n\nevent: x\nid: 4\ndata: y\n\n'], ['y']],
    ['multi-line data is joined with newlines', ['data: a\ndata: b\n\n'], ['a\nb']],
    ['a last event without the blank line still arrives', ['data: last'], ['last']],
    ['no space after the colon', ['data:{"x":1}\n\n'], ['{"x":1}']],
  ])('%s', async (_name, chunks, expected) => {
    expect(await collect(chunks)).toEqual(expected);
  });

  it('decodes UTF-8 split inside a multi-byte character', async () => {
    const bytes = encoder.encode('data: {"t":"18°C 🌤"}\r\n\r\n');
    const chunks = Array.from(bytes, (byte) => new Uint8Array([byte]));
    expect(await collect(chunks)).toEqual(['{"t":"18°C 🌤"}']);
  });

  it('handles multi-KB events and many events per chunk', async () => {
    const big = JSON.stringify({ text: 'x'.repeat(64 * 1024) });
    const many = Array.from({ length: 200 }, (_, i) => `data: ${i}\r\n\r\n`).join('');
    const result = await collect([`data: ${big.slice(0, 1000)}`, `${big.slice(1000)}\r\n\r\n`, many]);
    expect(result[0]).toBe(big);
    expect(result.slice(1)).toEqual(Array.from({ length: 200 }, (_, i) => String(i)));
  });
});
