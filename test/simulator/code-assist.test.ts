import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import {
  BANNED,
  FREE,
  NEW,
  PRO,
  ULTRA,
  VERIFY,
  WORKSPACE,
  accessToken,
  generateBody,
  hello,
  rpc,
  type Envelope,
  type RpcBody,
} from './helpers.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

async function call<T = RpcBody>(
  email: string,
  method: string,
  body: unknown,
): Promise<{ status: number; json: T }> {
  const res = await rpc(sim, await accessToken(sim, email), method, body);
  return { status: res.status, json: (await res.json()) as T };
}

interface ModelsReply {
  models: Record<
    string,
    { displayName: string; quotaInfo?: { remainingFraction?: number; resetTime: string } }
  >;
  deprecatedModelIds: Record<string, { newModelId: string }>;
  webSearchModelIds: string[];
}

interface LoadReply {
  currentTier?: { id: string };
  paidTier?: { id: string; name: string; availableCredits?: { creditAmount: string }[] };
  allowedTiers: { id: string; isDefault?: boolean }[];
  ineligibleTiers?: { reasonCode: string; validationUrl: string }[];
  cloudaicompanionProject?: string;
}

describe('loadCodeAssist', () => {
  const metadata = { metadata: { ideType: 9, platform: 2, pluginType: 2 }, mode: 1 };

  it('describes each tier', async () => {
    const pro = (await call<LoadReply>(PRO, 'loadCodeAssist', metadata)).json;
    expect(pro.currentTier?.id).toBe('standard-tier');
    expect(pro.paidTier).toMatchObject({ id: 'g1-pro-tier', name: 'Google AI Pro' });
    expect(pro.paidTier?.availableCredits?.[0]?.creditAmount).toBe('1000');
    expect(pro.cloudaicompanionProject).toBe('useful-fuze-x7k2p');

    const free = (await call<LoadReply>(FREE, 'loadCodeAssist', { metadata: { ide_type: 'ANTIGRAVITY' } }))
      .json;
    expect(free.currentTier?.id).toBe('free-tier');
    expect(free.paidTier).toBeUndefined();

    const ultra = (await call<LoadReply>(ULTRA, 'loadCodeAssist', metadata)).json;
    expect(ultra.paidTier?.id).toBe('g1-ultra-tier');

    const verify = (await call<LoadReply>(VERIFY, 'loadCodeAssist', metadata)).json;
    expect(verify.ineligibleTiers?.[0]?.reasonCode).toBe('VALIDATION_REQUIRED');
    expect(verify.ineligibleTiers?.[0]?.validationUrl).toMatch(
      /^https:\/\/accounts\.google\.com\/signin\/continue/,
    );

    const fresh = (await call<LoadReply>(NEW, 'loadCodeAssist', metadata)).json;
    expect(fresh.cloudaicompanionProject).toBeUndefined();
    expect(fresh.currentTier).toBeUndefined();
    expect(fresh.allowedTiers.find((t) => t.isDefault)?.id).toBe('free-tier');
  });

  it('answers the ToS ban body to a banned account and refuses unknown fields', async () => {
    const banned = await call(BANNED, 'loadCodeAssist', metadata);
    expect(banned.status).toBe(403);
    expect(banned.json.error.message).toMatch(/has been disabled.*violation of Terms of Service/);
    const unknown = await call(PRO, 'loadCodeAssist', { metadata: {}, surprise: true });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.message).toContain('Unknown name "surprise"');
  });
});

