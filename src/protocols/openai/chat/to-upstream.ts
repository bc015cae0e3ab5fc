/**
 * A validated Chat Completions request → the `request` of a v1internal call (wire.md §6.3).
 *
 * Pure: the client body and what the proxy knows (target model, its limits, the signature book)
 * in, the upstream request out; it cannot fail, since everything it would refuse was refused by
 * `parseChatBody`. What every request gets whatever its protocol — schema cleaning, Claude's
 * VALIDATED mode and placeholder properties, Gemini's signature sentinel, the session id — is the
 * pipeline's (src/protocols/target/target-rules.ts), applied after this translation; so is the
 * account-bound removal of Claude signatures (src/protocols/anthropic/account-signatures.ts).
 *
 * Remote images: an `http(s)` image URL is left in the request as the placeholder part
 * `{fileData:{mimeType, fileUri:url}}` and listed in `remoteImages`; the adapter fetches them and
 * swaps each placeholder for `inlineData` (see content-parts.ts).
 */
import type { TargetLimits } from '../../anthropic/thinking-config.ts';
import { thinkingEnabled } from '../../anthropic/thinking-config.ts';
import { NO_TOOLS_INSTRUCTION } from '../../anthropic/to-upstream.ts';
import { closeToolLoop } from '../../anthropic/tool-loop.ts';
import { ToolNames } from '../../anthropic/tools.ts';
import type { SignatureLookup } from '../../shared/signature-book.ts';
import type { RemoteImage } from './content-parts.ts';
import { generationConfig } from './generation-config.ts';
import { translateMessages, type Content } from './messages.ts';
import type { ChatRequest } from './request-schema.ts';
import { translateTools } from './tools.ts';

type Json = Record<string, unknown>;

export type { RemoteImage } from './content-parts.ts';

export interface UpstreamContext {
  target: { model: string; family: 'claude' | 'gemini' };
  limits?: TargetLimits;
  signatures: SignatureLookup;
  /** The conversation's session key: tool-call signatures are looked up by it first. */
  sessionKey?: string;
}

export interface UpstreamTranslation {
  /** The v1internal inner `request`. */
  request: Json;
  /** Sanitised tool name → the client's name, to restore names in the answer. */
  toolNames: Map<string, string>;
  /** `http(s)` images, in request order, whose placeholder parts the adapter may replace. */
  remoteImages: RemoteImage[];
}

export function toUpstream(request: ChatRequest, context: UpstreamContext): UpstreamTranslation {
  const claude = context.target.family === 'claude';
  const names = new ToolNames();
  const remoteImages: RemoteImage[] = [];
  // Declared tools name first, so their sanitised names win any collision with names of the history.
  const tools = translateTools(request, names);
  const messages = translateMessages(request.messages, {
    target: context.target,
    signatures: context.signatures,
    ...(context.sessionKey !== undefined ? { sessionKey: context.sessionKey } : {}),
    names,
    remoteImages,
  });

  const system = messages.systemTexts;
  const mode = (tools.toolConfig?.functionCallingConfig as Json | undefined)?.mode;
  // Claude only takes VALIDATED (target rules): `tool_choice:"none"` is honoured by saying so.
  if (claude && mode === 'NONE') system.push(NO_TOOLS_INSTRUCTION);

  const config = generationConfig(request, context.target, context.limits);
  let contents: Content[] = messages.contents;
  // Claude with thinking refuses a tool loop whose last turn lost its thinking (most clients drop it).
  if (claude && thinkingEnabled(config)) contents = closeToolLoop(contents);

  const upstream: Json = { contents };
  if (system.length > 0)
    upstream.systemInstruction = { role: 'user', parts: system.map((text) => ({ text })) };
  if (tools.tools) upstream.tools = tools.tools;
  if (tools.toolConfig) upstream.toolConfig = tools.toolConfig;
  if (config) upstream.generationConfig = config;
  return { request: upstream, toolNames: names.reverse, remoteImages };
}
