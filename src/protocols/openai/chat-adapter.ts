import { invalidRequest, isProtocolError, type GenerateAdapter } from '../../proxy/adapter.ts';
import type { SignatureBook } from '../shared/signature-book.ts';
import { accountBinding, upstreamContext } from '../shared/upstream-context.ts';
import { parseChatBody, type ChatRequest } from './chat/request-schema.ts';
import { createChatResponder } from './chat/responder.ts';
import { backgroundFeatures, sessionSource } from './chat/session.ts';
import { toUpstream } from './chat/to-upstream.ts';
import { openaiError } from './errors.ts';
import { inlineRemoteImages, type ImageFetcher } from './remote-images.ts';

/** One Chat Completions request while it is translated: the body, and the tool names to restore. */
export interface ChatExchange {
  request: ChatRequest;
  toolNames: ReadonlyMap<string, string>;
}

/** `POST /v1/chat/completions` (wire.md §5.1–5.4): Chat Completions ⇄ v1internal, translation only. */
export function chatAdapter(
  signatures: SignatureBook,
  fetchImage: ImageFetcher,
): GenerateAdapter<ChatExchange> {
  return {
    protocol: 'openai',
    route: '/v1/chat/completions',
    parse(input) {
      const parsed = parseChatBody(input.body);
      if (!parsed.ok) return invalidRequest(parsed.message, parsed.param);
      const request = parsed.request;
      return {
        model: request.model,
        stream: request.stream === true,
        body: { request, toolNames: new Map() },
        session: sessionSource(request),
        features: backgroundFeatures(request),
      };
    },
    toUpstream(exchange, target, context) {
      const translation = toUpstream(
        exchange.request,
        upstreamContext(target, signatures, context.sessionKey),
      );
      exchange.toolNames = translation.toolNames;
      const binding = accountBinding(target, signatures);
      const call = (request: Record<string, unknown>) => ({ request, ...binding });
      if (translation.remoteImages.length === 0) return call(translation.request);
      const urls = translation.remoteImages.map((image) => image.url);
      return inlineRemoteImages(translation.request, urls, fetchImage).then((request) =>
        isProtocolError(request) ? request : call(request),
      );
    },
    responder(parsed, target, context) {
      return createChatResponder({
        requestedModel: parsed.model,
        family: target.family,
        toolNames: parsed.body.toolNames,
        signatures,
        includeUsage: parsed.body.request.stream_options?.include_usage === true,
        ...(context.sessionKey !== undefined ? { sessionKey: context.sessionKey } : {}),
      });
    },
    error: openaiError,
  };
}
