import { describe, expect, it } from 'vitest';
import {
  parseLoadCodeAssist,
  parseOnboardOperation,
  parseTierId,
} from '../../src/google/code-assist-parse.ts';

/** wire.md §2.3, verbatim. */
const WIRE_PAID = String.raw`{
  "currentTier": {
    "id": "standard-tier",
    "name": "Gemini Code Assist",
    "description": "Unlimited coding assistant with the most powerful Gemini models",
    "userDefinedCloudaicompanionProject": true,
    "privacyNotice": {},
    "hasAcceptedTos": true,
    "hasOnboardedPreviously": true
  },
  "allowedTiers": [
    { "id": "free-tier", "name": "Gemini Code Assist for individuals", "description": "Gemini-powered code suggestions and chat in multiple IDEs", "isDefault": true,
      "privacyNotice": { "showNotice": true, "noticeText": "This notice and our Privacy Policy ..." } },
    { "id": "standard-tier", "name": "Gemini Code Assist", "userDefinedCloudaicompanionProject": true }
  ],
  "paidTier": {
    "id": "g1-pro-tier",
    "name": "Google AI Pro",
    "availableCredits": [ { "creditType": "GOOGLE_ONE_AI", "creditAmount": "1000", "minimumCreditAmountForUsage": "50" } ]
  },
  "cloudaicompanionProject": "useful-fuze-x7k2p"
}`;
const WIRE_FRESH = String.raw`{"allowedTiers":[{"id":"free-tier","name":"Gemini Code Assist for individuals","isDefault":true}]}`;

/** wire.md §2.4, verbatim. */
const WIRE_OP_PENDING = String.raw`{ "name": "operations/onboard-7f3c2a", "done": false }`;
const WIRE_OP_DONE = String.raw`{
  "name": "operations/onboard-7f3c2a",
  "done": true,
  "response": {
    "@type": "type.googleapis.com/google.internal.cloud.code.v1internal.OnboardUserResponse",
    "cloudaicompanionProject": { "id": "useful-fuze-x7k2p", "name": "projects/123456789012" }
  }
}`;

