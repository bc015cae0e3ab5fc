import { describe, expect, it } from 'vitest';
import {
  validateCountTokensRequest,
  validateGenerateContentRequest,
} from '../../../src/protocols/gemini/request-schema.ts';
import { MAX_DEPTH } from '../../../src/protocols/gemini/schema-checker.ts';
import { toCountTokensRequest, toUpstreamRequest } from '../../../src/protocols/gemini/to-upstream.ts';
import { FULL, generateContentRequestSchema, snakeCased } from './request-schema.fixtures.ts';

const contents = [{ role: 'user', parts: [{ text: 'hi' }] }];

function refusal(body: unknown): string {
  const result = validateGenerateContentRequest(body);
  if (result.ok) throw new Error(`accepted ${JSON.stringify(body)}`);
  return result.message;
}

describe('GenerateContentRequest schema', () => {
  it('accepts a request that uses every field, in camelCase or snake_case', () => {
    expect(validateGenerateContentRequest(FULL)).toEqual({ ok: true });
    expect(validateGenerateContentRequest(snakeCased(FULL))).toEqual({ ok: true });
    expect(generateContentRequestSchema.safeParse(FULL).success).toBe(true);
    expect(generateContentRequestSchema.safeParse(snakeCased(FULL)).success).toBe(true);
  });

  it('takes what proto3 JSON takes: null for unset scalars and lists, integers as decimal strings', () => {
    expect(
      validateGenerateContentRequest({
        contents: [{ role: null, parts: [{ text: null, thought: null }] }],
        tools: null,
        safetySettings: null,
        generationConfig: { maxOutputTokens: '10', temperature: null, stopSequences: null },
      }),
    ).toEqual({ ok: true });
  });

  it.each([
    [{ contents: 'x' }, 'contents: Invalid value (repeated field), "x"'],
    [{ contents: [{ parts: {} }] }, 'contents[0].parts: Proto field is repeating, cannot start object.'],
    [{ contents: [{ parts: [1] }] }, 'contents[0].parts[0]: Invalid value (TYPE_MESSAGE), 1'],
    [{ contents: [{ parts: [null] }] }, 'contents[0].parts[0]: Invalid value (TYPE_MESSAGE), null'],
    [
      { contents: [{ parts: [{ text: 'a' }, { text: 5 }] }] },
      'contents[0].parts[1].text: Invalid value (TYPE_STRING), 5',
    ],
    [{ contents, generationConfig: [] }, 'generationConfig: Proto field is not repeating, cannot start list'],
    [
      { contents, generationConfig: { maxOutputTokens: 'ten' } },
      'generationConfig.maxOutputTokens: Invalid value (TYPE_INT32), "ten"',
    ],
    [
      { contents, generation_config: { max_output_tokens: 2 ** 31 } },
      'generation_config.max_output_tokens: Invalid value (TYPE_INT32), 2147483648',
    ],
    [
      { contents, generationConfig: { temperature: '1' } },
      'generationConfig.temperature: Invalid value (TYPE_DOUBLE)',
    ],
    [{ contents, tools: {} }, 'tools: Proto field is repeating, cannot start object.'],
    [
      { contents, tools: [{ functionDeclarations: 'x' }] },
      'tools[0].functionDeclarations: Invalid value (repeated field)',
    ],
    [
      {
        contents,
        tools: [
          { function_declarations: [{ name: 'f', parameters: { properties: { a: { type: ['STRING'] } } } }] },
        ],
      },
      'tools[0].function_declarations[0].parameters.properties.a.type: Proto field is not repeating',
    ],
    [
      { contents, tools: [{ googleSearch: true }] },
      'tools[0].googleSearch: Invalid value (TYPE_MESSAGE), true',
    ],
    [{ contents, systemInstruction: 7 }, 'systemInstruction: Invalid value (TYPE_MESSAGE), 7'],
    [
      { contents, system_instruction: 'be brief' },
      'system_instruction: Invalid value (TYPE_MESSAGE), "be brief"',
    ],
    [{ contents, toolConfig: [] }, 'toolConfig: Proto field is not repeating, cannot start list'],
    [
      { contents, toolConfig: { functionCallingConfig: { mode: {} } } },
      'toolConfig.functionCallingConfig.mode: Starting an object on a scalar field (TYPE_ENUM).',
    ],
    [{ contents, safetySettings: {} }, 'safetySettings: Proto field is repeating, cannot start object.'],
    [
      { contents: [{ parts: [{ inlineData: { data: 1 } }] }] },
      'contents[0].parts[0].inlineData.data: Invalid value (TYPE_STRING), 1',
    ],
    [
      { contents: [{ parts: [{ functionCall: { name: 3 } }] }] },
      'contents[0].parts[0].functionCall.name: Invalid value (TYPE_STRING), 3',
    ],
    [
      { contents: [{ parts: [{ functionCall: { name: 'f', args: [] } }] }] },
      'contents[0].parts[0].functionCall.args: Proto field is not repeating',
    ],
    [
      { contents: [{ parts: [{ function_response: { name: 'f', response: 'ok' } }] }] },
      'contents[0].parts[0].function_response.response: Invalid value (TYPE_MESSAGE), "ok"',
    ],
    [
      { contents, generationConfig: { thinkingConfig: { thinkingBudget: 'x' } } },
      'generationConfig.thinkingConfig.thinkingBudget: Invalid value (TYPE_INT32), "x"',
    ],
    [
      { contents, generationConfig: { thinkingConfig: [] } },
      'generationConfig.thinkingConfig: Proto field is not repeating',
    ],
    [
      { contents, generationConfig: { responseModalities: [null] } },
      'generationConfig.responseModalities[0]: Invalid value (TYPE_ENUM), null',
    ],
    [{ contents, labels: { a: 1 } }, 'labels.a: Invalid value (TYPE_STRING), 1'],
    [{ contents, cachedContent: 5 }, 'cachedContent: Invalid value (TYPE_STRING), 5'],
    [
      { contents: [{ role: 'system', parts: [] }] },
      'contents[0].role: Please use a valid role: user, model.',
    ],
    [{ contents: [{ role: 1, parts: [] }] }, 'contents[0].role: Invalid value (TYPE_STRING), 1'],
    [{ contents: [{ role: 'user' }] }, 'contents[0].parts: parts is not specified'],
    [{}, 'contents: contents is not specified'],
    [{ contents: [] }, 'contents: contents is not specified'],
    [{ contents: null }, 'contents: contents is not specified'],
  ])('refuses %j', (body, message) => {
    const text = refusal(body);
    expect(text).toContain(`* GenerateContentRequest.${message}`);
    expect(text.endsWith('\n')).toBe(true);
    // The reference schema agrees.
    expect(
      generateContentRequestSchema.safeParse(body).success &&
        (body as { contents?: unknown[] }).contents?.length,
    ).toBeFalsy();
  });

  it('names the key under its own spelling, and keys that are not identifiers in brackets', () => {
    const body = {
      contents,
      tools: [
        { functionDeclarations: [{ name: 'f', parameters: { properties: { 'a b': { type: 1.5 } } } }] },
      ],
    };
    expect(refusal(body)).toContain('parameters.properties["a b"].type: Invalid value (TYPE_ENUM), 1.5');
  });

  it('lists at most eight issues', () => {
    const body = { contents: [{ parts: Array.from({ length: 50 }, () => ({ text: 1 })) }] };
    expect(refusal(body).trim().split('\n')).toHaveLength(8);
  });

  it(`refuses bodies nested deeper than ${MAX_DEPTH} levels anywhere, free-form fields included`, () => {
    const deep = (levels: number) => {
      let value: unknown = 1;
      for (let i = 0; i < levels; i++) value = { a: value };
      return value;
    };
    // Free-form JSON is walked only for its depth: 100 000 levels must not overflow the stack.
    for (const body of [
      { contents: [{ parts: [{ functionCall: { name: 'f', args: deep(100_000) } }] }] },
      { contents: [{ parts: [{ functionResponse: { name: 'f', response: deep(100_000) } }] }] },
      { contents: [{ parts: [{ text: 'x', unknownField: deep(100_000) }] }] },
      { contents, futureField: deep(100_000) },
      { contents, generationConfig: { responseJsonSchema: deep(100_000) } },
    ])
      expect(refusal(body)).toContain('Message too deep: more than 100 levels of nesting.');
    let schema: unknown = { type: 'STRING' };
    for (let i = 0; i < 100_000; i++) schema = { type: 'ARRAY', items: schema };
    const message = refusal({
      contents,
      tools: [{ functionDeclarations: [{ name: 'f', parameters: schema }] }],
    });
    expect(message).toContain('Message too deep');
    expect(message.length).toBeLessThan(400);
    // Just inside the limit is fine: the body is the first level, `args` the seventh.
    expect(
      validateGenerateContentRequest({
        contents: [{ parts: [{ functionCall: { name: 'f', args: deep(MAX_DEPTH - 6) } }] }],
      }),
    ).toEqual({ ok: true });
    expect(
      refusal({ contents: [{ parts: [{ functionCall: { name: 'f', args: deep(MAX_DEPTH - 5) } }] }] }),
    ).toContain('too deep');
  });

  it('is not fooled by prototype keys', () => {
    const body = JSON.parse(
      '{"__proto__":{"contents":[{"parts":[{"text":"x"}]}]},"constructor":{"prototype":{}},"contents":[{"parts":[{"text":"hi","__proto__":{"text":5}}]}]}',
    ) as Record<string, unknown>;
    expect(validateGenerateContentRequest(body)).toEqual({ ok: true });
    const result = toUpstreamRequest(body);
    if (!result.ok) throw new Error(result.message);
    expect(Object.getPrototypeOf(result.request)).toBe(Object.prototype);
    expect(Object.keys(result.request)).toEqual(['contents']);
    expect(refusal(JSON.parse('{"__proto__":{"contents":[{"parts":[{"text":"x"}]}]}}'))).toContain(
      'contents is not specified',
    );
  });
});

