/**
 * A local `count_tokens` answer for targets the upstream cannot count (Claude, wire.md §2.12 #9,
 * §4.6). Claude Code calls it to decide when to compact, so the figure must track what the model
 * will read, not be exact:
 *
 * - Text at 4 characters a token (the usual rule for English and code; Claude's tokenizer lands
 *   between 3.5 and 4.5): the system prompt, every text block, tool_use inputs and tool_result
 *   contents as the model sees them (JSON for inputs), search results, text documents.
 * - Tools: name, description and input schema as JSON, plus the tool-use system prompt Anthropic
 *   adds when tools are declared (346 tokens in Anthropic's pricing table for Claude 4 models).
 * - Images: 1,600 tokens each, Anthropic's figure for a ~1.15 megapixel image (tokens ≈ w×h/750,
 *   images are scaled down to about that size), which is what a screenshot costs. The size of the
 *   base64 data tells nothing about the dimensions, so every image counts alike.
 * - PDFs: 1,600 tokens per started 100 KB (Anthropic: 1,500–3,000 tokens a page, text plus an image
 *   of the page); the page count is not known without parsing the file.
 * - Thinking of earlier turns is left out: Anthropic strips it from the context (and does not count
 *   it), and redacted thinking is opaque.
 */
import type {
  ContentBlock,
  DocumentBlock,
  MessagesRequest,
  ToolResultContentBlock,
} from './request-schema.ts';

export const CHARS_PER_TOKEN = 4;
export const TOKENS_PER_IMAGE = 1600;
export const TOOL_SYSTEM_PROMPT_TOKENS = 346;
const PDF_BYTES_PER_CHUNK = 100_000;

interface Tally {
  chars: number;
  tokens: number;
}

function json(value: unknown): number {
  return JSON.stringify(value)?.length ?? 0;
}

function countDocument(block: DocumentBlock, tally: Tally): void {
  const source = block.source;
  if (source.type === 'text') tally.chars += source.data.length;
  else if (source.type === 'content') {
    if (typeof source.content === 'string') tally.chars += source.content.length;
    else
      for (const item of source.content) {
        if (item.type === 'text') tally.chars += item.text.length;
        else tally.tokens += TOKENS_PER_IMAGE;
      }
  } else if (source.type === 'base64') {
    const bytes = (source.data.length * 3) / 4;
    tally.tokens += TOKENS_PER_IMAGE * Math.max(1, Math.ceil(bytes / PDF_BYTES_PER_CHUNK));
  } else {
    // A URL or a file id: its size is unknown, count one page.
    tally.tokens += TOKENS_PER_IMAGE;
  }
  if (block.title) tally.chars += block.title.length;
  if (block.context) tally.chars += block.context.length;
}

function countBlock(block: ContentBlock | ToolResultContentBlock, tally: Tally): void {
  switch (block.type) {
    case 'text':
      tally.chars += block.text.length;
      break;
    case 'image':
      tally.tokens += TOKENS_PER_IMAGE;
      break;
    case 'document':
      countDocument(block, tally);
      break;
    case 'search_result':
      tally.chars += block.title.length + block.source.length;
      for (const item of block.content) tally.chars += item.text.length;
      break;
    case 'tool_use':
    case 'server_tool_use':
      tally.chars += block.name.length + json(block.input);
      break;
    case 'tool_result':
      if (typeof block.content === 'string') tally.chars += block.content.length;
      else for (const item of block.content ?? []) countBlock(item, tally);
      break;
    case 'web_search_tool_result':
      if (Array.isArray(block.content))
        for (const result of block.content) tally.chars += result.url.length + (result.title?.length ?? 0);
      break;
    default:
      // thinking, redacted_thinking and server-only blocks.
      break;
  }
}

/** Input tokens of a Messages request, estimated locally (at least 1). */
export function estimateTokens(request: MessagesRequest): number {
  const tally: Tally = { chars: 0, tokens: 0 };
  const system = request.system;
  if (typeof system === 'string') tally.chars += system.length;
  else for (const block of system ?? []) tally.chars += block.text.length;

  for (const message of request.messages) {
    if (typeof message.content === 'string') tally.chars += message.content.length;
    else for (const block of message.content) countBlock(block, tally);
  }

  const tools = request.tools ?? [];
  for (const tool of tools) {
    tally.chars += (tool.name?.length ?? 0) + (tool.description?.length ?? 0);
    if (tool.input_schema) tally.chars += json(tool.input_schema);
  }
  if (tools.length > 0) tally.tokens += TOOL_SYSTEM_PROMPT_TOKENS;
  if (request.output_config?.format) tally.chars += json(request.output_config.format.schema);

  return Math.max(1, Math.ceil(tally.chars / CHARS_PER_TOKEN) + tally.tokens);
}
