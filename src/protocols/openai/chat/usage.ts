/**
 * v1internal `usageMetadata` → Chat Completions `usage` (wire.md §6.7), and `finishReason` →
 * `finish_reason` (wire.md §6.6, §6.8 #32). Pure. The caller passes the LAST usageMetadata of the
 * stream: upstream sends running totals on every chunk (§6.8 #22).
 */
import type { UsageMetadata } from '../../../google/generate-client.ts';
import { stopReasonOf } from '../../anthropic/stop-reason.ts';
import { outputTokensOf } from '../../anthropic/usage.ts';

export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  completion_tokens_details: { reasoning_tokens: number };
}

/** Only OpenAI's own values: clients and the SDK know no others (never `max_tokens`). */
export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

/**
 * `prompt_tokens` includes the cached tokens (as OpenAI's does) and the tool-use prompt (search
 * results the model read); `completion_tokens` includes the reasoning tokens; the total is their sum,
 * which is the upstream's `totalTokenCount` whenever that is consistent.
 */
export function chatUsage(usage: UsageMetadata | undefined): ChatUsage {
  const prompt = count(usage?.promptTokenCount) + count(usage?.toolUsePromptTokenCount);
  const completion = outputTokensOf(usage);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: count(usage?.cachedContentTokenCount) },
    completion_tokens_details: { reasoning_tokens: count(usage?.thoughtsTokenCount) },
  };
}

const FINISH: Record<ReturnType<typeof stopReasonOf>, FinishReason> = {
  tool_use: 'tool_calls',
  refusal: 'content_filter',
  max_tokens: 'length',
  end_turn: 'stop',
};

/**
 * `tool_calls` whenever a call was relayed (Gemini reports `STOP` for them); a blocked prompt or a
 * safety stop is `content_filter`; `MAX_TOKENS` is `length`; anything else, a missing reason
 * included, is `stop`. The Messages front end's rules, in OpenAI's words.
 */
export function finishReasonOf(
  finishReason: string | undefined,
  blockReason: string | undefined,
  toolCalled: boolean,
): FinishReason {
  return FINISH[stopReasonOf(finishReason, blockReason, toolCalled)];
}
