import type { FastifyError, FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { anthropicError } from '../protocols/anthropic/errors.ts';
import { anthropicModelList, toAnthropicModel } from '../protocols/anthropic/models.ts';
import { geminiErrorReply } from '../protocols/gemini/adapter.ts';
import { toGeminiModel } from '../protocols/gemini/models.ts';
import { geminiModelCall, geminiModelGet, parseGeminiTarget } from '../protocols/gemini/routes.ts';
import { openaiError } from '../protocols/openai/errors.ts';
import { openaiModelList, toOpenAIModel } from '../protocols/openai/models.ts';
import type { ClientReply, ProtocolError } from './adapter.ts';
import { send } from './pipeline.ts';
import type { ProxyRuntime } from './runtime.ts';

export type V1Protocol = 'openai' | 'anthropic' | 'gemini';

/**
 * `/v1` is shared by three APIs (contract.md): Anthropic's routes live under `/v1/messages` and its
 * clients send `anthropic-version`; Gemini's calls are `/v1/models/{model}:{method}`, and its SDKs
 * (which list models on `/v1` too) send `x-goog-api-key` / `x-goog-api-client`; the rest is OpenAI's.
 */
export function v1ProtocolOf(request: FastifyRequest): V1Protocol {
  const path = request.url.split('?')[0] ?? '';
  const headers = request.headers;
  if (path.startsWith('/v1/messages') || headers['anthropic-version'] !== undefined) return 'anthropic';
  if (
    /^\/v1\/models\/[^/]+:[A-Za-z]+$/.test(path) ||
    headers['x-goog-api-key'] !== undefined ||
    headers['x-goog-api-client'] !== undefined
  )
    return 'gemini';
  return 'openai';
}

const SHAPES: Record<V1Protocol, (error: ProtocolError) => ClientReply> = {
  openai: openaiError,
  anthropic: anthropicError,
  gemini: geminiErrorReply,
};

/** An error in the shape of the protocol the request belongs to. */
export function v1ErrorReply(request: FastifyRequest, error: ProtocolError): ClientReply {
  return SHAPES[v1ProtocolOf(request)](error);
}

/**
 * The one `/v1` plugin: the model list and model lookups in the caller's shape, Gemini calls, the
 * front ends' own routes (registered by `extra`), and a 404 in the shape of the protocol whose path it is.
 */
export const v1Routes = (
  proxy: ProxyRuntime,
  extra: ReadonlyArray<(app: FastifyInstance) => Promise<void>> = [],
): FastifyPluginAsync =>
  async function routes(app) {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const status =
        error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
      if (status === 500) request.log.error({ err: error }, 'proxy route failed');
      const message = status === 500 ? 'Internal error; see the server log for details' : error.message;
      return send(reply, v1ErrorReply(request, { status, code: 'invalid_request', message }));
    });
    app.setNotFoundHandler((request, reply) =>
      send(
        reply,
        v1ErrorReply(request, {
          status: 404,
          code: 'not_found',
          message: `No route ${request.method} ${request.url.split('?')[0]}`,
        }),
      ),
    );
    app.addHook(
      'onRequest',
      proxy.pipeline.authHook((error, request) => v1ErrorReply(request, error)),
    );

    app.get('/models', async (request, reply) => {
      const models = proxy.listModels();
      const protocol = v1ProtocolOf(request);
      const body =
        protocol === 'anthropic'
          ? anthropicModelList(models)
          : protocol === 'gemini'
            ? { models: models.map(toGeminiModel) }
            : openaiModelList(models);
      return send(reply, { status: 200, body });
    });
    app.get('/models/*', async (request, reply) => {
      const raw = (request.params as { '*': string })['*'];
      const protocol = v1ProtocolOf(request);
      if (protocol === 'gemini' || raw.startsWith('models/') || raw.startsWith('models%2F'))
        return geminiModelGet(proxy, request, reply);
      const { model } = parseGeminiTarget(raw);
      const found = proxy.listModels().find((candidate) => candidate.id === model);
      if (!found) {
        const message =
          protocol === 'anthropic'
            ? `model: ${model}`
            : `The model \`${model}\` does not exist or you do not have access to it.`;
        return send(
          reply,
          v1ErrorReply(request, { status: 404, code: 'not_found', message, param: 'model' }),
        );
      }
      return send(reply, {
        status: 200,
        body: protocol === 'anthropic' ? toAnthropicModel(found) : toOpenAIModel(found),
      });
    });
    app.post('/models/*', async (request, reply) => geminiModelCall(proxy, request, reply));
    for (const register of extra) await register(app);
  };
