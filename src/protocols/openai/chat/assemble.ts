import type { UpstreamChunk } from '../../../google/generate-client.ts';
import { ChatTranslator, type ChatDelta, type ChatResponderOptions, type ChatSink } from './from-upstream.ts';
import type { ChatUsage, FinishReason } from './usage.ts';

/**
 * The non-stream ChatCompletion (wire.md §5.2), assembled from every event of the upstream stream
 * by the same translator as the stream, so both answers say the same: what OSDK's
 * ChatCompletionStream accumulates from the SSE is this object.
 */

export interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface ChatCompletionMessage {
  role: 'assistant';
  content: string | null;
  refusal: null;
  /** Thought text (DeepSeek's non-standard field), when the model showed any. */
  reasoning_content?: string;
  tool_calls?: ChatToolCall[];
}

export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{
    index: 0;
    message: ChatCompletionMessage;
    logprobs: null;
    finish_reason: FinishReason;
  }>;
  usage: ChatUsage;
}

/** Builds the completion as the translator emits it. */
class CompletionBuilder implements ChatSink {
  readonly message: ChatCompletionMessage = { role: 'assistant', content: null, refusal: null };
  reason: FinishReason = 'stop';
  usage: ChatUsage | undefined;

  delta(delta: ChatDelta): void {
    if (typeof delta.content === 'string')
      this.message.content = (this.message.content ?? '') + delta.content;
    if (delta.reasoning_content !== undefined)
      this.message.reasoning_content = (this.message.reasoning_content ?? '') + delta.reasoning_content;
    for (const call of delta.tool_calls ?? []) {
      const calls = (this.message.tool_calls ??= []);
      const existing = calls[call.index];
      if (existing) existing.function.arguments += call.function.arguments;
      else
        calls[call.index] = {
          id: call.id ?? '',
          type: 'function',
          function: { name: call.function.name ?? '', arguments: call.function.arguments },
        };
    }
  }

  finish(delta: ChatDelta, reason: FinishReason, usage: ChatUsage): void {
    this.delta(delta);
    this.reason = reason;
    this.usage = usage;
  }
}

/**
 * One ChatCompletion from the events of a completed stream. `accountId` is the account that
 * answered: the signatures relayed here are recorded as its own, like the stream's.
 */
export function assembleCompletion(
  chunks: readonly UpstreamChunk[],
  options: ChatResponderOptions,
  id: string,
  created: number,
  accountId = '',
): ChatCompletion {
  const builder = new CompletionBuilder();
  const translator = new ChatTranslator(builder, options, accountId);
  for (const chunk of chunks) translator.push(chunk);
  translator.end();
  return {
    id,
    object: 'chat.completion',
    created,
    model: options.requestedModel,
    choices: [{ index: 0, message: builder.message, logprobs: null, finish_reason: builder.reason }],
    usage: builder.usage!,
  };
}
