/**
 * The model list clients see (`/v1/models`, `/v1beta/models`): the union of what the accounts
 * report plus the configured aliases (product.md §4); the built-in lineup only until an account has reported.
 */
import type { FallbackModel } from './fallback.ts';
import { isPublicModelId, normalizeModelName } from './names.ts';

export interface AccountModel {
  id: string;
  displayName?: string;
  maxTokens?: number;
  maxOutputTokens?: number;
  /** The largest thinking budget the model takes (`fetchAvailableModels` `thinkingBudget`). */
  thinkingBudget?: number;
}

export interface ClientModel {
  id: string;
  displayName: string;
  maxTokens?: number;
  maxOutputTokens?: number;
  thinkingBudget?: number;
  /** Where the entry comes from: an account's report, the built-in lineup, or `models.aliases`. */
  source: 'account' | 'fallback' | 'alias';
  /** For an alias: the upstream id it stands for. */
  aliasOf?: string;
}

export interface ClientModelsInput {
  /** Every account's `fetchAvailableModels` models, concatenated (duplicates and internal ids allowed). */
  accountModels: readonly AccountModel[];
  aliases: Readonly<Record<string, string>>;
  fallback: readonly Readonly<FallbackModel>[];
}

/** Families in the order users look for them; anything else (alias names) comes last. */
const FAMILY_ORDER = ['claude', 'gemini', 'gpt', 'image'];

function familyRank(id: string): number {
  const rank = FAMILY_ORDER.findIndex((family) => id.startsWith(family));
  return rank === -1 ? FAMILY_ORDER.length : rank;
}

const isDigit = (code: number) => code >= 48 && code <= 57;

/**
 * Natural order (`gemini-2.5` before `gemini-3`, `v9` before `v10`) without `Intl.Collator`: loading
 * ICU's collation data costs the process about 7 MB of memory for ids that are plain ASCII.
 */
export function naturalCompare(left: string, right: string): number {
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const a = left.charCodeAt(i);
    const b = right.charCodeAt(j);
    if (isDigit(a) && isDigit(b)) {
      let endLeft = i;
      let endRight = j;
      while (endLeft < left.length && isDigit(left.charCodeAt(endLeft))) endLeft++;
      while (endRight < right.length && isDigit(right.charCodeAt(endRight))) endRight++;
      const difference = Number(left.slice(i, endLeft)) - Number(right.slice(j, endRight));
      if (difference !== 0) return difference;
      i = endLeft;
      j = endRight;
      continue;
    }
    if (a !== b) return a - b;
    i++;
    j++;
  }
  const byRest = left.length - i - (right.length - j);
  if (byRest !== 0 || left === right) return byRest;
  return left < right ? -1 : 1;
}

function compareModels(a: ClientModel, b: ClientModel): number {
  const left = a.id.toLowerCase();
  const right = b.id.toLowerCase();
  return familyRank(left) - familyRank(right) || naturalCompare(left, right);
}

function withLimits(
  entry: ClientModel,
  from: { maxTokens?: number; maxOutputTokens?: number; thinkingBudget?: number },
): ClientModel {
  if (from.maxTokens !== undefined) entry.maxTokens = from.maxTokens;
  if (from.maxOutputTokens !== undefined) entry.maxOutputTokens = from.maxOutputTokens;
  if (from.thinkingBudget !== undefined) entry.thinkingBudget = from.thinkingBudget;
  return entry;
}

/** Accounts of different tiers report the same model; the first figure each field has wins. */
function mergeAccountModels(
  accountModels: readonly AccountModel[],
  fallback: ReadonlyMap<string, Readonly<FallbackModel>>,
): Map<string, ClientModel> {
  const merged = new Map<string, ClientModel>();
  for (const model of accountModels) {
    const id = normalizeModelName(model.id);
    if (!isPublicModelId(id)) continue;
    const seen = merged.get(id);
    if (seen === undefined) {
      const displayName = model.displayName?.trim() || fallback.get(id)?.displayName || id;
      merged.set(id, withLimits({ id, displayName, source: 'account' }, model));
      continue;
    }
    if (seen.maxTokens === undefined && model.maxTokens !== undefined) seen.maxTokens = model.maxTokens;
    if (seen.maxOutputTokens === undefined && model.maxOutputTokens !== undefined) {
      seen.maxOutputTokens = model.maxOutputTokens;
    }
    if (seen.thinkingBudget === undefined && model.thinkingBudget !== undefined) {
      seen.thinkingBudget = model.thinkingBudget;
    }
  }
  return merged;
}

export function listClientModels(input: ClientModelsInput): ClientModel[] {
  const fallbackById = new Map(input.fallback.map((model) => [model.id, model]));
  const byId = mergeAccountModels(input.accountModels, fallbackById);
  if (byId.size === 0) {
    for (const model of input.fallback) {
      byId.set(
        model.id,
        withLimits({ id: model.id, displayName: model.displayName, source: 'fallback' }, model),
      );
    }
  }

  const aliases = new Map<string, ClientModel>();
  for (const [name, target] of Object.entries(input.aliases)) {
    const id = name.trim();
    const targetId = normalizeModelName(target);
    if (id === '' || targetId === '') continue;
    const meta = byId.get(targetId);
    const entry: ClientModel = {
      id,
      displayName: meta?.displayName ?? id,
      source: 'alias',
      aliasOf: targetId,
    };
    aliases.set(normalizeModelName(id), meta === undefined ? entry : withLimits(entry, meta));
  }
  // An alias named like an upstream id replaces it, as it does in resolveModel.
  for (const key of aliases.keys()) byId.delete(key);

  return [...byId.values(), ...aliases.values()].sort(compareModels);
}
