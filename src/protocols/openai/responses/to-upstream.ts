/**
 * A validated Responses request → the `request` of a v1internal call (wire.md §6.4).
 *
 * Pure: the client body and what the proxy knows (target model, its limits, the signature book) in,
 * the upstream request out. The conversation goes through the Messages front end's translator
 * (input-items.ts says how); what every protocol gets — schema cleaning, Claude's VALIDATED mode,
 * Gemini's signature sentinel, the session id — is the pipeline's target rules, applied afterwards.
 * A Claude thinking signature is valid only on the account that issued it: the adapter's
 * `forAccount` should run `keepSignaturesOf` (src/protocols/anthropic/account-signatures.ts) as the
 * Messages adapter does.
 */
import { translateMessages, type Content } from '../../anthropic/content.ts';
import type { TargetLimits } from '../../anthropic/thinking-config.ts';
import { thinkingEnabled } from '../../anthropic/thinking-config.ts';
import { NO_TOOLS_INSTRUCTION } from '../../anthropic/to-upstream.ts';
import { closeToolLoop } from '../../anthropic/tool-loop.ts';
import type { SignatureLookup } from '../../shared/signature-book.ts';
import { generationConfig } from './generation-config.ts';
import { itemsToMessages, textsOf } from './input-items.ts';
import { ROLES, type ResponsesRequest } from './request-schema.ts';
import { ToolNames, translateTools } from './tools.ts';

type Json = Record<string, unknown>;

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
  /** Client names of the custom (freeform) tools: their calls go back as `custom_tool_call`. */
  customTools: Set<string>;
  /** The client asked for web search and declared no function tool: the request carries `googleSearch` only. */
  webSearch: boolean;
}

/**
 * The texts of `instructions`. Never refused: a string, or the input items a stored prompt would
 * give (their message texts), or anything else, which says nothing to the model and is ignored.
 */
export function instructionTexts(instructions: unknown): string[] {
  if (typeof instructions === 'string') return [instructions];
  if (!Array.isArray(instructions)) return [];
  const texts: string[] = [];
  for (const item of instructions as unknown[]) {
    if (typeof item === 'string') texts.push(item);
    if (typeof item !== 'object' || item === null) continue;
    const { role, content } = item as { role?: unknown; content?: unknown };
    if (role !== undefined && !(ROLES as readonly unknown[]).includes(role)) continue;
    if (typeof content === 'string') texts.push(content);
    else if (Array.isArray(content)) {
      for (const part of content as unknown[]) {
        const text = (part as { text?: unknown } | null)?.text;
        if (typeof text === 'string') texts.push(text);
      }
    }
  }
  return texts;
}

/** Every system text of a request: `instructions`, then `system`/`developer` messages in order. */
export function systemTextsOf(request: ResponsesRequest): string[] {
  const texts = instructionTexts(request.instructions);
  if (typeof request.input !== 'string') {
    for (const item of request.input) {
      if ((item.type === undefined || item.type === 'message') && 'role' in item) {
        if (item.role === 'system' || item.role === 'developer') texts.push(...textsOf(item.content));
      }
    }
  }
  return texts;
}

export function toUpstream(request: ResponsesRequest, context: UpstreamContext): UpstreamTranslation {
  const claude = context.target.family === 'claude';
  const names = new ToolNames();
  // Declared tools name first, so their sanitised names win any collision with names of the history.
  const tools = translateTools(request.tools, request.tool_choice, names);
  const items = itemsToMessages(request.input);
  const conversation = translateMessages(items.messages, {
    target: context.target,
    signatures: context.signatures,
    sessionKey: context.sessionKey,
    names,
  });

  const system = [...instructionTexts(request.instructions), ...items.systemTexts].filter(
    (text) => text.trim() !== '',
  );
  const mode = (tools.toolConfig?.functionCallingConfig as Json | undefined)?.mode;
  if (claude && mode === 'NONE') system.push(NO_TOOLS_INSTRUCTION);

  const config = generationConfig(request, context.target, context.limits);
  let contents: Content[] = conversation.contents;
  if (claude && thinkingEnabled(config)) contents = closeToolLoop(contents);

  const upstream: Json = { contents };
  if (system.length > 0)
    upstream.systemInstruction = { role: 'user', parts: system.map((text) => ({ text })) };
  if (tools.tools) upstream.tools = tools.tools;
  if (tools.toolConfig) upstream.toolConfig = tools.toolConfig;
  if (config) upstream.generationConfig = config;
  return {
    request: upstream,
    toolNames: names.reverse,
    customTools: tools.customTools,
    webSearch: tools.webSearch,
  };
}
