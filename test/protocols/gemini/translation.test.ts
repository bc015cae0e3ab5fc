import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { UpstreamChunk } from '../../../src/google/generate-client.ts';
import { assembleResponse, unwrapChunk } from '../../../src/protocols/gemini/from-upstream.ts';
import { toCountTokensRequest, toUpstreamRequest } from '../../../src/protocols/gemini/to-upstream.ts';
import { applyTargetRules, SIGNATURE_SENTINEL } from '../../../src/protocols/target/target-rules.ts';
import { ROOT } from '../../helpers/cli.ts';

function fixture(name: string): UpstreamChunk[] {
  return readFileSync(join(ROOT, 'test', 'fixtures', 'gemini', `${name}.chunks.txt`), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as UpstreamChunk);
}

describe('Gemini request → v1internal request', () => {
  it('accepts snake_case, drops keys the upstream does not take, and fills a missing role', () => {
    const result = toUpstreamRequest({
      model: 'ignored',
      contents: [{ parts: [{ text: 'hi' }] }],
      system_instruction: { parts: [{ text: 'be brief' }] },
      generation_config: { temperature: 0.2 },
      cachedContent: 'cachedContents/abc',
    });
    expect(result).toEqual({
      ok: true,
      request: {
        contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
        systemInstruction: { parts: [{ text: 'be brief' }] },
        generationConfig: { temperature: 0.2 },
      },
    });
  });

  it('with the target rules the pipeline applies, the first unsigned functionCall of a Gemini model turn gets the sentinel', () => {
    const contents = [
      { role: 'user', parts: [{ text: 'weather?' }] },
      {
        role: 'model',
        parts: [{ functionCall: { name: 'a', args: {} } }, { functionCall: { name: 'b', args: {} } }],
      },
      { role: 'user', parts: [{ functionResponse: { name: 'a', response: {} } }] },
      { role: 'model', parts: [{ functionCall: { name: 'c', args: {} }, thoughtSignature: 'EqwREAL' }] },
    ];
    const result = toUpstreamRequest({ contents });
    if (!result.ok) throw new Error(result.message);
    const gemini = applyTargetRules(result.request, { model: 'gemini-3-flash', family: 'gemini' });
    const turns = gemini.contents as Array<{ parts: Array<{ thoughtSignature?: string }> }>;
    expect(turns[1]!.parts[0]!.thoughtSignature).toBe(SIGNATURE_SENTINEL);
    expect(turns[1]!.parts[1]!.thoughtSignature).toBeUndefined();
    expect(turns[3]!.parts[0]!.thoughtSignature).toBe('EqwREAL');
    const claude = applyTargetRules(result.request, { model: 'claude-sonnet-4-6', family: 'claude' });
    expect((claude.contents as typeof turns)[1]!.parts[0]!.thoughtSignature).toBeUndefined();
  });

  it.each([
    [null, 'expected a GenerateContentRequest'],
    [{}, 'contents is not specified'],
    [{ contents: [] }, 'contents is not specified'],
    [{ contents: [{ role: 'user' }] }, 'parts is not specified'],
    [{ contents: [{ role: 'system', parts: [] }] }, 'valid role'],
  ])('refuses %j', (body, message) => {
    const result = toUpstreamRequest(body);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(message);
  });

  it('countTokens takes {contents} or {generateContentRequest}', () => {
    const contents = [{ role: 'user', parts: [{ text: 'count' }] }];
    expect(toCountTokensRequest({ contents })).toEqual({ ok: true, request: { contents } });
    expect(
      toCountTokensRequest({ generateContentRequest: { model: 'models/x', contents, tools: [] } }),
    ).toEqual({
      ok: true,
      request: { contents, tools: [] },
    });
  });
});

describe('v1internal events → Gemini responses', () => {
  it('assembles a tool-call stream: thoughts joined, signature kept, last usage and finish reason', () => {
    const assembled = assembleResponse(fixture('tool-call'));
    expect(assembled.candidates![0]).toEqual({
      content: {
        role: 'model',
        parts: [
          { text: 'Let me check the weather.', thought: true },
          {
            functionCall: { name: 'get_weather', args: { city: 'Paris' }, id: 'call_1' },
            thoughtSignature: 'EqwCCqkCARFNMg9aSIG',
          },
        ],
      },
      finishReason: 'STOP',
      index: 0,
    });
    expect(assembled.usageMetadata).toMatchObject({ cachedContentTokenCount: 32, totalTokenCount: 61 });
    expect(assembled.responseId).toBe('r-1');
  });

  it('uses traceId as responseId when the upstream sends none', () => {
    const chunks = fixture('trace-id-only');
    expect(unwrapChunk(chunks[0]!).responseId).toBe('trace-9');
    const assembled = assembleResponse(chunks);
    expect(assembled.candidates![0]!.content!.parts).toEqual([{ text: 'Hello' }]);
    expect(assembled.responseId).toBe('trace-9');
  });
});
