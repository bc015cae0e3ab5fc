import type { UpstreamChunk } from '../../google/generate-client.ts';
import { UpstreamTranslator, type MessageSink, type ResponderOptions } from './from-upstream.ts';
import type { StopReason } from './stop-reason.ts';
import type { AnthropicUsage } from './usage.ts';
import type { WebSearchResult } from './web-search-blocks.ts';

/**
 * The non-stream Message (wire.md §4.3), assembled from every event of the upstream stream by the
 * same translator as the stream, so both answers hold the same blocks.
 */

export type ContentBlock =
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> }
  | { type: 'image'; source: { type: 'base64'; media_type: string; data: string } }
  | { type: 'server_tool_use'; id: string; name: 'web_search'; input: { query: string } }
  | { type: 'web_search_tool_result'; tool_use_id: string; content: WebSearchResult[] };

export interface AnthropicMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: ContentBlock[];
  stop_reason: StopReason | null;
  stop_sequence: null;
  usage: AnthropicUsage;
}

/** Builds the Message's content as the translator emits it. */
class MessageBuilder implements MessageSink {
  readonly message: AnthropicMessage;

  constructor(id: string, model: string) {
    this.message = {
      id,
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: {
        input_tokens: 0,
        output_tokens: 0,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    };
  }

  messageStart(usage: AnthropicUsage): void {
    this.message.usage = usage;
  }

  openBlock(index: number, type: 'thinking' | 'text'): void {
    this.message.content[index] =
      type === 'thinking' ? { type: 'thinking', thinking: '', signature: '' } : { type: 'text', text: '' };
  }

  thinkingDelta(index: number, thinking: string): void {
    const block = this.message.content[index];
    if (block?.type === 'thinking') block.thinking += thinking;
  }

  textDelta(index: number, text: string): void {
    const block = this.message.content[index];
    if (block?.type === 'text') block.text += text;
  }

  signatureDelta(index: number, signature: string): void {
    const block = this.message.content[index];
    if (block?.type === 'thinking') block.signature = signature;
  }

  closeBlock(): void {}

  toolUse(index: number, id: string, name: string, input: Record<string, unknown>): void {
    this.message.content[index] = { type: 'tool_use', id, name, input };
  }

  image(index: number, mediaType: string, data: string): void {
    this.message.content[index] = { type: 'image', source: { type: 'base64', media_type: mediaType, data } };
  }

  serverToolUse(index: number, id: string, query: string): void {
    this.message.content[index] = { type: 'server_tool_use', id, name: 'web_search', input: { query } };
  }

  webSearchResult(index: number, toolUseId: string, results: WebSearchResult[]): void {
    this.message.content[index] = {
      type: 'web_search_tool_result',
      tool_use_id: toolUseId,
      content: results,
    };
  }

  messageEnd(stopReason: StopReason, usage: AnthropicUsage): void {
    this.message.stop_reason = stopReason;
    this.message.usage = usage;
  }
}

/**
 * One Message from the events of a completed stream. `accountId` is the account that answered:
 * the signatures relayed here are recorded as its own, like the stream's.
 */
export function assembleMessage(
  chunks: readonly UpstreamChunk[],
  options: ResponderOptions,
  messageId: string,
  accountId = '',
): AnthropicMessage {
  const builder = new MessageBuilder(messageId, options.requestedModel);
  const translator = new UpstreamTranslator(builder, options, accountId);
  for (const chunk of chunks) translator.push(chunk);
  translator.end();
  return builder.message;
}
