import { invalidRequest, type GenerateAdapter, type TargetModel } from '../../proxy/adapter.ts';
import { keepSignaturesOf } from '../anthropic/account-signatures.ts';
import type { SignatureBook } from '../shared/signature-book.ts';
import { openaiError } from './errors.ts';
import {
  includesEncryptedReasoning,
  parseResponsesBody,
  type ResponsesRequest,
} from './responses/request-schema.ts';
import { createResponsesResponder } from './responses/responder.ts';
import { responseEcho } from './responses/response-object.ts';
import { backgroundFeatures, sessionSource } from './responses/session.ts';
import { toUpstream } from './responses/to-upstream.ts';

/** One Responses request while it is translated: the body, and what the answer needs of the translation. */
export interface ResponsesExchange {
  request: ResponsesRequest;
  toolNames: ReadonlyMap<string, string>;
  customTools: ReadonlySet<string>;
}

function upstreamContext(target: TargetModel, signatures: SignatureBook, sessionKey: string | undefined) {
  return {
    target: { model: target.model, family: target.family },
    ...(target.limits ? { limits: target.limits } : {}),
    signatures,
    ...(sessionKey !== undefined ? { sessionKey } : {}),
  };
}

/** `POST /v1/responses` (wire.md §5.6, Codex CLI): Responses ⇄ v1internal, translation only. */
export function responsesAdapter(signatures: SignatureBook): GenerateAdapter<ResponsesExchange> {
  return {
    protocol: 'openai',
    route: '/v1/responses',
    parse(input) {
      const parsed = parseResponsesBody(input.body);
      if (!parsed.ok) return invalidRequest(parsed.message, parsed.param);
      const request = parsed.request;
      return {
        model: request.model,
        stream: request.stream === true,
        body: { request, toolNames: new Map(), customTools: new Set() },
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
      exchange.customTools = translation.customTools;
      return {
        request: translation.request,
        // A Claude signature goes back only to the account that issued it (product.md §3).
        ...(target.family === 'claude'
          ? {
              forAccount: (request: Record<string, unknown>, accountId: string) =>
                keepSignaturesOf(request, accountId, signatures),
            }
          : {}),
      };
    },
    responder(parsed, target, context) {
      const request = parsed.body.request;
      return createResponsesResponder({
        requestedModel: parsed.model,
        family: target.family,
        toolNames: parsed.body.toolNames,
        customTools: parsed.body.customTools,
        signatures,
        includeEncryptedReasoning: includesEncryptedReasoning(request),
        echo: responseEcho(request),
        ...(context.sessionKey !== undefined ? { sessionKey: context.sessionKey } : {}),
      });
    },
    error: openaiError,
  };
}
