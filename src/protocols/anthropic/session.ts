/**
 * What the pipeline needs to know of a Messages request besides its translation: where its
 * session key comes from (wire.md §4.8, product.md §2) and what background routing looks at
 * (product.md §4, src/models/background.ts).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { BackgroundFeatures } from '../../proxy/adapter.ts';
import type { ContentBlock, MessageParam, MessagesRequest } from './request-schema.ts';

export interface SessionSourceFields {
  explicit?: string;
  firstSystemText?: string;
  firstUserText?: string;
}

/** Claude Code's first system block; its `cch=` changes on every request (wire.md §4.8, §6.8 #36). */
const BILLING_LINE = /^x-anthropic-billing-header:.*$/gm;
const REMINDER = /<system-reminder>[\s\S]*?<\/system-reminder>/g;
/** Claude Code before 2.1.78: `user_<64 hex>_account_<uuid or empty>_session_<uuid>`. */
const LEGACY_USER_ID = /^user_[0-9a-f]+_account_[0-9a-f-]*_session_([0-9a-f-]*)$/i;

function withoutBillingLine(text: string): string {
  return text.replace(BILLING_LINE, '').trim();
}

/** A text block that is nothing but `<system-reminder>` blocks (Claude Code puts them before the prompt). */
function onlyReminders(text: string): boolean {
  return text.replace(REMINDER, '').trim() === '';
}

/**
 * The session id in `metadata.user_id`: the `session_id` of Claude Code's JSON form, the
 * `_session_<uuid>` of its legacy form, or the whole value when a client uses the field for its
 * own id. A JSON value without `session_id` names a device, not a conversation: none then.
 */
export function sessionFromUserId(userId: string | null | undefined): string | undefined {
  const value = userId?.trim();
  if (!value) return undefined;
  if (value.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (typeof parsed === 'object' && parsed !== null) {
        const session = (parsed as { session_id?: unknown }).session_id;
        return typeof session === 'string' && session.trim() ? session.trim() : undefined;
      }
    } catch {
      // Not JSON after all: the value is the client's own id.
    }
  }
  const legacy = LEGACY_USER_ID.exec(value);
  if (legacy) return legacy[1] || undefined;
  return value;
}

/** The system prompt's texts, top-level blocks first, then `role:"system"` messages. */
function allSystemTexts(request: MessagesRequest): string[] {
  const texts: string[] = [];
  const system = request.system;
  if (typeof system === 'string') texts.push(system);
  else if (system) texts.push(...system.map((block) => block.text));
  for (const message of request.messages) {
    if (message.role !== 'system') continue;
    if (typeof message.content === 'string') texts.push(message.content);
    else for (const block of message.content) if (block.type === 'text') texts.push(block.text);
  }
  return texts;
}

function textBlocks(message: MessageParam): string[] {
  if (typeof message.content === 'string') return [message.content];
  return message.content
    .filter((block): block is Extract<ContentBlock, { type: 'text' }> => block.type === 'text')
    .map((block) => block.text);
}

/**
 * Where the session key comes from. Session headers (`X-Claude-Code-Session-Id`…) are read by the
 * pipeline itself; `headers` is taken for protocols whose body alone does not tell.
 */
export function sessionSource(request: MessagesRequest, _headers?: IncomingHttpHeaders): SessionSourceFields {
  const source: SessionSourceFields = {};
  const explicit = sessionFromUserId(request.metadata?.user_id);
  if (explicit !== undefined) source.explicit = explicit;
  for (const text of allSystemTexts(request)) {
    const stable = withoutBillingLine(text);
    if (stable) {
      source.firstSystemText = stable;
      break;
    }
  }
  search: for (const message of request.messages) {
    if (message.role !== 'user') continue;
    for (const text of textBlocks(message)) {
      if (text.trim() && !onlyReminders(text)) {
        source.firstUserText = text;
        break search;
      }
    }
  }
  return source;
}

/** A user message's text as background routing reads it: its text blocks, reminders left out. */
function userText(message: MessageParam | undefined): string {
  if (!message) return '';
  return textBlocks(message)
    .filter((text) => !onlyReminders(text))
    .join('\n');
}

export function backgroundFeatures(request: MessagesRequest): BackgroundFeatures {
  const users = request.messages.filter((message) => message.role === 'user');
  const features: BackgroundFeatures = {
    systemTexts: allSystemTexts(request)
      .map(withoutBillingLine)
      .filter((text) => text !== ''),
    userTexts: [userText(users[0]), userText(users.at(-1))],
    toolCount: request.tools?.length ?? 0,
  };
  if (request.max_tokens !== undefined) return { ...features, maxTokens: request.max_tokens };
  return features;
}
