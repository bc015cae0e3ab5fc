/**
 * Responses `input` items → the conversation as Anthropic Messages blocks, so that the one
 * translator of conversations to v1internal `contents` (src/protocols/anthropic/content.ts) serves
 * both protocols: role alternation, thinking → text → calls order, tool names, signatures replayed
 * only to the family that issued them, Gemini's leading user turn. Pure, one pass.
 *
 * | Responses item | block |
 * |---|---|
 * | `message` user | user `text` / `image` / `document` blocks |
 * | `message` assistant | assistant `text` blocks (a refusal is text the model said) |
 * | `message` system / developer | the system instruction, in order (wire.md §6.3, §6.4) |
 * | `reasoning` | assistant `thinking`: the summary (or reasoning text) signed by `encrypted_content` |
 * | `function_call` | assistant `tool_use` with the parsed `arguments` |
 * | `custom_tool_call` | assistant `tool_use` with input `{input}` (the freeform text, see tools.ts) |
 * | `function_call_output`, `custom_tool_call_output` | user `tool_result` (text; images travel beside it) |
 *
 * The thinking text replayed is the reasoning item's text exactly as the responder wrote it (one
 * summary part holding every thought delta): Claude checks its signature against that text.
 */
import type {
  ContentBlock,
  DocumentBlock,
  ImageBlock,
  MessageParam,
  ToolResultContentBlock,
} from '../../anthropic/request-schema.ts';
import { MAX_FREE_FORM_DEPTH } from '../../anthropic/request-schema.ts';
import { mimeTypeOfUrl } from '../../anthropic/media.ts';
import { nestsWithin } from '../../../util/json.ts';
import {
  type InputItem,
  type MessagePart,
  type ResponsesRequest,
  type ToolOutputPart,
} from './request-schema.ts';

export interface ItemsAsMessages {
  messages: MessageParam[];
  /** Texts of `system` and `developer` messages, in order. */
  systemTexts: string[];
}

const DATA_URL = /^data:([^;,]+)[^,]*;base64,(.*)$/s;

/** A tool call's `arguments` as an object; anything else is kept whole under `params` (CPA's form). */
export function parseArguments(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    if (
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      nestsWithin(value, MAX_FREE_FORM_DEPTH)
    ) {
      return value as Record<string, unknown>;
    }
  } catch {
    // Not JSON: kept as text below.
  }
  return { params: text };
}

function imageBlock(url: string | null | undefined): ImageBlock | undefined {
  if (!url) return undefined;
  const data = DATA_URL.exec(url);
  if (data) return { type: 'image', source: { type: 'base64', media_type: data[1]!, data: data[2]! } };
  return { type: 'image', source: { type: 'url', url } };
}

function documentBlock(part: Extract<MessagePart, { type: 'input_file' }>): DocumentBlock | undefined {
  const title = part.filename ?? null;
  if (part.file_data) {
    const data = DATA_URL.exec(part.file_data);
    const mediaType = data?.[1] ?? mimeTypeOfUrl(part.filename ?? '') ?? 'application/pdf';
    return {
      type: 'document',
      source: { type: 'base64', media_type: mediaType, data: data ? data[2]! : part.file_data },
      title,
    };
  }
  if (part.file_url) return { type: 'document', source: { type: 'url', url: part.file_url }, title };
  // A `file_id` names OpenAI's file storage, which this proxy does not have.
  return undefined;
}

/** Content parts as blocks; file ids and empty images are dropped. */
function blocksOf(parts: readonly (MessagePart | ToolOutputPart)[]): ContentBlock[] {
  const blocks: ContentBlock[] = [];
  for (const part of parts) {
    let block: ContentBlock | undefined;
    switch (part.type) {
      case 'input_text':
      case 'output_text':
        block = { type: 'text', text: part.text };
        break;
      case 'refusal':
        block = { type: 'text', text: part.refusal };
        break;
      case 'input_image':
        block = imageBlock(part.image_url);
        break;
      case 'input_file':
        block = documentBlock(part);
        break;
    }
    if (block) blocks.push(block);
  }
  return blocks;
}

function toolResult(callId: string, output: string | readonly ToolOutputPart[]): ContentBlock {
  const content = typeof output === 'string' ? output : (blocksOf(output) as ToolResultContentBlock[]);
  return { type: 'tool_result', tool_use_id: callId, content };
}

/** The texts a message item holds (for system text and session keys). */
export function textsOf(content: string | readonly MessagePart[]): string[] {
  if (typeof content === 'string') return [content];
  const texts: string[] = [];
  for (const part of content) {
    if (part.type === 'input_text' || part.type === 'output_text') texts.push(part.text);
  }
  return texts;
}

/** A reasoning item's text: its reasoning text when it carries one, else its summary. */
function reasoningText(item: Extract<InputItem, { type: 'reasoning' }>): string {
  if (item.content && item.content.length > 0) return item.content.map((part) => part.text).join('');
  return item.summary.map((part) => part.text).join('');
}

export function itemsToMessages(input: ResponsesRequest['input']): ItemsAsMessages {
  if (typeof input === 'string') return { messages: [{ role: 'user', content: input }], systemTexts: [] };
  const messages: MessageParam[] = [];
  const systemTexts: string[] = [];

  const add = (role: 'user' | 'assistant', blocks: ContentBlock[]) => {
    if (blocks.length === 0) return;
    const last = messages.at(-1);
    if (last?.role === role && Array.isArray(last.content)) last.content.push(...blocks);
    else messages.push({ role, content: blocks });
  };

  for (const item of input) {
    switch (item.type) {
      case undefined:
      case 'message': {
        const message = item as Extract<InputItem, { role: unknown }>;
        if (message.role === 'system' || message.role === 'developer') {
          systemTexts.push(...textsOf(message.content));
          break;
        }
        const blocks: ContentBlock[] =
          typeof message.content === 'string'
            ? [{ type: 'text', text: message.content }]
            : blocksOf(message.content);
        add(message.role, blocks);
        break;
      }
      case 'reasoning':
        add('assistant', [
          { type: 'thinking', thinking: reasoningText(item), signature: item.encrypted_content ?? null },
        ]);
        break;
      case 'function_call':
        add('assistant', [
          { type: 'tool_use', id: item.call_id, name: item.name, input: parseArguments(item.arguments) },
        ]);
        break;
      case 'custom_tool_call':
        add('assistant', [
          { type: 'tool_use', id: item.call_id, name: item.name, input: { input: item.input } },
        ]);
        break;
      case 'function_call_output':
      case 'custom_tool_call_output':
        add('user', [toolResult(item.call_id, item.output)]);
        break;
    }
  }
  return { messages, systemTexts };
}