describe('onboardUser', () => {
  it('keeps the operation pending for the configured polls, also via getOperation', async () => {
    const token = await accessToken(sim, NEW);
    const paid = await rpc(sim, token, 'onboardUser', { tierId: 'g1-pro-tier', metadata: { ideType: 9 } });
    expect(paid.status).toBe(400);

    const first = (await (
      await rpc(sim, token, 'onboardUser', { tierId: 'free-tier', metadata: { ideType: 9 } })
    ).json()) as {
      name: string;
      done: boolean;
    };
    expect(first).toEqual({ name: expect.stringMatching(/^operations\//), done: false });
    const poll = async (): Promise<{
      done: boolean;
      response?: { cloudaicompanionProject: { id: string } };
    }> => {
      const res = await fetch(`${sim.baseUrls[2]}/v1internal/${first.name}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
      return (await res.json()) as { done: boolean };
    };
    expect((await poll()).done).toBe(false);
    const done = await poll();
    expect(done.done).toBe(true);
    expect(done.response?.cloudaicompanionProject.id).toBe('calm-meadow-h3v9t');
    const load = (await call<LoadReply>(NEW, 'loadCodeAssist', {})).json;
    expect(load.cloudaicompanionProject).toBe('calm-meadow-h3v9t');
    expect(load.currentTier?.id).toBe('free-tier');
    expect(sim.counts.getOperation).toBe(2);
  });
});

describe('fetchAvailableModels', () => {
  it('returns a map keyed by id with quota, internal ids and deprecations', async () => {
    const { status, json } = await call<ModelsReply>(WORKSPACE, 'fetchAvailableModels', {
      project: 'tidy-ember-w7k4s',
    });
    expect(status).toBe(200);
    expect(Array.isArray(json.models)).toBe(false);
    expect(json.models['gemini-3-flash']).toMatchObject({
      displayName: 'Gemini 3 Flash',
      maxOutputTokens: 65536,
      supportsThinking: true,
      quotaInfo: { remainingFraction: 1, resetTime: expect.stringMatching(/Z$/) },
    });
    // proto3: an exhausted model has a resetTime but no remainingFraction at all.
    expect(json.models['claude-sonnet-4-6']?.quotaInfo).not.toHaveProperty('remainingFraction');
    expect(json.models['claude-sonnet-4-6']?.quotaInfo?.resetTime).toBeTruthy();
    expect(json.models.chat_20706).toBeDefined();
    expect(json.models.chat_20706?.quotaInfo).toBeUndefined();
    expect(json.models['gemini-3-pro-image']).toBeDefined();
    expect(json.models['gemini-3.1-flash-image']).toBeUndefined();
    expect(json.deprecatedModelIds['gemini-3-pro-high']).toEqual({ newModelId: 'gemini-pro-agent' });
    expect(json.webSearchModelIds).toContain('gemini-3.1-flash-lite');
  });

  it('reflects setQuota and failQuotaFetch, and refuses a foreign project', async () => {
    sim.setQuota(PRO, 'gemini-3-flash', 0, '2030-01-01T00:00:00Z');
    const { json } = await call<ModelsReply>(PRO, 'fetchAvailableModels', {});
    expect(json.models['gemini-3-flash']?.quotaInfo).toEqual({ resetTime: '2030-01-01T00:00:00Z' });
    sim.setQuota(PRO, 'gemini-3-flash', 0.5);

    sim.failQuotaFetch(PRO, true);
    expect((await call(PRO, 'fetchAvailableModels', {})).status).toBe(500);
    sim.failQuotaFetch(PRO, false);
    expect((await call(PRO, 'fetchAvailableModels', {})).status).toBe(200);

    const foreign = await call(PRO, 'fetchAvailableModels', { project: 'bamboo-precept-lgxtn' });
    expect(foreign.status).toBe(403);
    expect(foreign.json.error.details?.[0]?.reason).toBe('SERVICE_DISABLED');
  });
});

describe('quota', () => {
  it('decrements per successful generate and answers QUOTA_EXHAUSTED at zero unless credits pay', async () => {
    const token = await accessToken(sim, PRO);
    sim.setQuota(PRO, 'gemini-3.1-pro-low', 1);
    await (
      await rpc(
        sim,
        token,
        'generateContent',
        generateBody('useful-fuze-x7k2p', 'gemini-3.1-pro-low', hello()),
      )
    ).json();
    expect(sim.account(PRO).quota['gemini-3.1-pro-low']?.remainingFraction).toBeLessThan(1);

    sim.setQuota(PRO, 'gemini-3.1-pro-low', 0, new Date(Date.now() + 60_000).toISOString());
    const exhausted = await rpc(
      sim,
      token,
      'generateContent',
      generateBody('useful-fuze-x7k2p', 'gemini-3.1-pro-low', hello()),
    );
    expect(exhausted.status).toBe(429);
    expect(((await exhausted.json()) as RpcBody).error.details?.[0]?.reason).toBe('QUOTA_EXHAUSTED');

    const withCredits = {
      ...generateBody('useful-fuze-x7k2p', 'gemini-3.1-pro-low', hello()),
      enabledCreditTypes: ['GOOGLE_ONE_AI'],
    };
    const paid = await rpc(sim, token, 'generateContent', withCredits);
    expect(paid.status).toBe(200);
    expect(((await paid.json()) as Envelope).consumedCredits?.[0]?.creditAmount).toBe('5');
    expect(sim.account(PRO).credits).toBe(995);
  });

  it('serves retrieveUserQuotaSummary only to accounts that have it', async () => {
    const { status, json } = await call<{ groups: { buckets: { window: string }[] }[] }>(
      ULTRA,
      'retrieveUserQuotaSummary',
      {},
    );
    expect(status).toBe(200);
    const windows = json.groups.flatMap((g) => g.buckets.map((b) => b.window));
    expect(windows).toContain('5h');
    expect(windows).toContain('weekly');
    expect((await call(PRO, 'retrieveUserQuotaSummary', {})).status).toBe(404);
  });
});

describe('countTokens', () => {
  it('takes only a request envelope', async () => {
    const ok = await call<{ totalTokens: number }>(PRO, 'countTokens', {
      request: { model: 'models/gemini-3-flash', ...hello('count these words') },
    });
    expect(ok.status).toBe(200);
    expect(ok.json.totalTokens).toBeGreaterThan(0);
    const withModel = await call(PRO, 'countTokens', { model: 'gemini-3-flash', request: hello() });
    expect(withModel.status).toBe(400);
    expect(withModel.json.error.message).toContain('Unknown name "model"');
    const withSafety = await call(PRO, 'countTokens', { request: { ...hello(), safetySettings: [] } });
    expect(withSafety.json.error.message).toContain('Unknown name "safetySettings"');
  });
});
