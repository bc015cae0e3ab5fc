import { describe, expect, it } from 'vitest';
import { parseAvailableModels, parseQuotaSummary } from '../../src/google/quota-parse.ts';

const FETCHED_AT = Date.parse('2026-08-22T12:00:00Z');

/** wire.md §2.5, verbatim. */
const WIRE_MODELS = String.raw`{
  "models": {
    "gemini-3-flash": {
      "displayName": "Gemini 3 Flash",
      "supportsImages": true,
      "supportsThinking": true,
      "thinkingBudget": 24576,
      "recommended": true,
      "maxTokens": 1048576,
      "maxOutputTokens": 65536,
      "supportedMimeTypes": { "image/png": true, "image/jpeg": true, "application/pdf": true },
      "quotaInfo": { "remainingFraction": 0.82, "resetTime": "2026-08-22T18:00:00Z" }
    },
    "claude-sonnet-4-6": {
      "displayName": "Claude Sonnet 4.6 (Thinking)",
      "supportsImages": true,
      "supportsThinking": true,
      "maxTokens": 200000,
      "maxOutputTokens": 64000,
      "quotaInfo": { "resetTime": "2026-08-22T19:12:40Z" }
    },
    "chat_20706": { "displayName": "…internal…" }
  },
  "deprecatedModelIds": { "gemini-3-pro-high": { "newModelId": "gemini-pro-agent" } },
  "webSearchModelIds": [ "gemini-3.1-flash-lite" ]
}`;

const WIRE_SUMMARY = String.raw`{"groups":[{"displayName":"Gemini Pro","description":"…","buckets":[{"bucketId":"…","window":"5h","remainingFraction":0.4,"resetTime":"2026-08-22T18:00:00Z","displayName":"…","description":"…"}]}]}`;

describe('parseAvailableModels', () => {
  it('reads the wire.md example', () => {
    expect(parseAvailableModels(JSON.parse(WIRE_MODELS), FETCHED_AT)).toEqual({
      models: [
        {
          id: 'gemini-3-flash',
          displayName: 'Gemini 3 Flash',
          supportsImages: true,
          supportsThinking: true,
          thinkingBudget: 24576,
          recommended: true,
          maxTokens: 1048576,
          maxOutputTokens: 65536,
          quota: {
            status: 'known',
            remainingFraction: 0.82,
            resetAt: Date.parse('2026-08-22T18:00:00Z'),
            fetchedAt: FETCHED_AT,
          },
        },
        {
          id: 'claude-sonnet-4-6',
          displayName: 'Claude Sonnet 4.6 (Thinking)',
          supportsImages: true,
          supportsThinking: true,
          maxTokens: 200000,
          maxOutputTokens: 64000,
          // proto3 omits a zero fraction: a quota object without one means exhausted.
          quota: {
            status: 'known',
            remainingFraction: 0,
            resetAt: Date.parse('2026-08-22T19:12:40Z'),
            fetchedAt: FETCHED_AT,
          },
        },
      ],
      deprecated: { 'gemini-3-pro-high': 'gemini-pro-agent' },
      webSearchModelIds: ['gemini-3.1-flash-lite'],
    });
  });

  it.each([
    ['gemini-3.1-pro-low', true],
    ['claude-opus-4-6-thinking', true],
    ['gpt-oss-120b-medium', true],
    ['image-gen-x', true],
    ['imagen-4', true],
    ['Gemini-Upper', true],
    ['chat_20706', false],
    ['chat_23310', false],
    ['tab_flash_lite_preview', false],
    ['tab_jump_flash_lite_preview', false],
    ['rev19-uic3-1p', false],
  ])('model id %s kept: %s', (id, kept) => {
    const { models } = parseAvailableModels({ models: { [id]: {} } }, FETCHED_AT);
    expect(models.map((model) => model.id)).toEqual(kept ? [id] : []);
  });

  it.each([
    ['no quotaInfo', {}, { status: 'unknown' }],
    ['quotaInfo null', { quotaInfo: null }, { status: 'unknown' }],
    ['quotaInfo not an object', { quotaInfo: 'full' }, { status: 'unknown' }],
    ['empty quotaInfo', { quotaInfo: {} }, { status: 'known', remainingFraction: 0, fetchedAt: FETCHED_AT }],
    [
      'fraction 1',
      { quotaInfo: { remainingFraction: 1 } },
      { status: 'known', remainingFraction: 1, fetchedAt: FETCHED_AT },
    ],
    [
      'fraction as a string',
      { quotaInfo: { remainingFraction: '0.5' } },
      { status: 'known', remainingFraction: 0.5, fetchedAt: FETCHED_AT },
    ],
    [
      'fraction above 1 clamped',
      { quotaInfo: { remainingFraction: 1.5 } },
      { status: 'known', remainingFraction: 1, fetchedAt: FETCHED_AT },
    ],
    [
      'fraction of a wrong type',
      { quotaInfo: { remainingFraction: true } },
      { status: 'known', remainingFraction: 0, fetchedAt: FETCHED_AT },
    ],
    [
      'invalid resetTime dropped',
      { quotaInfo: { remainingFraction: 0.3, resetTime: 'soon' } },
      { status: 'known', remainingFraction: 0.3, fetchedAt: FETCHED_AT },
    ],
    [
      'snake_case',
      { quota_info: { remaining_fraction: 0.25, reset_time: '2026-08-22T18:00:00Z' } },
      {
        status: 'known',
        remainingFraction: 0.25,
        resetAt: Date.parse('2026-08-22T18:00:00Z'),
        fetchedAt: FETCHED_AT,
      },
    ],
  ])('quota: %s', (_name, raw, quota) => {
    const { models } = parseAvailableModels({ models: { 'gemini-3-flash': raw } }, FETCHED_AT);
    expect(models[0]?.quota).toEqual(quota);
  });

  it('accepts snake_case everywhere and coerces int64 strings', () => {
    const body = {
      models: {
        'gemini-3-flash': {
          display_name: 'Flash',
          max_tokens: '1048576',
          max_output_tokens: 65536,
          thinking_budget: 128,
          supports_images: false,
          supports_thinking: true,
        },
      },
      deprecated_model_ids: { 'old-id': { new_model_id: 'new-id' }, 'bare-id': 'target-id' },
      web_search_model_ids: ['gemini-3.1-flash-lite', 7, ''],
    };
    expect(parseAvailableModels(body, FETCHED_AT)).toEqual({
      models: [
        {
          id: 'gemini-3-flash',
          displayName: 'Flash',
          maxTokens: 1048576,
          maxOutputTokens: 65536,
          thinkingBudget: 128,
          supportsImages: false,
          supportsThinking: true,
          quota: { status: 'unknown' },
        },
      ],
      deprecated: { 'old-id': 'new-id', 'bare-id': 'target-id' },
      webSearchModelIds: ['gemini-3.1-flash-lite'],
    });
  });

  it('drops fields of the wrong type instead of passing them on', () => {
    const body = {
      models: {
        'gemini-x': { displayName: 5, maxTokens: 'lots', supportsImages: 'yes', recommended: 1 },
        'gemini-y': 'not an object',
      },
    };
    expect(parseAvailableModels(body, FETCHED_AT).models).toEqual([
      { id: 'gemini-x', quota: { status: 'unknown' } },
    ]);
  });

  it('tolerates an array of models and missing sections', () => {
    const body = {
      models: [{ name: 'models/gemini-3-flash', quotaInfo: { remainingFraction: 0.1 } }, { id: 'chat_1' }, 3],
    };
    expect(parseAvailableModels(body, FETCHED_AT)).toEqual({
      models: [
        { id: 'gemini-3-flash', quota: { status: 'known', remainingFraction: 0.1, fetchedAt: FETCHED_AT } },
      ],
      deprecated: {},
      webSearchModelIds: [],
    });
    expect(parseAvailableModels({}, FETCHED_AT)).toEqual({
      models: [],
      deprecated: {},
      webSearchModelIds: [],
    });
  });

  it.each([null, undefined, [], 'text', 42])('throws for a body that is not an object: %j', (body) => {
    expect(() => parseAvailableModels(body, FETCHED_AT)).toThrow(
      /fetchAvailableModels returned .* instead of a JSON object/,
    );
  });
});

