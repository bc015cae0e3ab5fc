import { describe, expect, it } from 'vitest';
import { listClientModels, naturalCompare, type AccountModel } from '../../src/models/catalog.ts';
import { FALLBACK_MODELS } from '../../src/models/fallback.ts';

const ACCOUNT_A: AccountModel[] = [
  { id: 'gemini-3-flash', displayName: 'Gemini 3 Flash', maxTokens: 1_048_576, maxOutputTokens: 65_536 },
  {
    id: 'claude-sonnet-4-6',
    displayName: 'Claude Sonnet 4.6 (Thinking)',
    maxTokens: 200_000,
    maxOutputTokens: 64_000,
  },
  { id: 'chat_20706', displayName: '…internal…' },
  { id: 'tab_flash_lite_preview' },
  { id: 'tab_jump_flash_lite_preview' },
];
const ACCOUNT_B: AccountModel[] = [
  { id: 'gemini-3-flash' },
  { id: 'gemini-3-pro-image', displayName: 'Gemini 3 Pro Image' },
  { id: 'gpt-oss-120b-medium', maxOutputTokens: 32_768 },
  { id: 'chat_23310' },
];

const ids = (models: { id: string }[]) => models.map((model) => model.id);

describe('listClientModels', () => {
  it('is the union of the accounts’ models without internal ids, deduplicated', () => {
    const models = listClientModels({
      accountModels: [...ACCOUNT_A, ...ACCOUNT_B],
      aliases: {},
      fallback: FALLBACK_MODELS,
    });
    expect(ids(models)).toEqual([
      'claude-sonnet-4-6',
      'gemini-3-flash',
      'gemini-3-pro-image',
      'gpt-oss-120b-medium',
    ]);
    expect(models.every((model) => model.source === 'account')).toBe(true);
  });

  it('keeps the first known figure of each field and fills a missing display name from the lineup', () => {
    const models = listClientModels({
      accountModels: [
        { id: 'gpt-oss-120b-medium' },
        { id: 'gpt-oss-120b-medium', maxTokens: 114_000, maxOutputTokens: 1 },
        ...ACCOUNT_B,
      ],
      aliases: {},
      fallback: FALLBACK_MODELS,
    });
    expect(models.find((model) => model.id === 'gpt-oss-120b-medium')).toEqual({
      id: 'gpt-oss-120b-medium',
      displayName: 'GPT-OSS 120B (Medium)',
      maxTokens: 114_000,
      maxOutputTokens: 1,
      source: 'account',
    });
    expect(models.find((model) => model.id === 'gemini-3-flash')?.displayName).toBe('Gemini 3 Flash');
  });

  it('uses the id as display name when nothing better is known', () => {
    const models = listClientModels({
      accountModels: [{ id: 'gemini-9-ultra' }],
      aliases: {},
      fallback: FALLBACK_MODELS,
    });
    expect(models).toEqual([{ id: 'gemini-9-ultra', displayName: 'gemini-9-ultra', source: 'account' }]);
  });

  it('adds aliases with their target’s metadata', () => {
    const models = listClientModels({
      accountModels: ACCOUNT_A,
      aliases: { fast: 'gemini-3-flash', 'my-claude': 'models/Claude-Sonnet-4-6', ghost: 'gemini-0-missing' },
      fallback: FALLBACK_MODELS,
    });
    expect(models.find((model) => model.id === 'fast')).toEqual({
      id: 'fast',
      displayName: 'Gemini 3 Flash',
      maxTokens: 1_048_576,
      maxOutputTokens: 65_536,
      source: 'alias',
      aliasOf: 'gemini-3-flash',
    });
    expect(models.find((model) => model.id === 'my-claude')).toMatchObject({
      aliasOf: 'claude-sonnet-4-6',
      maxTokens: 200_000,
    });
    expect(models.find((model) => model.id === 'ghost')).toEqual({
      id: 'ghost',
      displayName: 'ghost',
      source: 'alias',
      aliasOf: 'gemini-0-missing',
    });
  });

  it('an alias named like an upstream id replaces that entry instead of duplicating it', () => {
    const models = listClientModels({
      accountModels: ACCOUNT_A,
      aliases: { 'Gemini-3-Flash': 'claude-sonnet-4-6' },
      fallback: FALLBACK_MODELS,
    });
    expect(ids(models).filter((id) => id.toLowerCase() === 'gemini-3-flash')).toHaveLength(1);
    expect(models.find((model) => model.id === 'Gemini-3-Flash')).toMatchObject({
      source: 'alias',
      aliasOf: 'claude-sonnet-4-6',
    });
  });

  it('sorts by family (Claude, Gemini, GPT, image), numbers in natural order, aliases last', () => {
    const models = listClientModels({
      accountModels: [
        { id: 'imagen-4' },
        { id: 'gpt-oss-120b-medium' },
        { id: 'gemini-3.10-flash' },
        { id: 'gemini-3.9-flash' },
        { id: 'gemini-3-flash' },
        { id: 'claude-sonnet-4-6' },
      ],
      aliases: { fast: 'gemini-3-flash', 'claude-fast': 'gemini-3-flash' },
      fallback: FALLBACK_MODELS,
    });
    expect(ids(models)).toEqual([
      'claude-fast',
      'claude-sonnet-4-6',
      'gemini-3-flash',
      'gemini-3.9-flash',
      'gemini-3.10-flash',
      'gpt-oss-120b-medium',
      'imagen-4',
      'fast',
    ]);
  });

  it('uses the built-in lineup before any account has reported models', () => {
    const models = listClientModels({
      accountModels: [],
      aliases: { fast: 'gemini-3-flash' },
      fallback: FALLBACK_MODELS,
    });
    expect(
      ids(models)
        .filter((id) => id !== 'fast')
        .sort(),
    ).toEqual(FALLBACK_MODELS.map((model) => model.id).sort());
    expect(models.find((model) => model.id === 'claude-opus-4-6-thinking')).toEqual({
      id: 'claude-opus-4-6-thinking',
      displayName: 'Claude Opus 4.6 (Thinking)',
      maxTokens: 200_000,
      maxOutputTokens: 64_000,
      source: 'fallback',
    });
    expect(models.find((model) => model.id === 'fast')).toMatchObject({
      aliasOf: 'gemini-3-flash',
      maxOutputTokens: 65_536,
    });
  });

  it('uses the given fallback, not a hard-coded one, and also when accounts report only internal ids', () => {
    const fallback = [{ id: 'gemini-test', displayName: 'Test' }];
    expect(listClientModels({ accountModels: [{ id: 'chat_1' }], aliases: {}, fallback })).toEqual([
      { id: 'gemini-test', displayName: 'Test', source: 'fallback' },
    ]);
  });

  it('never mixes the lineup into a reported list', () => {
    const models = listClientModels({ accountModels: ACCOUNT_A, aliases: {}, fallback: FALLBACK_MODELS });
    expect(ids(models)).not.toContain('claude-opus-4-6-thinking');
  });
});

describe('naturalCompare', () => {
  it('orders digit runs by value and everything else by code point, like a numeric collation of ASCII ids', () => {
    const ids = [
      'gemini-3-pro',
      'gemini-2.5-flash',
      'gemini-10',
      'gemini-3',
      'gemini-2.5-flash-lite',
      'a1b10',
      'a1b9',
    ];
    expect([...ids].sort(naturalCompare)).toEqual([
      'a1b9',
      'a1b10',
      'gemini-2.5-flash',
      'gemini-2.5-flash-lite',
      'gemini-3',
      'gemini-3-pro',
      'gemini-10',
    ]);
    expect(naturalCompare('x007', 'x7')).toBeLessThan(0);
    expect(naturalCompare('x7', 'x007')).toBeGreaterThan(0);
    expect(naturalCompare('same', 'same')).toBe(0);
  });
});
