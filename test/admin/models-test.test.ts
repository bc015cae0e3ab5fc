import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_MAPPING } from '../../src/config/schema.ts';
import { startTestEnvironment, type TestEnvironment } from '../helpers/app.ts';

interface TestAnswer {
  requested: string;
  normalized: string;
  upstream: string;
  rule: string | null;
  ruleIndex: number | null;
  routed: boolean;
  description: string;
  known: boolean;
}

interface AdminErrorBody {
  error: { code: string; message: string };
}

let env: TestEnvironment;
beforeAll(async () => {
  env = await startTestEnvironment();
  await env.importAccounts('alice.pro@gmail.com');
});
afterAll(async () => {
  await env?.close();
});

const test = (body: unknown) => env.api<TestAnswer>('POST', '/api/models/test', body);

describe('POST /api/models/test', () => {
  it('names the saved rule that maps a client name, with its index in the list', async () => {
    const answer = await test({ model: 'claude-sonnet-4-5-20250929[1m]' });
    expect(answer.status).toBe(200);
    const index = DEFAULT_MODEL_MAPPING.findIndex((rule) => rule.match === 'claude-sonnet-*');
    expect(answer.body).toEqual({
      requested: 'claude-sonnet-4-5-20250929[1m]',
      normalized: 'claude-sonnet-4-5-20250929',
      upstream: 'claude-sonnet-4-6',
      rule: 'claude-sonnet-* \u2192 claude-sonnet-4-6',
      ruleIndex: index,
      routed: false,
      description:
        'claude-sonnet-4-5-20250929[1m] \u2192 claude-sonnet-4-6 \u00b7 claude-sonnet-* \u2192 claude-sonnet-4-6',
      known: true,
    });
  });

  it('says an id the accounts report is taken as it is (no rule index)', async () => {
    const answer = await test({ model: 'models/Gemini-3-Flash' });
    expect(answer.body).toMatchObject({
      normalized: 'gemini-3-flash',
      upstream: 'gemini-3-flash',
      rule: 'exact',
      ruleIndex: null,
      known: true,
    });
  });

  it('tests unsaved rules from the editor: the first match wins and its index is given', async () => {
    const answer = await test({
      model: 'My-Model',
      mapping: [
        { match: 'other', target: 'claude-sonnet-4-6' },
        { match: 'my-*', target: 'gemini-3-flash' },
        { match: 'my-model', target: 'claude-sonnet-4-6' },
      ],
    });
    expect(answer.body).toMatchObject({
      normalized: 'my-model',
      upstream: 'gemini-3-flash',
      rule: 'my-* \u2192 gemini-3-flash',
      ruleIndex: 1,
      known: true,
    });
    // An empty list tests "no rules at all": the name passes through.
    const none = await test({ model: 'claude-sonnet-9', mapping: [] });
    expect(none.body).toMatchObject({ upstream: 'claude-sonnet-9', rule: null, ruleIndex: null });
  });

  it('reports a target no client can see as unknown, and pass-through in words', async () => {
    const typo = await test({ model: 'x-1', mapping: [{ match: 'x-*', target: 'gemini-9-ultra' }] });
    expect(typo.body).toMatchObject({ upstream: 'gemini-9-ultra', ruleIndex: 0, known: false });
    const unknown = await test({ model: 'totally-unknown', mapping: [] });
    expect(unknown.body).toMatchObject({ rule: null, ruleIndex: null, known: false });
    expect(unknown.body.description).toBe('totally-unknown \u2192 totally-unknown \u00b7 pass-through');
  });

  it('follows what is saved: a new mapping and an alias apply without a restart', async () => {
    const saved = await env.api('PUT', '/api/config', {
      models: {
        mapping: [{ match: 'team-*', target: 'claude-sonnet-4-6' }],
        aliases: { fast: 'gemini-3-flash' },
      },
    });
    expect(saved.status).toBe(200);
    expect((await test({ model: 'team-large' })).body).toMatchObject({
      upstream: 'claude-sonnet-4-6',
      ruleIndex: 0,
    });
    expect((await test({ model: 'fast' })).body).toMatchObject({
      upstream: 'gemini-3-flash',
      rule: 'alias',
      ruleIndex: null,
      known: true,
    });
    // The old default rules are gone from the saved list.
    expect((await test({ model: 'claude-sonnet-9' })).body.rule).toBeNull();
  });

  it.each([
    ['no model', {}, 'model'],
    ['an empty model', { model: '  ' }, 'model'],
    ['a rule without a target', { model: 'a', mapping: [{ match: 'a' }] }, 'mapping.0.target'],
    ['an unknown field', { model: 'a', extra: 1 }, 'extra'],
    ['not an object', [1, 2], ''],
  ])('answers 400 in the admin shape for %s', async (_name, body, field) => {
    const answer = await env.api<AdminErrorBody>('POST', '/api/models/test', body);
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('invalid_request');
    expect(answer.body.error.message).toContain(field);
  });
});
