import { createHash } from 'node:crypto';
import { sendJson, sendRpcError, type Exchange } from './http.ts';
import { currentQuota, quotaInfo, quotaSummary, userQuotaBuckets } from './quota.ts';
import { estimateTokens } from './reply-plan.ts';
import { genericError, notFound, rpcError, serviceDisabled, tosBan } from './rpc-errors.ts';
import type { SimState } from './state.ts';
import type { SimAccountState, SimModelFixture } from './types.ts';
import { fields, optionalString, reject } from './validate-common.ts';
import { parseCountTokens } from './validate-request.ts';

/** The control-plane methods of v1internal (wire.md §2.3–2.5, §2.9). */

const METADATA_KEYS = [
  'ideType',
  'ideVersion',
  'ideName',
  'pluginVersion',
  'platform',
  'updateChannel',
  'duetProject',
  'pluginType',
] as const;

const FREE_TIER = {
  id: 'free-tier',
  name: 'Gemini Code Assist for individuals',
  description: 'Gemini-powered code suggestions and chat in multiple IDEs',
};
const STANDARD_TIER = {
  id: 'standard-tier',
  name: 'Gemini Code Assist',
  description: 'Unlimited coding assistant with the most powerful Gemini models',
};
const PAID_TIERS = {
  pro: { id: 'g1-pro-tier', name: 'Google AI Pro' },
  ultra: { id: 'g1-ultra-tier', name: 'Google AI Ultra' },
} as const;
const ONBOARD_TIER_IDS = ['free-tier', 'standard-tier', 'legacy-tier'];

function checkMetadata(value: unknown): void {
  if (value !== undefined) fields(value, METADATA_KEYS, 'metadata');
}

function allowedTiers(): unknown[] {
  return [
    {
      ...FREE_TIER,
      isDefault: true,
      privacyNotice: {
        showNotice: true,
        noticeText: 'This notice and our Privacy Policy describe how Gemini Code Assist handles your data.',
      },
    },
    { ...STANDARD_TIER, userDefinedCloudaicompanionProject: true },
  ];
}

export function loadCodeAssist(ex: Exchange, account: SimAccountState): void {
  const body = fields(ex.body ?? {}, ['cloudaicompanionProject', 'metadata', 'mode'], '');
  checkMetadata(body.metadata);
  if (account.banned) return sendRpcError(ex, tosBan());
  const reply: Record<string, unknown> = {};
  if (account.project) {
    const tier = account.tier === 'free' ? FREE_TIER : STANDARD_TIER;
    reply.currentTier = {
      ...tier,
      ...(tier === STANDARD_TIER ? { userDefinedCloudaicompanionProject: true } : {}),
      privacyNotice: {},
      hasAcceptedTos: true,
      hasOnboardedPreviously: true,
    };
  }
  reply.allowedTiers = allowedTiers();
  if (account.validationRequired) {
    reply.ineligibleTiers = [
      {
        reasonCode: 'VALIDATION_REQUIRED',
        reasonMessage: 'To continue, verify your account.',
        tierId: FREE_TIER.id,
        tierName: FREE_TIER.name,
        validationUrl: account.validationUrl,
        validationUrlLinkText: 'Verify your account',
        validationLearnMoreUrl: 'https://support.google.com/accounts?p=al_alert',
        validationErrorMessage:
          'Further action is required to use this service. Verify your account to continue.',
      },
    ];
  }
  if (account.tier === 'pro' || account.tier === 'ultra') {
    const paid: Record<string, unknown> = { ...PAID_TIERS[account.tier] };
    if (account.credits > 0) {
      paid.availableCredits = [
        {
          creditType: 'GOOGLE_ONE_AI',
          creditAmount: String(account.credits),
          minimumCreditAmountForUsage: '50',
        },
      ];
    }
    reply.paidTier = paid;
  }
  if (account.project) reply.cloudaicompanionProject = account.project;
  sendJson(ex, 200, reply);
}

function projectNumber(project: string): string {
  const digits = BigInt(`0x${createHash('sha256').update(project).digest('hex').slice(0, 12)}`).toString();
  return digits.padStart(12, '1').slice(0, 12);
}

function generatedProject(email: string): string {
  const code = createHash('sha256').update(email).digest('hex');
  return `sim-project-${code.slice(0, 5)}`;
}

/** Advances the account's onboarding by one poll and answers the operation's current state. */
function operation(account: SimAccountState, name: string): Record<string, unknown> {
  if (!account.project && account.onboardingPollsLeft > 0) {
    account.onboardingPollsLeft -= 1;
    return { name, done: false };
  }
  account.project ??= account.fixture.onboarding?.project ?? generatedProject(account.email);
  return {
    name,
    done: true,
    response: {
      '@type': 'type.googleapis.com/google.internal.cloud.code.v1internal.OnboardUserResponse',
      cloudaicompanionProject: { id: account.project, name: `projects/${projectNumber(account.project)}` },
    },
  };
}

