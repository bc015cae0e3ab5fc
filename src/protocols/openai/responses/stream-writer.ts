/**
 * The Responses API's SSE (wire.md §5.6): each event is `event: <type>\ndata: <json>\n\n`, the data
 * carrying the same `type` and a `sequence_number` that starts at 0 and grows by 1 on every event.
 * Runs once per upstream event on the hot path, so the deltas are written as templates around one
 * `JSON.stringify` of their text, and the rarer events stringify one object.
 */
import type { OutputItem, OutputSink } from './output-items.ts';
import type { ResponseObject } from './response-object.ts';

/** A comment line: every SSE parser skips it (the SDK's and Codex's), and it needs no sequence number. */
export const KEEP_ALIVE = ': keep-alive\n\n';

/** Collects the SSE text of what the translator emits; `take()` hands it over per upstream event. */
export class SseWriter implements OutputSink {
  private out = '';
  private sequence = 0;

  /** The text written since the last call. */
  take(): string {
    const out = this.out;
    this.out = '';
    return out;
  }

  /** Lifecycle events: `response.created`, `.in_progress`, `.completed`, `.incomplete`, `.failed`. */
  lifecycle(type: string, response: ResponseObject): void {
    this.event(type, { response });
  }

  itemAdded(index: number, item: OutputItem): void {
    this.event('response.output_item.added', { output_index: index, item });
  }

  summaryPartAdded(index: number, itemId: string): void {
    this.event('response.reasoning_summary_part.added', {
      item_id: itemId,
      output_index: index,
      summary_index: 0,
      part: { type: 'summary_text', text: '' },
    });
  }

  summaryDelta(index: number, itemId: string, delta: string): void {
    this.template(
      'response.reasoning_summary_text.delta',
      `"item_id":${JSON.stringify(itemId)},"output_index":${index},"summary_index":0,"delta":${JSON.stringify(delta)}`,
    );
  }

  summaryPartDone(index: number, itemId: string, text: string): void {
    this.event('response.reasoning_summary_text.done', {
      item_id: itemId,
      output_index: index,
      summary_index: 0,
      text,
    });
    this.event('response.reasoning_summary_part.done', {
      item_id: itemId,
      output_index: index,
      summary_index: 0,
      part: { type: 'summary_text', text },
    });
  }

  textPartAdded(index: number, itemId: string): void {
    this.event('response.content_part.added', {
      item_id: itemId,
      output_index: index,
      content_index: 0,
      part: { type: 'output_text', text: '', annotations: [], logprobs: [] },
    });
  }

  textDelta(index: number, itemId: string, delta: string): void {
    this.template(
      'response.output_text.delta',
      `"item_id":${JSON.stringify(itemId)},"output_index":${index},"content_index":0,"delta":${JSON.stringify(delta)},"logprobs":[]`,
    );
  }

  textPartDone(index: number, itemId: string, text: string): void {
    this.event('response.output_text.done', {
      item_id: itemId,
      output_index: index,
      content_index: 0,
      text,
      logprobs: [],
    });
    this.event('response.content_part.done', {
      item_id: itemId,
      output_index: index,
      content_index: 0,
      part: { type: 'output_text', text, annotations: [], logprobs: [] },
    });
  }

  argumentsDone(index: number, itemId: string, name: string, args: string): void {
    this.event('response.function_call_arguments.delta', {
      item_id: itemId,
      output_index: index,
      delta: args,
    });
    this.event('response.function_call_arguments.done', {
      item_id: itemId,
      output_index: index,
      name,
      arguments: args,
    });
  }

  customInputDone(index: number, itemId: string, input: string): void {
    this.event('response.custom_tool_call_input.delta', {
      item_id: itemId,
      output_index: index,
      delta: input,
    });
    this.event('response.custom_tool_call_input.done', { item_id: itemId, output_index: index, input });
  }

  itemDone(index: number, item: OutputItem): void {
    this.event('response.output_item.done', { output_index: index, item });
  }

  private event(type: string, fields: Record<string, unknown>): void {
    const data = JSON.stringify({ type, sequence_number: this.sequence++, ...fields });
    this.out += `event: ${type}\ndata: ${data}\n\n`;
  }

  /** An event whose fields after `type` and `sequence_number` are given as JSON text. */
  private template(type: string, fields: string): void {
    this.out += `event: ${type}\ndata: {"type":"${type}","sequence_number":${this.sequence++},${fields}}\n\n`;
  }
}
