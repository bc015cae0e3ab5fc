import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../src/config/schema.ts';
import { FALLBACK_MODELS, FALLBACK_MODEL_IDS } from '../../src/models/fallback.ts';
import {
  describeDecision,
  resolveModel,
  type ModelRule,
  type ResolveContext,
} from '../../src/models/resolve.ts';

const DEFAULTS = defaultSettings().models;
/** What the accounts report once a quota fetch has run (wire.md §2.5 lineup). */
const REPORTED = new Set(FALLBACK_MODELS.map((model) => model.id));

function context(overrides: Partial<ResolveContext> = {}): ResolveContext {
  return { mapping: DEFAULTS.mapping, aliases: {}, deprecated: {}, upstreamIds: REPORTED, ...overrides };
}

describe('default mapping: the ids the official CLIs send by default', () => {
  const cases: [client: string, requested: string, upstream: string, rule: string][] = [
    ['Claude Code', 'claude-sonnet-4-5-20250929', 'claude-sonnet-4-6', 'claude-sonnet-* → claude-sonnet-4-6'],
    [
      'Claude Code',
      'claude-sonnet-4-5-20250929[1m]',
      'claude-sonnet-4-6',
      'claude-sonnet-* → claude-sonnet-4-6',
    ],
    [
      'Claude Code',
      'claude-opus-4-1-20250805',
      'claude-opus-4-6-thinking',
      'claude-opus-* → claude-opus-4-6-thinking',
    ],
    [
      'Claude Code',
      'claude-opus-4-1-20250805[1m]',
      'claude-opus-4-6-thinking',
      'claude-opus-* → claude-opus-4-6-thinking',
    ],
    ['Claude Code', 'claude-haiku-4-5-20251001', 'gemini-3-flash', 'claude-haiku-* → gemini-3-flash'],
    ['Claude Code', 'claude-haiku-4-5-20251001[1m]', 'gemini-3-flash', 'claude-haiku-* → gemini-3-flash'],
    ['Claude Code', 'claude-3-5-haiku-20241022', 'gemini-3-flash', 'claude-*-haiku* → gemini-3-flash'],
    ['Claude Code', 'claude-3-5-haiku-20241022[1m]', 'gemini-3-flash', 'claude-*-haiku* → gemini-3-flash'],
    ['Claude Code', 'claude-sonnet-4-6', 'claude-sonnet-4-6', 'exact'],
    [
      'Claude Code',
      'claude-opus-4-6[1m]',
      'claude-opus-4-6-thinking',
      'claude-opus-* → claude-opus-4-6-thinking',
    ],
    [
      'Anthropic SDK',
      'claude-3-opus-latest',
      'claude-opus-4-6-thinking',
      'claude-*-opus* → claude-opus-4-6-thinking',
    ],
    [
      'Anthropic SDK',
      'claude-3-7-sonnet-latest',
      'claude-sonnet-4-6',
      'claude-*-sonnet* → claude-sonnet-4-6',
    ],
    ['Anthropic SDK', 'claude-2.1', 'claude-sonnet-4-6', 'claude-* → claude-sonnet-4-6'],
    ['Codex CLI', 'gpt-5-codex', 'gemini-pro-agent', 'gpt-* → gemini-pro-agent'],
    ['Codex CLI', 'gpt-5.1-codex', 'gemini-pro-agent', 'gpt-* → gemini-pro-agent'],
    ['Codex CLI', 'gpt-5.1-codex-mini', 'gemini-3-flash', 'gpt-*-mini* → gemini-3-flash'],
    ['Codex CLI', 'gpt-5', 'gemini-pro-agent', 'gpt-* → gemini-pro-agent'],
    ['Codex CLI', 'gpt-4.1', 'gemini-pro-agent', 'gpt-* → gemini-pro-agent'],
    ['Codex CLI', 'o3', 'gemini-pro-agent', 'o[0-9]* → gemini-pro-agent'],
    ['Codex CLI', 'o4-mini', 'gemini-3-flash', 'o[0-9]*-mini* → gemini-3-flash'],
    ['Codex CLI', 'codex-mini-latest', 'gemini-3-flash', 'codex-mini* → gemini-3-flash'],
    ['OpenAI SDK', 'gpt-4o-mini', 'gemini-3-flash', 'gpt-*-mini* → gemini-3-flash'],
    ['OpenAI SDK', 'gpt-4.1-nano', 'gemini-3.1-flash-lite', 'gpt-*-nano* → gemini-3.1-flash-lite'],
    ['OpenAI SDK', 'gpt-image-1', 'gemini-3.1-flash-image', 'gpt-image-* → gemini-3.1-flash-image'],
    ['OpenAI SDK', 'dall-e-3', 'gemini-3.1-flash-image', 'dall-e-* → gemini-3.1-flash-image'],
    ['OpenAI SDK', 'gpt-oss-20b', 'gpt-oss-120b-medium', 'gpt-oss-* → gpt-oss-120b-medium'],
    ['Gemini CLI', 'gemini-2.5-pro', 'gemini-pro-agent', 'gemini*-pro* → gemini-pro-agent'],
    ['Gemini CLI', 'models/gemini-2.5-pro', 'gemini-pro-agent', 'gemini*-pro* → gemini-pro-agent'],
    ['Gemini CLI', 'gemini-2.5-flash', 'gemini-3-flash', 'gemini*-flash* → gemini-3-flash'],
    [
      'Gemini CLI',
      'gemini-2.5-flash-lite',
      'gemini-3.1-flash-lite',
      'gemini*-flash-lite* → gemini-3.1-flash-lite',
    ],
    ['Gemini CLI', 'gemini-3-pro-preview', 'gemini-pro-agent', 'gemini*-pro* → gemini-pro-agent'],
    ['Gemini CLI', 'gemini-3-flash-preview', 'gemini-3-flash', 'gemini*-flash* → gemini-3-flash'],
    ['Gemini SDK', 'gemini-flash-latest', 'gemini-3-flash', 'gemini*-flash* → gemini-3-flash'],
    [
      'Gemini SDK',
      'gemini-2.5-flash-image-preview',
      'gemini-3.1-flash-image',
      'gemini*-image* → gemini-3.1-flash-image',
    ],
  ];

  it.each(cases)('%s %s → %s', (_client, requested, upstream, rule) => {
    const decision = resolveModel(requested, context());
    expect(decision).toEqual({ requested, normalized: expect.any(String), upstream, rule });
  });

  it.each(cases)('%s %s maps the same before the first quota fetch', (_client, requested, upstream) => {
    expect(resolveModel(requested, context({ upstreamIds: new Set() })).upstream).toBe(upstream);
  });

  it('targets only current upstream ids', () => {
    for (const rule of DEFAULTS.mapping) expect(FALLBACK_MODEL_IDS.has(rule.target), rule.target).toBe(true);
  });
});

