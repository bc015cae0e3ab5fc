/**
 * Anthropic sampling, output and thinking fields → v1internal `generationConfig`
 * (wire.md §6.2, §2.12 #2, §2.13 #2, §6.8 #10, #11).
 */
import type { Effort, MessagesRequest } from './request-schema.ts';

type Json = Record<string, unknown>;

export interface TargetLimits {
  /** The model's output cap (fetchAvailableModels `maxOutputTokens`); never exceeded. */
  maxOutputTokens?: number;
  /** The thinking budgets the model takes. */
  thinkingBudget?: { min: number; max: number };
}

export interface ThinkingTarget {
  model: string;
  family: 'claude' | 'gemini';
}

/** Claude refuses smaller budgets (wire.md §2.12 #2); below it the request goes without thinking (CPA). */
export const CLAUDE_MIN_BUDGET = 1024;
/** Room for the answer when a Claude budget would leave none (ACP and AM add this much). */
const ANSWER_ROOM = 8192;
/** Gemini 2.5 Flash takes budgets up to this (wire.md §2.13 #2, §6.8 #11), when the catalog says nothing. */
const GEMINI_25_FLASH_MAX_BUDGET = 24576;

/**
 * Budgets for adaptive thinking on models that only take budgets. `high` is Anthropic's default
 * effort and ACP's default budget; `xhigh` and `max` take the model's largest budget when known.
 */
const EFFORT_BUDGETS: Record<Exclude<Effort, 'xhigh' | 'max'>, number> = {
  low: 4096,
  medium: 16384,
  high: 32000,
};

/** Gemini 3 levels; the largest Gemini level is `high`. */
const EFFORT_LEVELS: Record<Effort, 'low' | 'medium' | 'high'> = {
  low: 'low',
  medium: 'medium',
  high: 'high',
  xhigh: 'high',
  max: 'high',
};

/** Gemini 2.x has no thinking levels, only budgets. */
function takesLevels(target: ThinkingTarget): boolean {
  return target.family === 'gemini' && !/^gemini-2\./.test(target.model);
}

function budgetRange(target: ThinkingTarget, limits: TargetLimits | undefined): { min: number; max: number } {
  if (limits?.thinkingBudget) return limits.thinkingBudget;
  if (/^gemini-2\.5-flash/.test(target.model)) return { min: 1, max: GEMINI_25_FLASH_MAX_BUDGET };
  return { min: 0, max: Number.MAX_SAFE_INTEGER };
}

function clamp(value: number, range: { min: number; max: number }): number {
  return Math.min(Math.max(value, range.min), range.max);
}

function effortBudget(effort: Effort, range: { min: number; max: number }): number {
  if (effort === 'xhigh' || effort === 'max')
    return range.max === Number.MAX_SAFE_INTEGER ? EFFORT_BUDGETS.high : range.max;
  return EFFORT_BUDGETS[effort];
}

/** The thinking the client asked for: a budget, a level, or none. */
function requestedThinking(
  request: MessagesRequest,
  target: ThinkingTarget,
  limits: TargetLimits | undefined,
): { budget: number } | { level: 'low' | 'medium' | 'high' } | undefined {
  const thinking = request.thinking;
  const range = budgetRange(target, limits);
  if (thinking?.type === 'enabled') return { budget: clamp(thinking.budget_tokens, range) };
  if (thinking?.type !== 'adaptive') return undefined;
  const effort = request.output_config?.effort ?? 'high';
  if (takesLevels(target)) return { level: EFFORT_LEVELS[effort] };
  return { budget: clamp(effortBudget(effort, range), range) };
}

/**
 * Claude needs `maxOutputTokens > thinkingBudget`: the output cap is raised to budget + 8192 (at
 * most the model's cap), and when even the model's cap leaves no room the budget shrinks to
 * cap − 1; a budget that ends below 1024 means no thinking (and the client's own cap again).
 */
function fitClaudeBudget(
  budget: number,
  maxOutputTokens: number | undefined,
  cap: number,
): { budget?: number; maxOutputTokens?: number } {
  let max = maxOutputTokens;
  let fitted = budget;
  if ((max ?? cap) <= fitted) {
    max = Math.min(fitted + ANSWER_ROOM, cap);
    if (max <= fitted) fitted = max - 1;
  }
  if (fitted < CLAUDE_MIN_BUDGET) return { maxOutputTokens };
  return { budget: fitted, maxOutputTokens: max };
}

/** `generationConfig` of the upstream request, or undefined when the client set nothing. */
export function generationConfig(
  request: MessagesRequest,
  target: ThinkingTarget,
  limits?: TargetLimits,
): Json | undefined {
  const config: Json = {};
  const cap = limits?.maxOutputTokens ?? Number.MAX_SAFE_INTEGER;
  let maxOutputTokens = request.max_tokens === undefined ? undefined : Math.min(request.max_tokens, cap);

  const thinking = requestedThinking(request, target, limits);
  let thinkingConfig: Json | undefined;
  if (thinking && 'level' in thinking) {
    thinkingConfig = { includeThoughts: true, thinkingLevel: thinking.level };
  } else if (thinking && target.family === 'claude') {
    const fitted = fitClaudeBudget(thinking.budget, maxOutputTokens, cap);
    maxOutputTokens = fitted.maxOutputTokens;
    if (fitted.budget !== undefined)
      thinkingConfig = { includeThoughts: true, thinkingBudget: fitted.budget };
  } else if (thinking) {
    thinkingConfig = { includeThoughts: true, thinkingBudget: thinking.budget };
  }

  if (maxOutputTokens !== undefined) config.maxOutputTokens = maxOutputTokens;
  if (request.stop_sequences?.length) config.stopSequences = request.stop_sequences;
  if (request.temperature != null) config.temperature = request.temperature;
  if (request.top_p != null) config.topP = request.top_p;
  if (request.top_k != null) config.topK = request.top_k;
  const format = request.output_config?.format;
  if (format) {
    config.responseMimeType = 'application/json';
    config.responseJsonSchema = format.schema;
  }
  if (thinkingConfig) config.thinkingConfig = thinkingConfig;
  return Object.keys(config).length > 0 ? config : undefined;
}

/** Whether the upstream request thinks (Claude then needs its thinking replayed in a tool loop). */
export function thinkingEnabled(config: Json | undefined): boolean {
  return config?.thinkingConfig !== undefined;
}
