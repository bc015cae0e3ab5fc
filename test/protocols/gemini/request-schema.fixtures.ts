/** Requests and schemas shared by the request-schema-*.test.ts files. */
import { requestSchemas } from '../../../src/protocols/gemini/request-schema.ts';

export const { generateContentRequestSchema, countTokensRequestSchema } = requestSchemas();

/** A request that uses every part of the schema. */
export const FULL = {
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
export function snakeCased(value: unknown, freeForm = false): unknown {
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
