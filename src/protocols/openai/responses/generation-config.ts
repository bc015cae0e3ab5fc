/**
 * Responses sampling, output and reasoning fields → v1internal `generationConfig` (wire.md §6.3
 * `reasoning_effort`, §6.4). The thinking rules (Gemini 3 levels, budgets for Gemini 2.x and Claude,
 * Claude's `maxOutputTokens > thinkingBudget`, the catalog's limits) are the Messages front end's,
 * reached through the same request shape: an effort is adaptive thinking at that effort.
 */
import type { Effort, MessagesRequest } from '../../anthropic/request-schema.ts';
import {
  generationConfig as messagesGenerationConfig,
  type TargetLimits,
} from '../../anthropic/thinking-config.ts';
import type { ReasoningEffort, ResponsesRequest } from './request-schema.ts';

type Json = Record<string, unknown>;

/** OpenAI's efforts on the Messages scale; `none` turns thinking off. */
const EFFORTS: Record<Exclude<ReasoningEffort, 'none'>, Effort> = {
  minimal: 'low',
  low: 'low',
  medium: 'medium',
  high: 'high',
  xhigh: 'xhigh',
  max: 'max',
};

/** Room for the answer above a Claude budget when neither the client nor the catalog caps the output. */
const ANSWER_ROOM = 8192;

/**
 * `generationConfig` of the upstream request, or undefined when nothing is set.
 *
 * Without `max_output_tokens` (Codex never sends it) the output may run to the model's cap, as on
 * OpenAI's API: the catalog's cap is sent when known. JSON output: `json_schema` sends the schema
 * (cleaned later by the target rules), `json_object` only the MIME type.
 */
export function generationConfig(
  request: ResponsesRequest,
  target: { model: string; family: 'claude' | 'gemini' },
  limits?: TargetLimits,
): Json | undefined {
  const effort = request.reasoning?.effort;
  const format = request.text?.format;
  const maxTokens = request.max_output_tokens ?? limits?.maxOutputTokens;
  const shape: MessagesRequest = {
    model: target.model,
    messages: [],
    ...(maxTokens != null ? { max_tokens: maxTokens } : {}),
    temperature: request.temperature,
    top_p: request.top_p,
    ...(effort && effort !== 'none' ? { thinking: { type: 'adaptive' as const } } : {}),
    output_config: {
      effort: effort && effort !== 'none' ? EFFORTS[effort] : null,
      format: format?.type === 'json_schema' ? { type: 'json_schema', schema: format.schema } : null,
    },
  };
  const config: Json = messagesGenerationConfig(shape, target, limits) ?? {};
  if (format?.type === 'json_object') config.responseMimeType = 'application/json';
  const thinking = config.thinkingConfig as { thinkingBudget?: number } | undefined;
  if (
    target.family === 'claude' &&
    thinking?.thinkingBudget !== undefined &&
    config.maxOutputTokens === undefined
  )
    config.maxOutputTokens = thinking.thinkingBudget + ANSWER_ROOM;
  return Object.keys(config).length > 0 ? config : undefined;
}