export function onboardUser(ex: Exchange, state: SimState, account: SimAccountState): void {
  const body = fields(ex.body ?? {}, ['tierId', 'cloudaicompanionProject', 'metadata'], '');
  checkMetadata(body.metadata);
  const tierId = optionalString(body.tierId, 'tier_id');
  if (!tierId) reject(rpcError(400, '* OnboardUserRequest.tier_id: tier_id is required\n'));
  if (!ONBOARD_TIER_IDS.includes(tierId)) reject(rpcError(400, `Invalid tier id: ${tierId}`));
  if (account.banned) return sendRpcError(ex, tosBan());
  // Google One tiers are auto-provisioned; naming a project for them is refused (wire.md §2.4).
  if (body.cloudaicompanionProject !== undefined && (account.tier === 'pro' || account.tier === 'ultra')) {
    reject(rpcError(400, 'Request contains an invalid argument.'));
  }
  const id = `onboard-${createHash('sha256').update(account.email).digest('hex').slice(0, 6)}`;
  state.operations.set(id, { name: `operations/${id}`, email: account.email });
  sendJson(ex, 200, operation(account, `operations/${id}`));
}

export function getOperation(ex: Exchange, state: SimState, account: SimAccountState, id: string): void {
  const found = state.operations.get(id);
  if (!found || found.email !== account.email) return sendRpcError(ex, notFound());
  sendJson(ex, 200, operation(account, found.name));
}

function mimeTypes(model: SimModelFixture): Record<string, boolean> | undefined {
  const input = model.input ?? [];
  const types: string[] = [];
  if (input.includes('image'))
    types.push('image/png', 'image/jpeg', 'image/webp', 'image/heic', 'image/heif');
  if (input.includes('pdf')) types.push('application/pdf');
  if (input.includes('audio')) types.push('audio/wav', 'audio/mp3', 'audio/ogg');
  if (input.includes('video')) types.push('video/mp4', 'video/webm');
  return types.length > 0 ? Object.fromEntries(types.map((t) => [t, true])) : undefined;
}

function modelEntry(model: SimModelFixture, account: SimAccountState, now: number): Record<string, unknown> {
  const entry: Record<string, unknown> = { displayName: model.displayName };
  if (model.input?.includes('image')) entry.supportsImages = true;
  if (model.thinking) {
    entry.supportsThinking = true;
    entry.thinkingBudget = model.thinking.max;
    entry.minThinkingBudget = model.thinking.min;
  }
  if (model.recommended) entry.recommended = true;
  if (model.maxTokens) entry.maxTokens = model.maxTokens;
  if (model.maxOutputTokens) entry.maxOutputTokens = model.maxOutputTokens;
  const mime = mimeTypes(model);
  if (mime) entry.supportedMimeTypes = mime;
  if (!model.noQuotaInfo) entry.quotaInfo = quotaInfo(currentQuota(account, model.id, now));
  return entry;
}

function checkProject(body: Record<string, unknown>, account: SimAccountState): void {
  const project = optionalString(body.project, 'project');
  if (project !== undefined && project !== account.project) reject(serviceDisabled(project));
}

export function fetchAvailableModels(ex: Exchange, state: SimState, account: SimAccountState): void {
  const body = fields(ex.body ?? {}, ['project'], '');
  if (account.banned) return sendRpcError(ex, tosBan());
  checkProject(body, account);
  if (account.quotaFetchFailing) return sendRpcError(ex, genericError(500));
  const now = Date.now();
  const models: Record<string, unknown> = {};
  const deprecated: Record<string, unknown> = {};
  for (const model of state.modelList) {
    if (model.replacedBy) deprecated[model.id] = { newModelId: model.replacedBy };
    else if (model.family === 'internal' || account.models.includes(model.id)) {
      models[model.id] = modelEntry(model, account, now);
    }
  }
  const webSearch = state.modelList
    .filter((m) => m.webSearch && account.models.includes(m.id))
    .map((m) => m.id);
  const reply: Record<string, unknown> = { models };
  if (Object.keys(deprecated).length > 0) reply.deprecatedModelIds = deprecated;
  if (webSearch.length > 0) reply.webSearchModelIds = webSearch;
  sendJson(ex, 200, reply);
}

export function retrieveUserQuotaSummary(ex: Exchange, state: SimState, account: SimAccountState): void {
  const body = fields(ex.body ?? {}, ['project'], '');
  if (account.banned) return sendRpcError(ex, tosBan());
  checkProject(body, account);
  if (!account.quotaSummary) return sendRpcError(ex, notFound());
  sendJson(ex, 200, quotaSummary(account, state.modelList, Date.now()));
}

export function retrieveUserQuota(ex: Exchange, state: SimState, account: SimAccountState): void {
  const body = fields(ex.body ?? {}, ['project', 'userAgent'], '');
  if (account.banned) return sendRpcError(ex, tosBan());
  checkProject(body, account);
  sendJson(ex, 200, userQuotaBuckets(account, state.modelList, Date.now()));
}

export function countTokens(ex: Exchange, state: SimState, account: SimAccountState): void {
  const { contents, system } = parseCountTokens(ex.body, state.rules);
  if (account.banned) return sendRpcError(ex, tosBan());
  const text = [...(system ? [system] : []), ...contents]
    .flatMap((c) => c.parts)
    .map((p) => p.text ?? (p.functionCall ? JSON.stringify(p.functionCall) : ''))
    .join('');
  const images = contents.flatMap((c) => c.parts).filter((p) => p.inlineData).length;
  sendJson(ex, 200, { totalTokens: estimateTokens(text) + images * 258 });
}
