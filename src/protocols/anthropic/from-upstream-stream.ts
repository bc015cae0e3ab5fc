import type { ProtocolError } from '../../proxy/adapter.ts';
import { anthropicErrorType } from './errors.ts';
import type { MessageSink } from './from-upstream.ts';
import type { StopReason } from './stop-reason.ts';
import type { AnthropicUsage } from './usage.ts';
import type { WebSearchResult } from './web-search-blocks.ts';

/**
 * The Messages API's SSE (wire.md §4.4): each event is `event: <type>\ndata: <json>\n\n` with
 * `data.type` equal to the event name. Runs once per upstream event on the hot path, so the frequent
 * events (deltas, block starts and stops) are written as templates around one `JSON.stringify` of
 * their only variable string, and the rare ones stringify one object.
 */

export const MESSAGE_STOP = 'event: message_stop\ndata: {"type":"message_stop"}\n\n';
export const PING = 'event: ping\ndata: {"type":"ping"}\n\n';

/** The error event after the first byte; the SDK throws an `APIError` of that type when it reads it. */
export function errorEvent(error: ProtocolError): string {
  const data = { type: 'error', error: { type: anthropicErrorType(error.status), message: error.message } };
  return `event: error\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Collects the SSE text of what the translator emits; `take()` hands it over per upstream event. */
export class SseWriter implements MessageSink {
  private out = '';
  private readonly messageId: string;
  private readonly model: string;

  constructor(messageId: string, model: string) {
    this.messageId = messageId;
    this.model = model;
  }

  /** The text written since the last call. */
  take(): string {
    const out = this.out;
    this.out = '';
    return out;
  }

  messageStart(usage: AnthropicUsage): void {
    const message = {
      id: this.messageId,
      type: 'message',
      role: 'assistant',
      model: this.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage,
    };
    this.out += `event: message_start\ndata: ${JSON.stringify({ type: 'message_start', message })}\n\n`;
  }

  openBlock(index: number, type: 'thinking' | 'text'): void {
    const block =
      type === 'thinking' ? '{"type":"thinking","thinking":"","signature":""}' : '{"type":"text","text":""}';
    this.out += `event: content_block_start\ndata: {"type":"content_block_start","index":${index},"content_block":${block}}\n\n`;
  }

  thinkingDelta(index: number, thinking: string): void {
    this.out += `event: content_block_delta\ndata: {"type":"content_block_delta","index":${index},"delta":{"type":"thinking_delta","thinking":${JSON.stringify(thinking)}}}\n\n`;
  }

  textDelta(index: number, text: string): void {
    this.out += `event: content_block_delta\ndata: {"type":"content_block_delta","index":${index},"delta":{"type":"text_delta","text":${JSON.stringify(text)}}}\n\n`;
  }

  signatureDelta(index: number, signature: string): void {
    this.out += `event: content_block_delta\ndata: {"type":"content_block_delta","index":${index},"delta":{"type":"signature_delta","signature":${JSON.stringify(signature)}}}\n\n`;
  }

  closeBlock(index: number): void {
    this.out += `event: content_block_stop\ndata: {"type":"content_block_stop","index":${index}}\n\n`;
  }

  toolUse(index: number, id: string, name: string, input: Record<string, unknown>): void {
    this.toolBlock(index, 'tool_use', id, name, JSON.stringify(input));
  }

  image(index: number, mediaType: string, data: string): void {
    const start = {
      type: 'content_block_start',
      index,
      content_block: { type: 'image', source: { type: 'base64', media_type: mediaType, data } },
    };
    this.out += `event: content_block_start\ndata: ${JSON.stringify(start)}\n\n`;
    this.closeBlock(index);
  }

  serverToolUse(index: number, id: string, query: string): void {
    this.toolBlock(index, 'server_tool_use', id, 'web_search', JSON.stringify({ query }));
  }

  webSearchResult(index: number, toolUseId: string, results: WebSearchResult[]): void {
    const start = {
      type: 'content_block_start',
      index,
      content_block: { type: 'web_search_tool_result', tool_use_id: toolUseId, content: results },
    };
    this.out += `event: content_block_start\ndata: ${JSON.stringify(start)}\n\n`;
    this.closeBlock(index);
  }

  messageEnd(stopReason: StopReason, usage: AnthropicUsage): void {
    const delta = { type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage };
    this.out += `event: message_delta\ndata: ${JSON.stringify(delta)}\n\n${MESSAGE_STOP}`;
  }

  /** start with `input:{}`, the whole input as one `input_json_delta`, stop (wire.md §4.4). */
  private toolBlock(index: number, type: string, id: string, name: string, inputJson: string): void {
    this.out +=
      `event: content_block_start\ndata: {"type":"content_block_start","index":${index},"content_block":{"type":"${type}","id":${JSON.stringify(id)},"name":${JSON.stringify(name)},"input":{}}}\n\n` +
      `event: content_block_delta\ndata: {"type":"content_block_delta","index":${index},"delta":{"type":"input_json_delta","partial_json":${JSON.stringify(inputJson)}}}\n\n`;
    this.closeBlock(index);
  }
}