describe('parseQuotaSummary', () => {
  it('reads the wire.md example', () => {
    expect(parseQuotaSummary(JSON.parse(WIRE_SUMMARY), FETCHED_AT)).toEqual([
      {
        bucketId: '…',
        group: 'Gemini Pro',
        window: '5h',
        remainingFraction: 0.4,
        resetAt: Date.parse('2026-08-22T18:00:00Z'),
        fetchedAt: FETCHED_AT,
        displayName: '…',
      },
    ]);
  });

  it('treats a missing fraction as 0 and reads snake_case', () => {
    const body = {
      groups: [
        { display_name: 'Claude', buckets: [{ bucket_id: 'c-week', window: 'weekly', reset_time: 'bad' }] },
        {
          displayName: 'Flash',
          buckets: [{ bucketId: 'f-5h', window: '5h', remainingFraction: 0.9 }, 'junk'],
        },
      ],
    };
    expect(parseQuotaSummary(body, FETCHED_AT)).toEqual([
      { bucketId: 'c-week', group: 'Claude', window: 'weekly', remainingFraction: 0, fetchedAt: FETCHED_AT },
      { bucketId: 'f-5h', group: 'Flash', window: '5h', remainingFraction: 0.9, fetchedAt: FETCHED_AT },
    ]);
  });

  it('derives an id when bucketId is missing', () => {
    const body = { groups: [{ displayName: 'Gemini Pro', buckets: [{ window: '5h' }] }] };
    expect(parseQuotaSummary(body, FETCHED_AT)[0]?.bucketId).toBe('Gemini Pro/5h');
  });

  it.each([{}, { groups: 'x' }, { groups: [{ displayName: 'no buckets' }] }])('empty for %j', (body) => {
    expect(parseQuotaSummary(body, FETCHED_AT)).toEqual([]);
  });

  it.each([null, [], 'text'])('throws for a body that is not an object: %j', (body) => {
    expect(() => parseQuotaSummary(body, FETCHED_AT)).toThrow(/retrieveUserQuotaSummary returned/);
  });
});
