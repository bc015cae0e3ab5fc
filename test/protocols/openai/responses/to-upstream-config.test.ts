import { describe, expect, it } from 'vitest';
import {
  body,
  CLAUDE,
  declarationsOf,
  GEMINI,
  LIMITS,
  systemOf,
  translate,
  type Json,
} from './to-upstream.fixtures.ts';

describe('tools and tool_choice', () => {
  const fn = (name: string) => ({ type: 'function', name, parameters: { type: 'object', properties: {} } });

  it('web_search alone becomes googleSearch', () => {
    const result = translate(body('news?', { tools: [{ type: 'web_search_preview' }] }));
    expect(result.request.tools).toEqual([{ googleSearch: {} }]);
    expect(result.webSearch).toBe(true);
    expect(result.request.toolConfig).toBeUndefined();
  });

  it('hosted tools nothing here can run are dropped', () => {
    const result = translate(
      body('q', { tools: [{ type: 'file_search', vector_store_ids: ['vs'] }, { type: 'code_interpreter' }] }),
    );
    expect(result.request.tools).toBeUndefined();
  });

  it('a function without parameters gets an empty object schema; a custom tool without format a plain text input', () => {
    const { request } = translate(
      body('q', {
        tools: [
          { type: 'function', name: 'ping' },
          { type: 'custom', name: 'note', description: 'Write a note.' },
        ],
      }),
    );
    expect(declarationsOf(request)).toEqual([
      { name: 'ping', parameters: { type: 'object', properties: {} } },
      {
        name: 'note',
        description: 'Write a note.',
        parameters: {
          type: 'object',
          properties: {
            input: {
              type: 'string',
              description:
                'Write a note.\n\nPass the raw text as the `input` string. It is used verbatim: no JSON, no code fences, no extra escaping.',
            },
          },
          required: ['input'],
        },
      },
    ]);
  });

  it.each([
    ['none', { mode: 'NONE' }],
    ['auto', { mode: 'AUTO' }],
    ['required', { mode: 'ANY' }],
    [
      { type: 'function', name: 'b' },
      { mode: 'ANY', allowedFunctionNames: ['b'] },
    ],
    [
      { type: 'custom', name: 'a' },
      { mode: 'ANY', allowedFunctionNames: ['a'] },
    ],
    [
      {
        type: 'allowed_tools',
        mode: 'required',
        tools: [{ type: 'function', name: 'a' }, { type: 'web_search' }],
      },
      { mode: 'ANY', allowedFunctionNames: ['a'] },
    ],
    [{ type: 'allowed_tools', mode: 'auto', tools: [{ type: 'function', name: 'a' }] }, { mode: 'AUTO' }],
    [{ type: 'web_search_preview' }, { mode: 'AUTO' }],
  ])('tool_choice %j', (choice, expected) => {
    const { request } = translate(body('q', { tools: [fn('a'), fn('b')], tool_choice: choice }));
    expect(request.toolConfig).toEqual({ functionCallingConfig: expected });
  });

  it('Claude: tool_choice none is an instruction (the target rules force VALIDATED)', () => {
    const { request } = translate(body('q', { tools: [fn('a')], tool_choice: 'none' }), CLAUDE);
    expect(systemOf(request)).toEqual(['Do not call any tool in this response; answer with text only.']);
  });
});

describe('generation settings', () => {
  it('max_output_tokens, temperature and top_p', () => {
    const { request } = translate(
      body('q', { max_output_tokens: 500, temperature: 0.3, top_p: 0.9 }),
      GEMINI,
      { limits: LIMITS },
    );
    expect(request.generationConfig).toEqual({ maxOutputTokens: 500, temperature: 0.3, topP: 0.9 });
  });

  it('text.format json_schema sends the schema; json_object the MIME type only', () => {
    const schema = { type: 'object', properties: { ok: { type: 'boolean' } } };
    expect(
      translate(body('q', { text: { format: { type: 'json_schema', name: 'r', schema } } })).request
        .generationConfig,
    ).toEqual({
      responseMimeType: 'application/json',
      responseJsonSchema: schema,
    });
    expect(
      translate(body('q', { text: { format: { type: 'json_object' } } })).request.generationConfig,
    ).toEqual({
      responseMimeType: 'application/json',
    });
  });

  it.each([
    ['none', GEMINI, undefined],
    ['minimal', GEMINI, { includeThoughts: true, thinkingLevel: 'low' }],
    ['xhigh', GEMINI, { includeThoughts: true, thinkingLevel: 'high' }],
    [
      'high',
      { model: 'gemini-2.5-flash', family: 'gemini' as const },
      { includeThoughts: true, thinkingBudget: 24576 },
    ],
    ['high', CLAUDE, { includeThoughts: true, thinkingBudget: 32000 }],
  ])('reasoning.effort %s on %j', (effort, target, thinking) => {
    const config = translate(body('q', { reasoning: { effort } }), target).request.generationConfig as
      Json | undefined;
    expect(config?.thinkingConfig).toEqual(thinking);
  });

  it('Claude thinking without any output cap leaves room for the answer', () => {
    const config = translate(body('q', { reasoning: { effort: 'low' } }), CLAUDE).request.generationConfig;
    expect(config).toEqual({
      maxOutputTokens: 4096 + 8192,
      thinkingConfig: { includeThoughts: true, thinkingBudget: 4096 },
    });
  });

  it('Claude thinking keeps maxOutputTokens above the budget', () => {
    const config = translate(body('q', { reasoning: { effort: 'high' }, max_output_tokens: 1000 }), CLAUDE, {
      limits: LIMITS,
    }).request.generationConfig as Json;
    const thinking = config.thinkingConfig as { thinkingBudget: number };
    expect(config.maxOutputTokens as number).toBeGreaterThan(thinking.thinkingBudget);
  });
});
