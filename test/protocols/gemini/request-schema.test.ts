import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  requestSchemas,
  validateCountTokensRequest,
  validateGenerateContentRequest,
} from '../../../src/protocols/gemini/request-schema.ts';
import { compile, issuesOf, MAX_DEPTH } from '../../../src/protocols/gemini/schema-checker.ts';
import { toCountTokensRequest, toUpstreamRequest } from '../../../src/protocols/gemini/to-upstream.ts';

const { generateContentRequestSchema, countTokensRequestSchema } = requestSchemas();
const contents = [{ role: 'user', parts: [{ text: 'hi' }] }];

/** A request that uses every part of the schema. */
const FULL = {
  model: 'models/gemini-3-flash',
  contents: [
    { role: 'user', parts: [{ text: 'Weather?' }, { inlineData: { mimeType: 'image/png', data: 'iVBO' } }] },
    {
      role: 'model',
      parts: [
        { text: 'hmm', thought: true, thoughtSignature: 'EqwC' },
        { functionCall: { id: 'c1', name: 'get_weather', args: { city: 'Paris', days: [1, 2] } } },
        { executableCode: { language: 'PYTHON', code: 'print(1)' } },
        { codeExecutionResult: { outcome: 'OUTCOME_OK', output: '1' } },
      ],
    },
    {
      role: 'function',
      parts: [
        {
          functionResponse: {
            id: 'c1',
            name: 'get_weather',
            response: { result: '18°C' },
            parts: [{ inlineData: { mimeType: 'image/png', data: 'iVBO' } }],
          },
        },
        { fileData: { mimeType: 'application/pdf', fileUri: 'https://example.com/a.pdf' } },
        { text: 'clip', videoMetadata: { startOffset: '1s', endOffset: '2.5s', fps: 1 } },
      ],
    },
    { parts: [{ text: 'thanks' }] },
  ],
  systemInstruction: { role: 'system', parts: [{ text: 'Be brief.' }] },
  tools: [
    {
      functionDeclarations: [
        {
          name: 'get_weather',
          description: 'Weather',
          parameters: {
            type: 'OBJECT',
            properties: {
              city: { type: 'STRING', enum: ['Paris', 'Rome'] },
              days: {
                type: 'ARRAY',
                items: { type: 'INTEGER', format: 'int32' },
                minItems: '1',
                maxItems: 7,
              },
              unit: { anyOf: [{ type: 'STRING' }, { type: 'NUMBER' }], nullable: true },
            },
            required: ['city'],
            propertyOrdering: ['city', 'days'],
          },
        },
        { name: 'raw', parametersJsonSchema: { type: ['string', 'null'], $defs: {} } },
      ],
    },
    { googleSearch: {} },
    { codeExecution: {} },
    { urlContext: {} },
  ],
  toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } },
  safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
  generationConfig: {
    maxOutputTokens: 1024,
    temperature: 1,
    topP: 0.95,
    topK: 40,
    candidateCount: 1,
    stopSequences: ['END'],
    seed: 7,
    presencePenalty: 0,
    frequencyPenalty: 0,
    responseMimeType: 'application/json',
    responseSchema: { type: 'OBJECT', properties: { a: { type: 'STRING' } } },
    responseJsonSchema: { type: 'object' },
    responseModalities: ['TEXT', 'IMAGE'],
    imageConfig: { aspectRatio: '16:9', imageSize: '2K' },
    mediaResolution: 'MEDIA_RESOLUTION_LOW',
    thinkingConfig: { includeThoughts: true, thinkingBudget: -1 },
  },
  cachedContent: 'cachedContents/abc',
  labels: { team: 'a' },
  someFutureField: { anything: [1, 'two'] },
};

/** FULL with every key in snake_case, as proto3 JSON also allows. */
function snakeCased(value: unknown, freeForm = false): unknown {
  if (Array.isArray(value)) return value.map((item) => snakeCased(item, freeForm));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      freeForm ? key : key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
      // Map keys and free-form JSON keep their spelling.
      snakeCased(
        item,
        freeForm || ['args', 'response', 'properties', 'labels', 'parametersJsonSchema'].includes(key),
      ),
    ]),
  );
}

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

describe('the compiled checker and the zod schema agree', () => {
  /** Every node of a value, as key paths. */
  function pathsOf(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
    const out = [prefix];
    if (typeof value === 'object' && value !== null)
      for (const [key, item] of Object.entries(value))
        out.push(...pathsOf(item, [...prefix, Array.isArray(value) ? Number(key) : key]));
    return out;
  }

  const replacement = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.constantFrom(
      null,
      [],
      {},
      '',
      '10',
      '-3',
      '1.5',
      2 ** 31,
      -(2 ** 31),
      1.5,
      -1,
      true,
      'user',
      'model',
      'function',
    ),
  );
  const mutation = fc.record({
    at: fc.nat(),
    op: fc.constantFrom('replace', 'addKey', 'delete'),
    key: fc.oneof(
      fc.constantFrom(
        'text',
        'role',
        'parts',
        'args',
        'type',
        'items',
        'inline_data',
        'thinking_budget',
        // Not `__proto__`: zod's record skips that key, the checker checks it like any map key.
        'constructor',
      ),
      fc.string({ maxLength: 6 }).filter((key) => key !== '__proto__'),
    ),
    value: replacement,
  });

  function mutate(
    root: unknown,
    mutations: Array<{ at: number; op: string; key: string; value: unknown }>,
  ): unknown {
    let body = structuredClone(root);
    for (const m of mutations) {
      const paths = pathsOf(body);
      const path = paths[m.at % paths.length]!;
      if (path.length === 0) {
        if (m.op === 'replace') body = m.value;
        continue;
      }
      const parent = path
        .slice(0, -1)
        .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], body) as Record<
        string,
        unknown
      >;
      const last = path.at(-1)!;
      if (m.op === 'replace') parent[last] = structuredClone(m.value);
      else if (m.op === 'delete') delete parent[last];
      else {
        const target = parent[last];
        if (typeof target === 'object' && target !== null && !Array.isArray(target))
          Object.defineProperty(target, m.key, {
            value: m.value,
            enumerable: true,
            writable: true,
            configurable: true,
          });
      }
    }
    // As the route sees it: what JSON carries (own __proto__ keys included).
    return JSON.parse(JSON.stringify(body) ?? 'null');
  }

  it.each([
    ['GenerateContentRequest', generateContentRequestSchema, FULL],
    ['GenerateContentRequest (snake_case)', generateContentRequestSchema, snakeCased(FULL)],
    ['CountTokensRequest', countTokensRequestSchema, { generateContentRequest: FULL }],
  ])('on mutated %s bodies', (_name, schema, base) => {
    const check = compile(schema);
    let refused = 0;
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        const body = mutate(base, mutations);
        const compiled = issuesOf(check, body).length === 0;
        if (!compiled) refused++;
        expect(compiled).toBe(schema.safeParse(body).success);
      }),
      { seed: 7_357, numRuns: 1_500 },
    );
    // The mutations do reach both outcomes.
    expect(refused).toBeGreaterThan(200);
    expect(refused).toBeLessThan(1_400);
  });
});