describe('parseLoadCodeAssist', () => {
  it('reads the onboarded paid account of wire.md', () => {
    expect(parseLoadCodeAssist(JSON.parse(WIRE_PAID))).toEqual({
      projectId: 'useful-fuze-x7k2p',
      tier: 'pro',
      tierId: 'g1-pro-tier',
      tierName: 'Google AI Pro',
      needsOnboarding: false,
      onboardTierId: 'free-tier',
      credits: [{ creditType: 'GOOGLE_ONE_AI', amount: 1000, minimumAmountForUsage: 50 }],
    });
  });

  it('reads the fresh account of wire.md', () => {
    expect(parseLoadCodeAssist(JSON.parse(WIRE_FRESH))).toEqual({
      tier: 'free',
      tierId: 'free-tier',
      tierName: 'Gemini Code Assist for individuals',
      needsOnboarding: true,
      onboardTierId: 'free-tier',
    });
  });

  it.each([
    ['string', { cloudaicompanionProject: 'p-string' }, 'p-string'],
    ['object {id,name}', { cloudaicompanionProject: { id: 'p-object', name: 'projects/1' } }, 'p-object'],
    ['snake_case key', { cloudaicompanion_project: 'p-snake' }, 'p-snake'],
    ['projectId key', { projectId: 'p-id' }, 'p-id'],
    ['project key', { project: { id: 'p-project' } }, 'p-project'],
    ['padded string', { cloudaicompanionProject: '  p-pad ' }, 'p-pad'],
    ['empty string', { cloudaicompanionProject: '' }, undefined],
    ['object without id', { cloudaicompanionProject: { name: 'projects/1' } }, undefined],
    ['number', { cloudaicompanionProject: 12 }, undefined],
    ['absent', {}, undefined],
  ])('project as %s', (_name, body, projectId) => {
    const result = parseLoadCodeAssist(body);
    expect(result.projectId).toBe(projectId);
    expect(result.needsOnboarding).toBe(projectId === undefined);
  });

  it.each([
    [
      'paidTier wins',
      { paidTier: { id: 'g1-ultra-tier', name: 'Google AI Ultra' }, currentTier: { id: 'free-tier' } },
      'ultra',
      'g1-ultra-tier',
    ],
    [
      'currentTier next',
      { currentTier: { id: 'standard-tier', name: 'Gemini Code Assist' } },
      'pro',
      'standard-tier',
    ],
    ['legacy currentTier', { currentTier: { id: 'legacy-tier' } }, 'free', 'legacy-tier'],
    [
      'paidTier without id is skipped',
      { paidTier: { name: 'x' }, currentTier: { id: 'free-tier' } },
      'free',
      'free-tier',
    ],
    [
      'default allowed tier last',
      { allowedTiers: [{ id: 'standard-tier' }, { id: 'free-tier', isDefault: true }] },
      'free',
      'free-tier',
    ],
    [
      'snake_case keys',
      { paid_tier: { id: 'g1-pro-tier' }, current_tier: { id: 'free-tier' } },
      'pro',
      'g1-pro-tier',
    ],
    ['no tier at all', {}, 'unknown', undefined],
  ])('tier: %s', (_name, body, tier, tierId) => {
    const result = parseLoadCodeAssist(body);
    expect(result.tier).toBe(tier);
    expect(result.tierId).toBe(tierId);
  });

  it.each([
    [
      'default of allowedTiers',
      { allowedTiers: [{ id: 'free-tier' }, { id: 'standard-tier', isDefault: true }] },
      'standard-tier',
    ],
    ['no default → free-tier', { allowedTiers: [{ id: 'standard-tier' }] }, 'free-tier'],
    ['no allowedTiers → free-tier', {}, 'free-tier'],
    [
      'never the paid tier id',
      { paidTier: { id: 'g1-pro-tier' }, allowedTiers: [{ id: 'g1-pro-tier', isDefault: true }] },
      'free-tier',
    ],
    ['never a g1 id', { allowedTiers: [{ id: 'g1-ultra-tier', is_default: true }] }, 'free-tier'],
  ])('onboardTierId: %s', (_name, body, onboardTierId) => {
    expect(parseLoadCodeAssist(body).onboardTierId).toBe(onboardTierId);
  });

  it('reports ineligible tiers and a required validation', () => {
    const body = {
      allowedTiers: [{ id: 'free-tier', isDefault: true }],
      ineligibleTiers: [
        {
          reasonCode: 'UNSUPPORTED_LOCATION',
          reasonMessage: 'Not available in your country',
          tierId: 'standard-tier',
        },
        {
          reasonCode: 'VALIDATION_REQUIRED',
          reasonMessage: 'Verify your account',
          tierId: 'free-tier',
          validationUrl: 'https://accounts.google.com/signin/continue?x=1',
          validationUrlLinkText: 'Verify',
        },
        { reason_code: 'RESTRICTED_AGE', validation_error_message: 'Too young' },
        { tierId: 'free-tier' },
      ],
    };
    expect(parseLoadCodeAssist(body)).toMatchObject({
      ineligible: [
        { reasonCode: 'UNSUPPORTED_LOCATION', message: 'Not available in your country' },
        {
          reasonCode: 'VALIDATION_REQUIRED',
          message: 'Verify your account',
          validationUrl: 'https://accounts.google.com/signin/continue?x=1',
        },
        { reasonCode: 'RESTRICTED_AGE', message: 'Too young' },
        { reasonCode: 'UNKNOWN' },
      ],
      validationRequired: {
        url: 'https://accounts.google.com/signin/continue?x=1',
        message: 'Verify your account',
      },
    });
  });

  it('has no validationRequired for other ineligibility reasons', () => {
    const result = parseLoadCodeAssist({ ineligibleTiers: [{ reasonCode: 'INELIGIBLE_ACCOUNT' }] });
    expect(result.ineligible).toEqual([{ reasonCode: 'INELIGIBLE_ACCOUNT' }]);
    expect(result).not.toHaveProperty('validationRequired');
    expect(parseLoadCodeAssist({ ineligibleTiers: [] })).not.toHaveProperty('ineligible');
  });

  it('reads credits as numbers and skips bad amounts', () => {
    const body = {
      paidTier: {
        id: 'g1-ultra-tier',
        availableCredits: [
          { creditType: 'GOOGLE_ONE_AI', creditAmount: '25000' },
          { creditAmount: 'lots' },
          {},
        ],
      },
    };
    expect(parseLoadCodeAssist(body).credits).toEqual([
      { creditType: 'GOOGLE_ONE_AI', amount: 25000 },
      // proto3: a zero amount is omitted.
      { creditType: 'UNKNOWN', amount: 0 },
    ]);
  });

  it.each([null, [], 'x', 1])('throws for %j', (body) => {
    expect(() => parseLoadCodeAssist(body)).toThrow(/loadCodeAssist returned/);
  });
});

describe('parseTierId', () => {
  it.each([
    ['g1-ultra-tier', 'ultra'],
    ['g1-pro-tier', 'pro'],
    ['standard-tier', 'pro'],
    ['enterprise-premium', 'pro'],
    ['free-tier', 'free'],
    ['legacy-tier', 'free'],
    ['FREE-TIER', 'free'],
    ['something-else', 'unknown'],
    [undefined, 'unknown'],
  ])('%s → %s', (id, tier) => {
    expect(parseTierId(id)).toBe(tier);
  });
});

describe('parseOnboardOperation', () => {
  it.each([
    ['pending (wire.md)', JSON.parse(WIRE_OP_PENDING), { done: false, name: 'operations/onboard-7f3c2a' }],
    [
      'done (wire.md)',
      JSON.parse(WIRE_OP_DONE),
      { done: true, name: 'operations/onboard-7f3c2a', projectId: 'useful-fuze-x7k2p' },
    ],
    [
      'done, project as a string',
      { done: true, response: { cloudaicompanionProject: 'p-1' } },
      { done: true, projectId: 'p-1' },
    ],
    [
      'done, snake_case',
      { done: true, response: { cloudaicompanion_project: { id: 'p-2' } } },
      { done: true, projectId: 'p-2' },
    ],
    ['done without a project', { done: true, response: {} }, { done: true }],
    ['done omitted (proto3 false)', { name: 'operations/x' }, { done: false, name: 'operations/x' }],
    ['done as a string is not done', { done: 'true' }, { done: false }],
    [
      'failed operation',
      { done: true, error: { code: 9, message: 'Precondition failed' } },
      { done: true, error: 'Precondition failed' },
    ],
  ])('%s', (_name, body, expected) => {
    expect(parseOnboardOperation(body)).toEqual(expected);
  });

  it.each([null, [], 'x'])('throws for %j', (body) => {
    expect(() => parseOnboardOperation(body)).toThrow(/onboardUser returned/);
  });
});
