import {
  invalidRequest,
  type ClientInput,
  type GenerateAdapter,
  type ProtocolError,
} from '../../proxy/adapter.ts';
import type { StoredConversations } from '../../proxy/stored-conversations.ts';
import { isPlainObject } from '../../util/json.ts';
import type { SignatureBook } from '../shared/signature-book.ts';
import { accountBinding, upstreamContext } from '../shared/upstream-context.ts';
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
  /** The whole conversation so far as items (stored ones first), kept when the answer is stored. */
  inputItems: unknown[];
  previousResponseId?: string;
}

function inputItemsOf(input: unknown): unknown[] {
  if (typeof input === 'string') return [{ type: 'message', role: 'user', content: input }];
  return Array.isArray(input) ? input : [];
}

/**
 * The body with the stored conversation of `previous_response_id` in front of its input, or an
 * error that says why it cannot be (the setting that is off, or the id that is unknown or expired).
 */
function withPrevious(
  body: Record<string, unknown>,
  store: StoredConversations,
): { body: Record<string, unknown>; previous: string } | ProtocolError {
  const previous = body.previous_response_id as string;
  const hours = store.keepHours();
  if (hours <= 0)
    return invalidRequest(
      `previous_response_id needs stored responses, and the setting proxy.responsesStoreHours is 0: send the whole conversation as input, or raise the setting`,
      'previous_response_id',
    );
  const stored = store.load(previous);
  if (!stored)
    return invalidRequest(
      `Previous response with id '${previous}' not found (responses are kept ${hours} h: proxy.responsesStoreHours).`,
      'previous_response_id',
    );
  const { previous_response_id: _resolved, ...rest } = body;
  return { body: { ...rest, input: [...stored, ...inputItemsOf(body.input)] }, previous };
}

/** `POST /v1/responses` (wire.md §5.6, Codex CLI): Responses ⇄ v1internal, translation only. */
export function responsesAdapter(
  signatures: SignatureBook,
  store: StoredConversations,
): GenerateAdapter<ResponsesExchange> {
  return {
    protocol: 'openai',
    route: '/v1/responses',
    parse(input: ClientInput) {
      let body = input.body;
      let previousResponseId: string | undefined;
      if (isPlainObject(body) && typeof body.previous_response_id === 'string' && body.previous_response_id) {
        const resolved = withPrevious(body, store);
        if ('status' in resolved) return resolved;
        body = resolved.body;
        previousResponseId = resolved.previous;
      }
      const parsed = parseResponsesBody(body);
      if (!parsed.ok) return invalidRequest(parsed.message, parsed.param);
      const request = parsed.request;
      return {
        model: request.model,
        stream: request.stream === true,
        body: {
          request,
          toolNames: new Map(),
          customTools: new Set(),
          inputItems: inputItemsOf(request.input),
          ...(previousResponseId ? { previousResponseId } : {}),
        },
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
      return { request: translation.request, ...accountBinding(target, signatures) };
    },
    responder(parsed, target, context) {
      const exchange = parsed.body;
      const request = exchange.request;
      // Kept unless the client said not to (Codex sends store: false and its whole history).
      const storing = request.store !== false && store.keepHours() > 0;
      return createResponsesResponder({
        requestedModel: parsed.model,
        family: target.family,
        toolNames: parsed.body.toolNames,
        customTools: parsed.body.customTools,
        signatures,
        includeEncryptedReasoning: includesEncryptedReasoning(request),
        echo: {
          ...responseEcho(request),
          store: storing,
          previous_response_id: exchange.previousResponseId ?? null,
        },
        ...(storing
          ? { onFinal: (response) => store.save(response.id, [...exchange.inputItems, ...response.output]) }
          : {}),
        ...(context.sessionKey !== undefined ? { sessionKey: context.sessionKey } : {}),
      });
    },
    error: openaiError,
  };
}