describe('CountTokensRequest schema', () => {
  it.each([
    [{ contents }, true],
    [{ generateContentRequest: { model: 'models/x', contents } }, true],
    [{ generate_content_request: { contents, tools: [] } }, true],
    [
      { generateContentRequest: [] },
      'CountTokensRequest.generateContentRequest: Proto field is not repeating',
    ],
    [
      { generateContentRequest: { contents: 5 } },
      'CountTokensRequest.generateContentRequest.contents: Invalid value',
    ],
    [
      { generateContentRequest: {} },
      'CountTokensRequest.generateContentRequest.contents: contents is not specified',
    ],
    [
      { generateContentRequest: { contents: [] } },
      'CountTokensRequest.generateContentRequest.contents: contents is not specified',
    ],
    [{}, 'CountTokensRequest.contents: contents is not specified'],
    [
      { contents: [{ parts: [{ text: 5 }] }] },
      'CountTokensRequest.contents[0].parts[0].text: Invalid value (TYPE_STRING), 5',
    ],
    [{ contents, tools: {} }, 'CountTokensRequest.tools: Proto field is repeating'],
  ])('%j', (body, expected) => {
    const result = validateCountTokensRequest(body);
    if (expected === true) expect(result).toEqual({ ok: true });
    else expect(!result.ok && result.message).toContain(`* ${expected}`);
    expect(toCountTokensRequest(body).ok).toBe(expected === true);
  });
});
