import { describe, expect, it } from 'vitest';
import { toUpstreamRequest } from '../../../src/protocols/gemini/to-upstream.ts';

describe('the translation keeps the client’s objects', () => {
  it('forwards the very contents it was given (no deep copy on the hot path)', () => {
    const body = {
      contents: [{ role: 'user', parts: [{ text: 'x'.repeat(1000) }] }],
      tools: [{ googleSearch: {} }],
    };
    const result = toUpstreamRequest(body);
    if (!result.ok) throw new Error(result.message);
    const [turn] = result.request.contents as Array<{ parts: unknown }>;
    expect(turn!.parts).toBe(body.contents[0]!.parts);
    expect(result.request.tools).toBe(body.tools);
  });

  it('drops top-level nulls instead of forwarding them, and fills a null role', () => {
    const result = toUpstreamRequest({ contents: [{ role: null, parts: [{ text: 'x' }] }], tools: null });
    expect(result).toEqual({ ok: true, request: { contents: [{ role: 'user', parts: [{ text: 'x' }] }] } });
  });
});