describe('exact upstream ids pass through unchanged (exact beats globs)', () => {
  const ids = FALLBACK_MODELS.map((model) => model.id);

  it.each(ids)('%s, as reported by the accounts', (id) => {
    expect(resolveModel(id, context())).toEqual({
      requested: id,
      normalized: id,
      upstream: id,
      rule: 'exact',
    });
  });

  it.each(ids)('%s, before the first quota fetch (the built-in lineup stands in)', (id) => {
    expect(resolveModel(id, context({ upstreamIds: new Set() })).upstream).toBe(id);
  });

  it('an id only one account reports (image ids differ per account) is not rewritten by a glob', () => {
    const upstreamIds = new Set([...REPORTED, 'gemini-3-pro-image']);
    expect(resolveModel('gemini-3-pro-image', context({ upstreamIds })).upstream).toBe('gemini-3-pro-image');
    expect(resolveModel('gemini-3-pro-image', context()).upstream).toBe('gemini-3.1-flash-image');
  });

  it('compares reported ids case-insensitively', () => {
    const upstreamIds = new Set(['Gemini-3-Flash-Agent']);
    expect(resolveModel('gemini-3-flash-agent', context({ upstreamIds })).rule).toBe('exact');
  });
});

describe('normalization', () => {
  it.each([
    ['  claude-sonnet-4-6  ', 'claude-sonnet-4-6'],
    ['models/gemini-3-flash', 'gemini-3-flash'],
    ['MODELS/Gemini-3-Flash', 'gemini-3-flash'],
    ['claude-sonnet-4-5-20250929[1m]', 'claude-sonnet-4-5-20250929'],
    ['claude-opus-4-6 [200k]', 'claude-opus-4-6'],
    ['Claude-Sonnet-4-6', 'claude-sonnet-4-6'],
  ])('%j → %s', (requested, normalized) => {
    const decision = resolveModel(requested, context({ mapping: [] }));
    expect(decision.requested).toBe(requested);
    expect(decision.normalized).toBe(normalized);
  });

  it('matches rules against the normalized name', () => {
    const mapping = [{ match: 'My-Model', target: 'gemini-3-flash' }];
    expect(resolveModel(' models/my-model[1m] ', context({ mapping })).upstream).toBe('gemini-3-flash');
  });
});

