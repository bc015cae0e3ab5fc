import type { UsageMetadata } from '../../google/generate-client.ts';

/**
 * v1internal `usageMetadata` → Messages `usage` (wire.md §6.7). Pure. The caller passes the LAST
 * usageMetadata of the stream: upstream sends running totals on every chunk (§6.8 #22).
 */

export interface AnthropicUsage {
  /** Prompt tokens not read from the cache (the Messages API counts cache reads apart). */
  input_tokens: number;
  /** Visible output plus thinking: what the account is billed for. */
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  server_tool_use?: { web_search_requests: number };
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

/** Output tokens: candidates + thoughts; a reply that sets only `totalTokenCount` gives the rest (CPA). */
export function outputTokensOf(usage: UsageMetadata | undefined): number {
  if (!usage) return 0;
  const thoughts = count(usage.thoughtsTokenCount);
  if (usage.candidatesTokenCount !== undefined) return count(usage.candidatesTokenCount) + thoughts;
  if (usage.totalTokenCount === undefined) return thoughts;
  const candidates =
    count(usage.totalTokenCount) -
    count(usage.promptTokenCount) -
    thoughts -
    count(usage.toolUsePromptTokenCount);
  return Math.max(0, candidates) + thoughts;
}

/** The whole usage; `promptTokenCount` includes the cached tokens, `input_tokens` does not. */
export function anthropicUsage(usage: UsageMetadata | undefined, webSearchRequests = 0): AnthropicUsage {
  const cached = count(usage?.cachedContentTokenCount);
  const result: AnthropicUsage = {
    input_tokens: Math.max(0, count(usage?.promptTokenCount) - cached),
    output_tokens: outputTokensOf(usage),
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cached,
  };
  if (webSearchRequests > 0) result.server_tool_use = { web_search_requests: webSearchRequests };
  return result;
}

/**
 * `message_start.usage`: what the first event knows. `output_tokens` is at least 1, as the Messages
 * API itself sends; `message_delta` repeats every count, so the client's snapshot ends exact.
 */
export function startUsage(usage: UsageMetadata | undefined): AnthropicUsage {
  const start = anthropicUsage(usage);
  if (start.output_tokens === 0) start.output_tokens = 1;
  return start;
}
