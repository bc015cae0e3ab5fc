import type { UsageMetadata } from '../../../google/generate-client.ts';
import { outputTokensOf } from '../../anthropic/usage.ts';

/**
 * v1internal `usageMetadata` → Responses `usage` (wire.md §6.7). Pure; the caller passes the LAST
 * usageMetadata of the stream (running totals on every chunk, §6.8 #22).
 *
 * `input_tokens` counts everything the model read: the prompt (cached tokens included, as OpenAI
 * counts them) and the search results Google added (`toolUsePromptTokenCount`); `output_tokens`
 * counts visible output and thinking. So `total_tokens` = input + output, which is Google's
 * `totalTokenCount` whenever the upstream's counts agree with each other.
 */

export interface ResponsesUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

export function responsesUsage(usage: UsageMetadata | undefined): ResponsesUsage {
  const input = count(usage?.promptTokenCount) + count(usage?.toolUsePromptTokenCount);
  const output = outputTokensOf(usage);
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: count(usage?.cachedContentTokenCount) },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: count(usage?.thoughtsTokenCount) },
    total_tokens: input + output,
  };
}