describe('aliases', () => {
  it('win over exact ids and rules, case-insensitively', () => {
    const aliases = { Fast: 'gemini-3.1-flash-lite', 'claude-sonnet-4-6': 'gemini-pro-agent' };
    expect(resolveModel('fast', context({ aliases }))).toMatchObject({
      upstream: 'gemini-3.1-flash-lite',
      rule: 'alias',
    });
    expect(resolveModel('claude-sonnet-4-6', context({ aliases }))).toMatchObject({
      upstream: 'gemini-pro-agent',
      rule: 'alias',
    });
  });

  it('a name without alias still goes through the rules', () => {
    expect(resolveModel('gpt-5', context({ aliases: { fast: 'gemini-3-flash' } })).upstream).toBe(
      'gemini-pro-agent',
    );
  });
});

describe('mapping rules', () => {
  it('first matching rule wins, in list order', () => {
    const mapping: ModelRule[] = [
      { match: 'gpt-4*', target: 'first' },
      { match: 'gpt-4o', target: 'second' },
    ];
    expect(resolveModel('gpt-4o', context({ mapping }))).toMatchObject({
      upstream: 'first',
      rule: 'gpt-4* → first',
    });
    expect(resolveModel('gpt-4o', context({ mapping: [...mapping].reverse() })).upstream).toBe('second');
  });

  it.each([
    ['o[0-9]*', 'o3', true],
    ['o[0-9]*', 'omni', false],
    ['claude-?-opus', 'claude-3-opus', true],
    ['claude-?-opus', 'claude-35-opus', false],
    ['gpt-[!3]*', 'gpt-4o', true],
    ['gpt-[!3]*', 'gpt-3.5-turbo', false],
    ['gpt-[^3]*', 'gpt-3.5-turbo', false],
    ['x-[a-c]', 'x-b', true],
    ['x-[a-c]', 'x-d', false],
    ['gpt-4.1', 'gpt-4x1', false],
    ['gemini-2.5-pro', 'gemini-2.5-pro', true],
    ['gpt-4', 'gpt-4o', false],
    ['[unterminated', '[unterminated', true],
    ['bad-[z-a]x', 'bad-[z-a]x', true],
  ])('%s matches %s: %s', (match, name, matches) => {
    const decision = resolveModel(
      name,
      context({ mapping: [{ match, target: 'hit' }], upstreamIds: new Set(['x']) }),
    );
    expect(decision.upstream === 'hit').toBe(matches);
  });

  it('passes an unmatched name through without a rule', () => {
    expect(resolveModel('my-own-model', context())).toEqual({
      requested: 'my-own-model',
      normalized: 'my-own-model',
      upstream: 'my-own-model',
    });
  });

  it('compiles each rule list once, not per request', () => {
    let reads = 0;
    const rule = { target: 'gemini-3-flash' } as ModelRule;
    Object.defineProperty(rule, 'match', {
      get: () => {
        reads++;
        return 'gpt-*';
      },
    });
    const mapping = [rule];
    for (let i = 0; i < 50; i++) resolveModel(`gpt-${i}`, context({ mapping }));
    const afterFirstList = reads;
    expect(afterFirstList).toBeGreaterThan(0);
    expect(afterFirstList).toBeLessThanOrEqual(2);
    // A new list (settings saved from the dashboard) is compiled afresh.
    resolveModel('gpt-x', context({ mapping: [rule] }));
    expect(reads).toBeGreaterThan(afterFirstList);
  });

  it('skips globs for absurdly long names instead of backtracking on them', () => {
    const mapping = [{ match: '*a*a*a*a*a*a*b', target: 'hit' }];
    const started = performance.now();
    const decision = resolveModel('a'.repeat(100_000), context({ mapping }));
    expect(decision.upstream).toBe('a'.repeat(100_000));
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('deprecated forwarding', () => {
  it('forwards a passed-through old id', () => {
    const deprecated = { 'gemini-3-pro-high': 'gemini-pro-agent' };
    expect(resolveModel('gemini-3-pro-high', context({ mapping: [], deprecated }))).toMatchObject({
      upstream: 'gemini-pro-agent',
      rule: 'deprecated',
    });
  });

  it('forwards the target of a rule and of an alias', () => {
    const deprecated = { 'claude-sonnet-4-5': 'claude-sonnet-4-6' };
    const mapping = [{ match: 'sonnet', target: 'claude-sonnet-4-5' }];
    expect(resolveModel('sonnet', context({ mapping, deprecated }))).toMatchObject({
      upstream: 'claude-sonnet-4-6',
      rule: 'sonnet → claude-sonnet-4-5, deprecated',
    });
    expect(resolveModel('s', context({ aliases: { s: 'claude-sonnet-4-5' }, deprecated }))).toMatchObject({
      upstream: 'claude-sonnet-4-6',
      rule: 'alias, deprecated',
    });
  });

  it('follows chains', () => {
    const deprecated = { a: 'b', b: 'c', c: 'gemini-3-flash' };
    expect(resolveModel('a', context({ mapping: [], deprecated })).upstream).toBe('gemini-3-flash');
  });

  it('stops on a loop instead of hanging', () => {
    expect(resolveModel('a', context({ mapping: [], deprecated: { a: 'b', b: 'a' } })).upstream).toBe('b');
    expect(resolveModel('a', context({ mapping: [], deprecated: { a: 'a' } }))).toEqual({
      requested: 'a',
      normalized: 'a',
      upstream: 'a',
    });
  });

  it('stops after a bounded number of hops on a very long chain', () => {
    const deprecated = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`m${i}`, `m${i + 1}`]));
    expect(resolveModel('m0', context({ mapping: [], deprecated })).upstream).toBe('m8');
  });
});

describe('describeDecision', () => {
  it('names the requested and upstream model and the rule', () => {
    expect(describeDecision(resolveModel('gpt-5', context()))).toBe(
      'gpt-5 → gemini-pro-agent · gpt-* → gemini-pro-agent',
    );
    expect(describeDecision(resolveModel('my-model', context()))).toBe('my-model → my-model · pass-through');
    expect(
      describeDecision({
        requested: 'claude-haiku-4-5',
        normalized: 'claude-haiku-4-5',
        upstream: 'gemini-3.1-flash-lite',
        rule: 'background → gemini-3.1-flash-lite',
        routed: true,
        backgroundReason: 'claude-code topic detection',
      }),
    ).toBe(
      'claude-haiku-4-5 → gemini-3.1-flash-lite · background → gemini-3.1-flash-lite · routed: claude-code topic detection',
    );
  });
});
