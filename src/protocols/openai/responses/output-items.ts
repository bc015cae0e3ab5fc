/**
 * The output items of a Response (OSDK `ResponseOutputItem`), as this proxy produces them, and what
 * a sink is told while they are built: the events of wire.md §5.6 without their framing.
 */

export interface SummaryText {
  type: 'summary_text';
  text: string;
}

export interface OutputText {
  type: 'output_text';
  text: string;
  annotations: [];
  logprobs: [];
}

export type ItemStatus = 'in_progress' | 'completed' | 'incomplete';

export interface ReasoningItem {
  id: string;
  type: 'reasoning';
  summary: SummaryText[];
  /** The thought signature, when the client asked for `reasoning.encrypted_content`. */
  encrypted_content?: string;
}

export interface MessageItem {
  id: string;
  type: 'message';
  status: ItemStatus;
  role: 'assistant';
  content: OutputText[];
}

export interface FunctionCallItem {
  id: string;
  type: 'function_call';
  status: ItemStatus;
  call_id: string;
  name: string;
  arguments: string;
}

export interface CustomToolCallItem {
  id: string;
  type: 'custom_tool_call';
  status: ItemStatus;
  call_id: string;
  name: string;
  input: string;
}

export interface ImageGenerationItem {
  id: string;
  type: 'image_generation_call';
  status: 'in_progress' | 'completed';
  /** Base64 image data. */
  result: string | null;
  output_format?: 'png' | 'jpeg' | 'webp' | 'gif';
}

export interface WebSearchItem {
  id: string;
  type: 'web_search_call';
  status: 'in_progress' | 'completed';
  action: { type: 'search'; query: string; sources?: Array<{ type: 'url'; url: string }> };
}

export type OutputItem =
  ReasoningItem | MessageItem | FunctionCallItem | CustomToolCallItem | ImageGenerationItem | WebSearchItem;

/**
 * What a translator tells its sink, in order; `index` is the item's `output_index`. Function and
 * custom tool calls arrive whole from the upstream, so their input is told in one piece.
 */
export interface OutputSink {
  itemAdded(index: number, item: OutputItem): void;
  /** Reasoning: the summary part 0 opens (`reasoning_summary_part.added`). */
  summaryPartAdded(index: number, itemId: string): void;
  summaryDelta(index: number, itemId: string, delta: string): void;
  /** `reasoning_summary_text.done` and `reasoning_summary_part.done`. */
  summaryPartDone(index: number, itemId: string, text: string): void;
  /** Message: the output_text part 0 opens (`content_part.added`). */
  textPartAdded(index: number, itemId: string): void;
  textDelta(index: number, itemId: string, delta: string): void;
  /** `output_text.done` and `content_part.done`. */
  textPartDone(index: number, itemId: string, text: string): void;
  /** `function_call_arguments.delta` (the whole arguments) and `.done`. */
  argumentsDone(index: number, itemId: string, name: string, args: string): void;
  /** `custom_tool_call_input.delta` (the whole input) and `.done`. */
  customInputDone(index: number, itemId: string, input: string): void;
  itemDone(index: number, item: OutputItem): void;
}

/** A sink that is told nothing: the non-stream answer only needs the items. */
export const SILENT_SINK: OutputSink = {
  itemAdded() {},
  summaryPartAdded() {},
  summaryDelta() {},
  summaryPartDone() {},
  textPartAdded() {},
  textDelta() {},
  textPartDone() {},
  argumentsDone() {},
  customInputDone() {},
  itemDone() {},
};
