import { isPlainObject } from '../util/json.ts';
/**
 * `fetchAvailableModels` and `retrieveUserQuotaSummary` bodies (wire.md §2.5) into plain records.
 * A quota figure is either known (with when it was fetched) or `unknown` — never a guessed 100 %.
 */

export type ModelQuota =
  { status: 'known'; remainingFraction: number; resetAt?: number; fetchedAt: number } | { status: 'unknown' };

export interface ParsedModel {
  id: string;
  displayName?: string;
  maxTokens?: number;
  maxOutputTokens?: number;
  supportsImages?: boolean;
  supportsThinking?: boolean;
  thinkingBudget?: number;
  recommended?: boolean;
  quota: ModelQuota;
}

export interface AvailableModels {
  models: ParsedModel[];
  /** Old id → the id the upstream says replaces it (`deprecatedModelIds`). */
  deprecated: Record<string, string>;
  webSearchModelIds: string[];
}

export interface QuotaBucket {
  bucketId: string;
  /** The group's display name, e.g. `Gemini Pro`. */
  group: string;
  window: string;
  remainingFraction: number;
  resetAt?: number;
  fetchedAt: number;
  displayName?: string;
}

/** AM's rule; CPA skips the same internal ids (`chat_…`, `tab_…`). */
const PUBLIC_MODEL_ID = /^(gemini|claude|gpt|image|imagen)/i;

type Json = Record<string, unknown>;

function requireObject(body: unknown, method: string): Json {
  if (!isPlainObject(body)) {
    const got = body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body;
    throw new Error(`${method} returned ${got} instead of a JSON object.`);
  }
  return body;
}

/** proto3 JSON: the same field may come as lowerCamelCase or snake_case. */
function field(record: Json, camel: string): unknown {
  if (camel in record) return record[camel];
  return record[camel.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)];
}

function str(record: Json, camel: string): string | undefined {
  const value = field(record, camel);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** int64 arrives as a string in proto3 JSON; int32 as a number. */
function num(record: Json, camel: string): number | undefined {
  const value = field(record, camel);
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

function bool(record: Json, camel: string): boolean | undefined {
  const value = field(record, camel);
  return typeof value === 'boolean' ? value : undefined;
}

function timestamp(record: Json, camel: string): number | undefined {
  const text = str(record, camel);
  const at = text === undefined ? Number.NaN : Date.parse(text);
  return Number.isFinite(at) ? at : undefined;
}

/** Proto3 omits zeros, so a missing fraction is 0; out-of-range values are clamped, not trusted. */
function fraction(record: Json): number {
  const value = num(record, 'remainingFraction');
  return value === undefined ? 0 : Math.min(1, Math.max(0, value));
}

function parseQuota(raw: unknown, fetchedAt: number): ModelQuota {
  if (!isPlainObject(raw)) return { status: 'unknown' };
  const quota: ModelQuota = { status: 'known', remainingFraction: fraction(raw), fetchedAt };
  const resetAt = timestamp(raw, 'resetTime');
  if (resetAt !== undefined) quota.resetAt = resetAt;
  return quota;
}

function parseModel(id: string, raw: Json, fetchedAt: number): ParsedModel {
  const model: ParsedModel = { id, quota: parseQuota(field(raw, 'quotaInfo'), fetchedAt) };
  const displayName = str(raw, 'displayName');
  if (displayName !== undefined) model.displayName = displayName;
  for (const key of ['maxTokens', 'maxOutputTokens', 'thinkingBudget'] as const) {
    const value = num(raw, key);
    if (value !== undefined) model[key] = value;
  }
  for (const key of ['supportsImages', 'supportsThinking', 'recommended'] as const) {
    const value = bool(raw, key);
    if (value !== undefined) model[key] = value;
  }
  return model;
}

/** The map form is what the upstream sends; an array of `{id|name}` is tolerated for older fixtures. */
function modelEntries(raw: unknown): Array<[string, Json]> {
  if (isPlainObject(raw)) {
    return Object.entries(raw).filter((entry): entry is [string, Json] => isPlainObject(entry[1]));
  }
  if (!Array.isArray(raw)) return [];
  return raw.filter(isPlainObject).flatMap((item): Array<[string, Json]> => {
    const id = str(item, 'id') ?? str(item, 'modelId') ?? str(item, 'name');
    return id === undefined ? [] : [[id.replace(/^models\//, ''), item]];
  });
}

function parseDeprecated(raw: unknown): Record<string, string> {
  const deprecated: Record<string, string> = {};
  if (!isPlainObject(raw)) return deprecated;
  for (const [oldId, target] of Object.entries(raw)) {
    const newId =
      typeof target === 'string' ? target : isPlainObject(target) ? str(target, 'newModelId') : undefined;
    if (newId !== undefined && newId !== '') deprecated[oldId] = newId;
  }
  return deprecated;
}

export function parseAvailableModels(body: unknown, fetchedAt: number): AvailableModels {
  const record = requireObject(body, 'fetchAvailableModels');
  const models = modelEntries(field(record, 'models'))
    .filter(([id]) => PUBLIC_MODEL_ID.test(id))
    .map(([id, raw]) => parseModel(id, raw, fetchedAt));
  const webSearch = field(record, 'webSearchModelIds');
  return {
    models,
    deprecated: parseDeprecated(field(record, 'deprecatedModelIds')),
    webSearchModelIds: Array.isArray(webSearch)
      ? webSearch.filter((id): id is string => typeof id === 'string' && id !== '')
      : [],
  };
}

export function parseQuotaSummary(body: unknown, fetchedAt: number): QuotaBucket[] {
  const record = requireObject(body, 'retrieveUserQuotaSummary');
  const groups = field(record, 'groups');
  if (!Array.isArray(groups)) return [];
  const buckets: QuotaBucket[] = [];
  for (const group of groups.filter(isPlainObject)) {
    const groupName = str(group, 'displayName') ?? '';
    const rawBuckets = field(group, 'buckets');
    for (const raw of Array.isArray(rawBuckets) ? rawBuckets.filter(isPlainObject) : []) {
      const window = str(raw, 'window') ?? '';
      const displayName = str(raw, 'displayName');
      // An id is needed to key the bucket; fall back to what identifies it on screen.
      const bucketId = str(raw, 'bucketId') ?? `${groupName}/${displayName ?? window}`;
      const bucket: QuotaBucket = {
        bucketId,
        group: groupName,
        window,
        remainingFraction: fraction(raw),
        fetchedAt,
      };
      const resetAt = timestamp(raw, 'resetTime');
      if (resetAt !== undefined) bucket.resetAt = resetAt;
      if (displayName !== undefined) bucket.displayName = displayName;
      buckets.push(bucket);
    }
  }
  return buckets;
}
