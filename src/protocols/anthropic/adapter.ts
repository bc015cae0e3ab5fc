import {
  invalidRequest,
  type CountAdapter,
  type GenerateAdapter,
  type ProtocolError,
} from '../../proxy/adapter.ts';
import type { SignatureBook } from '../shared/signature-book.ts';
import { accountBinding, upstreamContext } from '../shared/upstream-context.ts';
import { anthropicError } from './errors.ts';
import { estimateTokens } from './estimate-tokens.ts';
import { parseMessagesBody, type MessagesRequest } from './request-schema.ts';
import { createMessagesResponder } from './responder.ts';
import { backgroundFeatures, sessionSource } from './session.ts';
import { toUpstream } from './to-upstream.ts';

/**
 * One Messages request while it is translated: the validated body, and what the request side
 * tells the response side (tool names to restore).
 */
export interface MessagesExchange {
  request: MessagesRequest;
  toolNames: ReadonlyMap<string, string>;
}

function parseError(result: { message: string; param?: string }): ProtocolError {
  return invalidRequest(result.message, result.param);
}

/** `POST /v1/messages` (wire.md §4): Anthropic Messages ⇄ v1internal, translation only. */
export function messagesAdapter(signatures: SignatureBook): GenerateAdapter<MessagesExchange> {
  return {
    protocol: 'anthropic',
    route: '/v1/messages',
    parse(input) {
      const parsed = parseMessagesBody(input.body, 'messages');
      if (!parsed.ok) return parseError(parsed);
      const request = parsed.request;
      return {
        model: request.model,
        stream: request.stream === true,
        body: { request, toolNames: new Map() },
        session: sessionSource(request, input.headers),
        features: backgroundFeatures(request),
      };
    },
    toUpstream(exchange, target, context) {
      const translation = toUpstream(
        exchange.request,
        upstreamContext(target, signatures, context.sessionKey),
      );
      exchange.toolNames = translation.toolNames;
      return { request: translation.request, ...accountBinding(target, signatures) };
    },
    responder(parsed, target, context) {
      return createMessagesResponder({
        requestedModel: parsed.model,
        family: target.family,
        toolNames: parsed.body.toolNames,
        signatures,
        ...(context.sessionKey !== undefined ? { sessionKey: context.sessionKey } : {}),
      });
    },
    error: anthropicError,
  };
}

/** `POST /v1/messages/count_tokens` (wire.md §4.6): a real count, never 0 or 501. */
export function countTokensAdapter(signatures: SignatureBook): CountAdapter<MessagesRequest> {
  return {
    protocol: 'anthropic',
    route: '/v1/messages/count_tokens',
    parse(input) {
      const parsed = parseMessagesBody(input.body, 'count_tokens');
      if (!parsed.ok) return parseError(parsed);
      return { model: parsed.request.model, body: parsed.request };
    },
    toUpstream(request, target) {
      const { request: upstream } = toUpstream(request, upstreamContext(target, signatures, undefined));
      // countTokens reads the prompt only (wire.md §2.9): no generation or tool-calling settings.
      const counted: Record<string, unknown> = { contents: upstream.contents };
      if (upstream.systemInstruction !== undefined) counted.systemInstruction = upstream.systemInstruction;
      if (upstream.tools !== undefined) counted.tools = upstream.tools;
      return counted;
    },
    estimate: estimateTokens,
    answer: (inputTokens) => ({ input_tokens: inputTokens }),
    error: anthropicError,
  };
}
