/**
 * Chat Completions sampling, output and reasoning fields → v1internal `generationConfig`
 * (wire.md §6.3, §2.12 #2, §2.13 #2, §6.8 #10–12).
 *
 * Thinking and the output cap go through the Messages front end's helper, so both protocols fit
 * budgets, levels and caps the same way: `reasoning_effort` is Anthropic's adaptive thinking at that
 * effort (Gemini 3: `thinkingLevel`; Claude and Gemini 2.x: a budget, with `maxOutputTokens` above
 * it for Claude), and Anthropic's own `thinking` object, which some clients send to Claude models,
 * is read as the Messages API reads it.
 */
import type { Effort, MessagesRequest, ThinkingParam } from '../../anthropic/request-schema.ts';
import {
  generationConfig as thinkingAndCap,
  type TargetLimits,
  type ThinkingTarget,
} from '../../anthropic/thinking-config.ts';
import type { ChatRequest, ReasoningEffort } from './request-schema.ts';

type Json = Record<string, unknown>;

const EFFORTS: Record<Exclude<ReasoningEffort, 'none'>, Effort> = {
  minimal: 'low',
  low: 'low',
  medium: 'medium',
  high: 'high',
  xhigh: 'xhigh',
  max: 'max',
};

/** Claude's sampling range; OpenAI's goes to 2. */
const CLAUDE_MAX_TEMPERATURE = 1;

/** Anthropic's thinking object, when the client sent one that makes sense. */
function anthropicThinking(value: unknown): ThinkingParam | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { type, budget_tokens: budget } = value as { type?: unknown; budget_tokens?: unknown };
  if (type === 'enabled' && typeof budget === 'number' && Number.isInteger(budget) && budget >= 0)
    return { type: 'enabled', budget_tokens: budget };
  if (type === 'adaptive') return { type: 'adaptive' };
  return undefined;
}

/** The thinking asked for, in the Messages API's terms. */
function thinkingOf(request: ChatRequest): { thinking?: ThinkingParam; effort?: Effort } {
  const effort = request.reasoning_effort;
  if (effort === 'none') return {};
  if (effort != null) return { thinking: { type: 'adaptive' }, effort: EFFORTS[effort] };
  const thinking = anthropicThinking(request.thinking);
  return thinking ? { thinking } : {};
}

/** `maxOutputTokens` and `thinkingConfig`, fitted to the target by the Messages front end's rules. */
function thinkingConfig(
  request: ChatRequest,
  target: ThinkingTarget,
  limits: TargetLimits | undefined,
): Json {
  const { thinking, effort } = thinkingOf(request);
  const maxTokens = request.max_completion_tokens ?? request.max_tokens ?? undefined;
  const asMessages = {
    model: request.model,
    messages: [],
    max_tokens: maxTokens,
    thinking,
    output_config: effort ? { effort } : undefined,
  } as MessagesRequest;
  return thinkingAndCap(asMessages, target, limits) ?? {};
}

/** `generationConfig` of the upstream request, or undefined when the client set nothing. */
export function generationConfig(
  request: ChatRequest,
  target: ThinkingTarget,
  limits?: TargetLimits,
): Json | undefined {
  const claude = target.family === 'claude';
  const config = thinkingConfig(request, target, limits);
  // Claude refuses sampling changes while it thinks; the thinking is what the client asked for.
  const sampling = !(claude && config.thinkingConfig !== undefined);

  const stop = request.stop;
  const stops = typeof stop === 'string' ? [stop] : (stop ?? []);
  if (stops.length > 0) config.stopSequences = stops;
  if (sampling && request.temperature != null)
    config.temperature = claude ? Math.min(request.temperature, CLAUDE_MAX_TEMPERATURE) : request.temperature;
  if (sampling && request.top_p != null) config.topP = request.top_p;
  if (sampling && request.top_k != null) config.topK = request.top_k;
  if (request.seed != null) config.seed = request.seed;
  if (request.presence_penalty != null) config.presencePenalty = request.presence_penalty;
  if (request.frequency_penalty != null) config.frequencyPenalty = request.frequency_penalty;

  const format = request.response_format;
  if (format?.type === 'json_object') config.responseMimeType = 'application/json';
  if (format?.type === 'json_schema') {
    config.responseMimeType = 'application/json';
    if (format.json_schema.schema) config.responseJsonSchema = format.json_schema.schema;
  }
  return Object.keys(config).length > 0 ? config : undefined;
}
