import { isPlainObject } from '../util/json.ts';
/**
 * `loadCodeAssist` and `onboardUser` bodies (wire.md §2.3, §2.4): project, tier, onboarding and eligibility.
 */

export type SubscriptionTier = 'free' | 'pro' | 'ultra' | 'unknown';

export interface IneligibleTier {
  reasonCode: string;
  message?: string;
  validationUrl?: string;
}

export interface Credit {
  /** e.g. `GOOGLE_ONE_AI`. */
  creditType: string;
  amount: number;
  minimumAmountForUsage?: number;
}

export interface LoadCodeAssistResult {
  projectId?: string;
  tier: SubscriptionTier;
  tierId?: string;
  tierName?: string;
  /** No project yet: call onboardUser with `onboardTierId`. */
  needsOnboarding: boolean;
  onboardTierId: string;
  ineligible?: IneligibleTier[];
  validationRequired?: { url?: string; message?: string };
  credits?: Credit[];
}

export interface OnboardOperation {
  done: boolean;
  name?: string;
  projectId?: string;
  /** A finished operation that failed (google.longrunning `error`). */
  error?: string;
}

type Json = Record<string, unknown>;

const DEFAULT_ONBOARD_TIER = 'free-tier';

function field(record: Json, camel: string): unknown {
  if (camel in record) return record[camel];
  return record[camel.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)];
}

function str(record: Json, camel: string): string | undefined {
  const value = field(record, camel);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function records(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isPlainObject) : [];
}

/** A project is a string, or `{id, name}` (ACP, CPA); both also appear under `projectId`/`project`. */
function projectOf(record: Json): string | undefined {
  for (const key of ['cloudaicompanionProject', 'projectId', 'project']) {
    const value = field(record, key);
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    if (isPlainObject(value)) {
      const id = str(value, 'id') ?? str(value, 'projectId');
      if (id !== undefined) return id;
    }
  }
  return undefined;
}

/** ACP `parseTierId`, plus `legacy-tier` as free (GCLI `UserTierId`). */
export function parseTierId(tierId: string | undefined): SubscriptionTier {
  if (tierId === undefined) return 'unknown';
  const id = tierId.toLowerCase();
  if (id.includes('ultra')) return 'ultra';
  if (id === 'standard-tier' || id.includes('pro') || id.includes('premium')) return 'pro';
  if (id.includes('free') || id.includes('legacy')) return 'free';
  return 'unknown';
}

/** Google One tiers (`g1-…`) are granted, not onboarded into; sending one as tierId fails (ACP). */
function isPaidTierId(id: string, paidTierId: string | undefined): boolean {
  return id === paidTierId || /^g1-/i.test(id);
}

function parseCredits(paidTier: Json | undefined): Credit[] | undefined {
  if (!paidTier) return undefined;
  const credits: Credit[] = [];
  for (const raw of records(field(paidTier, 'availableCredits'))) {
    const amount = Number(field(raw, 'creditAmount') ?? 0);
    if (!Number.isFinite(amount)) continue;
    const credit: Credit = { creditType: str(raw, 'creditType') ?? 'UNKNOWN', amount };
    const minimum = Number(field(raw, 'minimumCreditAmountForUsage'));
    if (Number.isFinite(minimum)) credit.minimumAmountForUsage = minimum;
    credits.push(credit);
  }
  return credits.length > 0 ? credits : undefined;
}

function parseIneligible(raw: Json): IneligibleTier {
  const tier: IneligibleTier = { reasonCode: str(raw, 'reasonCode') ?? 'UNKNOWN' };
  const message = str(raw, 'reasonMessage') ?? str(raw, 'validationErrorMessage');
  if (message !== undefined) tier.message = message;
  const url = str(raw, 'validationUrl');
  if (url !== undefined) tier.validationUrl = url;
  return tier;
}

export function parseLoadCodeAssist(body: unknown): LoadCodeAssistResult {
  if (!isPlainObject(body)) throw new Error('loadCodeAssist returned something other than a JSON object.');
  const current = field(body, 'currentTier');
  const paid = field(body, 'paidTier');
  const currentTier = isPlainObject(current) ? current : undefined;
  const paidTier = isPlainObject(paid) ? paid : undefined;
  const allowed = records(field(body, 'allowedTiers'));
  const defaultAllowed = allowed.find((tier) => field(tier, 'isDefault') === true);

  // Display priority (ACP getSubscriptionTier): paidTier > currentTier > the default allowed tier.
  const shown = [paidTier, currentTier, defaultAllowed].find((tier) => tier && str(tier, 'id') !== undefined);
  const tierId = shown ? str(shown, 'id') : undefined;
  const projectId = projectOf(body);
  const paidTierId = paidTier ? str(paidTier, 'id') : undefined;
  const defaultId = defaultAllowed ? str(defaultAllowed, 'id') : undefined;

  const result: LoadCodeAssistResult = {
    tier: parseTierId(tierId),
    needsOnboarding: projectId === undefined,
    onboardTierId:
      defaultId !== undefined && !isPaidTierId(defaultId, paidTierId) ? defaultId : DEFAULT_ONBOARD_TIER,
  };
  if (projectId !== undefined) result.projectId = projectId;
  if (tierId !== undefined) result.tierId = tierId;
  const tierName = shown ? str(shown, 'name') : undefined;
  if (tierName !== undefined) result.tierName = tierName;

  const ineligible = records(field(body, 'ineligibleTiers')).map(parseIneligible);
  if (ineligible.length > 0) {
    result.ineligible = ineligible;
    const validation = ineligible.find((tier) => tier.reasonCode === 'VALIDATION_REQUIRED');
    if (validation) {
      result.validationRequired = {};
      if (validation.validationUrl !== undefined) result.validationRequired.url = validation.validationUrl;
      if (validation.message !== undefined) result.validationRequired.message = validation.message;
    }
  }
  const credits = parseCredits(paidTier);
  if (credits) result.credits = credits;
  return result;
}

/** google.longrunning.Operation from onboardUser or getOperation; only `done` and the project matter. */
export function parseOnboardOperation(body: unknown): OnboardOperation {
  if (!isPlainObject(body)) throw new Error('onboardUser returned something other than a JSON object.');
  const op: OnboardOperation = { done: field(body, 'done') === true };
  const name = str(body, 'name');
  if (name !== undefined) op.name = name;
  const response = field(body, 'response');
  const projectId = isPlainObject(response) ? projectOf(response) : undefined;
  if (projectId !== undefined) op.projectId = projectId;
  const error = field(body, 'error');
  if (isPlainObject(error))
    op.error = str(error, 'message') ?? `operation failed (code ${String(error.code)})`;
  return op;
}
