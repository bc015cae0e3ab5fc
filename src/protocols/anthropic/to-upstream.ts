/**
 * A validated Anthropic Messages request → the `request` of a v1internal call (wire.md §6.2).
 *
 * Pure: the client body and what the proxy knows (target model, its limits, the signature book)
 * in, the upstream request out. What every request gets whatever its protocol — schema cleaning,
 * Claude's VALIDATED mode and placeholder properties, Gemini's signature sentinel, the session id —
 * is the pipeline's (src/protocols/target/target-rules.ts), applied after this translation.
 */
import type { SignatureLookup } from '../shared/signature-book.ts';
import { translateMessages, type Content } from './content.ts';
import type { MessagesRequest } from './request-schema.ts';
import { generationConfig, thinkingEnabled, type TargetLimits } from './thinking-config.ts';
import { closeToolLoop } from './tool-loop.ts';
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
  /** The client asked for Anthropic's web search: the request carries `googleSearch` only. */
  webSearch: boolean;
}

/**
 * The Claude Agent SDK's identity line can make the upstream answer RESOURCE_EXHAUSTED to an
 * otherwise accepted request; AM rewrites exactly that block to Claude Code's (wire.md §6.8 #44).
 */
const AGENT_SDK_IDENTITY = "You are a Claude agent, built on Anthropic's Claude Agent SDK.";
const CLAUDE_CODE_IDENTITY = "You are Claude Code, Anthropic's official CLI for Claude.";

/**
 * Claude through v1internal only takes the VALIDATED calling mode (target rules), which lets the
 * model call tools; `tool_choice:{type:"none"}` is honoured by saying so. The tools stay declared,
 * since the history may hold calls to them.
 */
export const NO_TOOLS_INSTRUCTION = 'Do not call any tool in this response; answer with text only.';

function systemTexts(system: MessagesRequest['system']): string[] {
  if (system == null) return [];
  if (typeof system === 'string') return [system];
  return system.map((block) => block.text);
}

export function toUpstream(request: MessagesRequest, context: UpstreamContext): UpstreamTranslation {
  const claude = context.target.family === 'claude';
  const names = new ToolNames();
  // Declared tools name first, so their sanitised names win any collision with names of the history.
  const tools = translateTools(request.tools, request.tool_choice, names);
  const messages = translateMessages(request.messages, {
    target: context.target,
    signatures: context.signatures,
    sessionKey: context.sessionKey,
    names,
  });

  const system = [...systemTexts(request.system), ...messages.systemTexts]
    .filter((text) => text.trim() !== '')
    .map((text) => (text.trim() === AGENT_SDK_IDENTITY ? CLAUDE_CODE_IDENTITY : text));
  const mode = (tools.toolConfig?.functionCallingConfig as Json | undefined)?.mode;
  if (claude && mode === 'NONE') system.push(NO_TOOLS_INSTRUCTION);

  const config = generationConfig(request, context.target, context.limits);
  let contents: Content[] = messages.contents;
  if (claude && thinkingEnabled(config)) contents = closeToolLoop(contents);

  const upstream: Json = { contents };
  if (system.length > 0)
    upstream.systemInstruction = { role: 'user', parts: system.map((text) => ({ text })) };
  if (tools.tools) upstream.tools = tools.tools;
  if (tools.toolConfig) upstream.toolConfig = tools.toolConfig;
  if (config) upstream.generationConfig = config;
  return { request: upstream, toolNames: names.reverse, webSearch: tools.webSearch };
}
