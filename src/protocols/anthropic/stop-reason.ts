/**
 * v1internal `finishReason` → Messages `stop_reason` (wire.md §6.6, §6.8 #42). Pure.
 */

export type StopReason = 'end_turn' | 'max_tokens' | 'tool_use' | 'refusal';

/** Reasons a safety or policy filter gave: the model declined, so the client hears `refusal`. */
const REFUSALS: ReadonlySet<string> = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
]);

/**
 * `tool_use` whenever a functionCall was relayed (Gemini reports `STOP` for tool calls); a blocked
 * prompt (`promptFeedback.blockReason`) is a refusal; `MAX_TOKENS` is `max_tokens`. Everything else,
 * a missing reason included, is `end_turn`: the upstream never says which stop sequence fired
 * (wire.md §6.8 #42), so `stop_sequence` is never a stop reason here and the field stays null.
 */
export function stopReasonOf(
  finishReason: string | undefined,
  blockReason: string | undefined,
  toolUsed: boolean,
): StopReason {
  if (toolUsed) return 'tool_use';
  if (blockReason) return 'refusal';
  if (finishReason === 'MAX_TOKENS') return 'max_tokens';
  if (finishReason !== undefined && REFUSALS.has(finishReason)) return 'refusal';
  return 'end_turn';
}
