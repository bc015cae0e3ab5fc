/**
 * What the pipeline needs to know of a Responses request besides its translation: where its session
 * key comes from (wire.md §6.1, product.md §2) and what background routing looks at (product.md §4).
 *
 * Codex sends `prompt_cache_key` = its thread id on every turn: the explicit key. Its first user
 * messages are context blocks the CLI writes (`# AGENTS.md instructions for …`,
 * `<environment_context>…</environment_context>`, `<user_instructions>…`), the same for every
 * conversation in a folder, so the first user text is the first text that is not such a block.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { BackgroundFeatures } from '../../../proxy/adapter.ts';
import { textsOf } from './input-items.ts';
import type { MessageItem, ResponsesRequest } from './request-schema.ts';
import { systemTextsOf } from './to-upstream.ts';

export interface SessionSourceFields {
  explicit?: string;
  firstSystemText?: string;
  firstUserText?: string;
}

/** A text that is one whole `<tag>…</tag>` block. */
const WRAPPED_BLOCK = /^\s*<([A-Za-z_][\w-]*)>[\s\S]*<\/\1>\s*$/;
const AGENTS_MD = /^\s*# AGENTS\.md instructions for /;

/** A text the client writes itself rather than the user (Codex's context blocks). */
function isClientContext(text: string): boolean {
  return WRAPPED_BLOCK.test(text) || AGENTS_MD.test(text);
}

function userMessages(request: ResponsesRequest): MessageItem[] {
  if (typeof request.input === 'string') return [{ role: 'user', content: request.input }];
  const users: MessageItem[] = [];
  for (const item of request.input) {
    if ((item.type === undefined || item.type === 'message') && 'role' in item && item.role === 'user')
      users.push(item);
  }
  return users;
}

/** A user message's text as background routing reads it: its texts, client context left out. */
function userText(message: MessageItem): string {
  return textsOf(message.content)
    .filter((text) => !isClientContext(text))
    .join('\n');
}

/**
 * Where the session key comes from: `prompt_cache_key` first, then the first system text and the
 * first user text. Session headers (Codex's `session_id`/`conversation_id`…) are the pipeline's.
 */
export function sessionSource(
  request: ResponsesRequest,
  _headers?: IncomingHttpHeaders,
): SessionSourceFields {
  const source: SessionSourceFields = {};
  const explicit = request.prompt_cache_key?.trim();
  if (explicit) source.explicit = explicit;
  const system = systemTextsOf(request).find((text) => text.trim() !== '');
  if (system !== undefined) source.firstSystemText = system;
  search: for (const message of userMessages(request)) {
    for (const text of textsOf(message.content)) {
      if (text.trim() && !isClientContext(text)) {
        source.firstUserText = text;
        break search;
      }
    }
  }
  return source;
}

/** The first and the last user text, of the user messages that hold more than client context. */
export function backgroundFeatures(request: ResponsesRequest): BackgroundFeatures {
  const users = userMessages(request)
    .map(userText)
    .filter((text) => text.trim() !== '');
  const features: BackgroundFeatures = {
    systemTexts: systemTextsOf(request).filter((text) => text.trim() !== ''),
    userTexts: [users[0] ?? '', users.at(-1) ?? ''],
    toolCount: request.tools?.length ?? 0,
  };
  if (request.max_output_tokens != null) return { ...features, maxTokens: request.max_output_tokens };
  return features;
}
