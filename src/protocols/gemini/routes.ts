import type {
  FastifyError,
  FastifyInstance,
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
} from 'fastify';
import type { ProxyRuntime } from '../../proxy/runtime.ts';
import { send } from '../../proxy/pipeline.ts';
import { geminiCountAdapter, geminiErrorReply, geminiGenerateAdapter } from './adapter.ts';
import { toGeminiModel } from './models.ts';

const ADAPTERS = {
  generateContent: geminiGenerateAdapter('generateContent'),
  streamGenerateContent: geminiGenerateAdapter('streamGenerateContent', true),
  streamGenerateContentJson: geminiGenerateAdapter('streamGenerateContent', false),
};

/** `gemini-3-flash:generateContent` or `models%2Fgemini-3-flash:…` → model and method. */
export function parseGeminiTarget(raw: string): { model: string; method?: string } {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    decoded = raw;
  }
  decoded = decoded.replace(/^models\//, '');
  const colon = decoded.lastIndexOf(':');
  if (colon < 0) return { model: decoded };
  return { model: decoded.slice(0, colon), method: decoded.slice(colon + 1) };
}

const geminiError = (reply: FastifyReply, status: number, message: string) =>
  send(reply, geminiErrorReply({ status, code: status === 404 ? 'not_found' : 'invalid_request', message }));

/** `POST …/models/{model}:{method}`, shared by `/v1beta` and the `/v1` dispatcher. */
export async function geminiModelCall(
  proxy: ProxyRuntime,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const { model, method } = parseGeminiTarget((request.params as { '*': string })['*']);
  (request.params as Record<string, string>).model = model;
  switch (method) {
    case 'generateContent':
      return proxy.pipeline.generate(ADAPTERS.generateContent, request, reply);
    case 'streamGenerateContent':
      return proxy.pipeline.generate(
        (request.query as Record<string, unknown>).alt === 'sse'
          ? ADAPTERS.streamGenerateContent
          : ADAPTERS.streamGenerateContentJson,
        request,
        reply,
      );
    case 'countTokens':
      return proxy.pipeline.countTokens(geminiCountAdapter, request, reply);
    default:
      return geminiError(reply, 404, `Method not found: ${method ?? '(none)'}`);
  }
}

/** `GET …/models/{model}` in the Gemini shape. */
export function geminiModelGet(proxy: ProxyRuntime, request: FastifyRequest, reply: FastifyReply) {
  const { model } = parseGeminiTarget((request.params as { '*': string })['*']);
  const found = proxy.listModels().find((candidate) => candidate.id === model);
  if (!found)
    return geminiError(
      reply,
      404,
      `models/${model} is not found for API version v1beta. Call ListModels to see the list of available models.`,
    );
  return send(reply, { status: 200, body: toGeminiModel(found) });
}

/** Errors the framework raises on these routes (bad JSON, body too large) in Google's shape. */
export function geminiErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const status =
    error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  if (status === 500) request.log.error({ err: error }, 'gemini route failed');
  return geminiError(
    reply,
    status,
    status === 500 ? 'Internal error; see the server log for details' : error.message,
  );
}

/** The public Gemini API (wire.md §3) under `/v1beta`: routes only; the pipeline does the rest. */
export const geminiRoutes = (proxy: ProxyRuntime): FastifyPluginAsync =>
  async function routes(app: FastifyInstance) {
    app.setErrorHandler(geminiErrorHandler);
    app.setNotFoundHandler((request, reply) =>
      geminiError(reply, 404, `Method not found: ${request.method} ${request.url.split('?')[0]}`),
    );
    app.addHook('onRequest', proxy.pipeline.authHook(geminiErrorReply));
    app.get('/models', async (_request, reply) =>
      send(reply, { status: 200, body: { models: proxy.listModels().map(toGeminiModel) } }),
    );
    app.get('/models/*', async (request, reply) => geminiModelGet(proxy, request, reply));
    app.post('/models/*', async (request, reply) => geminiModelCall(proxy, request, reply));
  };
