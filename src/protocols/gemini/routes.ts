import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { EngineRequest } from '../../engine/engine.ts';
import { EngineError, type StreamBrokenError } from '../../engine/errors.ts';
import type { ProxyRuntime } from '../../proxy/runtime.ts';
import { firstText, sessionHash, sessionKeyFor } from '../../proxy/session-key.ts';
import type { RequestFeatures } from '../../models/background.ts';
import { googleError } from './errors.ts';
import { assembleResponse, unwrapChunk } from './from-upstream.ts';
import { toGeminiModel } from './models.ts';
import { toCountTokensRequest, toUpstreamRequest } from './to-upstream.ts';

type Method = 'generateContent' | 'streamGenerateContent' | 'countTokens';
const METHODS = new Set<string>(['generateContent', 'streamGenerateContent', 'countTokens']);

/** `gemini-3-flash:generateContent` or `models%2Fgemini-3-flash:…` → model and method. */
function parseTarget(raw: string): { model: string; method?: string } {
  const decoded = decodeURIComponent(raw).replace(/^models\//, '');
  const colon = decoded.lastIndexOf(':');
  if (colon < 0) return { model: decoded };
  return { model: decoded.slice(0, colon), method: decoded.slice(colon + 1) };
}

function sendError(
  reply: FastifyReply,
  status: number,
  message: string,
  retryAfterSeconds?: number,
): FastifyReply {
  if (retryAfterSeconds !== undefined) reply.header('retry-after', String(retryAfterSeconds));
  return reply
    .code(status)
    .type('application/json')
    .send(googleError(status, message, retryAfterSeconds));
}

/** Waits until the socket can take more, so a slow client slows the upstream read instead of growing memory. */
function write(reply: FastifyReply, text: string): Promise<void> | undefined {
  if (reply.raw.write(text)) return undefined;
  return new Promise((resolve) => {
    const done = () => {
      reply.raw.off('drain', done);
      reply.raw.off('close', done);
      resolve();
    };
    reply.raw.on('drain', done);
    reply.raw.on('close', done);
  });
}

/** The public Gemini API (wire.md §3) on top of the engine: it only translates. */
export const geminiRoutes = (proxy: ProxyRuntime): FastifyPluginAsync =>
  async function routes(app) {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const status =
        error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
      if (status === 500) request.log.error({ err: error }, 'gemini route failed');
      return sendError(
        reply,
        status,
        status === 500 ? 'Internal error; see the server log for details' : error.message,
      );
    });
    app.setNotFoundHandler((request, reply) =>
      sendError(reply, 404, `Method not found: ${request.method} ${request.url.split('?')[0]}`),
    );
    app.addHook('onRequest', (request, reply, done) => {
      const auth = proxy.clientAuth.check(request);
      if (!auth.ok) {
        sendError(reply, 401, auth.message);
        return;
      }
      (request as FastifyRequest & { clientKey?: string }).clientKey = auth.clientKey;
      done();
    });

    app.get('/models', async () => ({ models: proxy.listModels().map(toGeminiModel) }));

    app.get('/models/*', async (request, reply) => {
      const { model } = parseTarget((request.params as { '*': string })['*']);
      const found = proxy.listModels().find((candidate) => candidate.id === model);
      if (!found)
        return sendError(
          reply,
          404,
          `models/${model} is not found for API version v1beta. Call ListModels to see the list of available models.`,
        );
      return toGeminiModel(found);
    });

    app.post('/models/*', async (request, reply) => {
      const { model, method } = parseTarget((request.params as { '*': string })['*']);
      if (!method || !METHODS.has(method))
        return sendError(reply, 404, `Method not found: ${method ?? '(none)'}`);
      if (!model) return sendError(reply, 400, 'The model name is missing from the path');
      if (method === 'countTokens') return countTokens(request, reply, model);
      return generate(request, reply, model, method as Method);
    });

    async function countTokens(request: FastifyRequest, reply: FastifyReply, model: string) {
      const translated = toCountTokensRequest(request.body);
      if (!translated.ok) return sendError(reply, 400, translated.message);
      try {
        return {
          totalTokens: await proxy.countTokens(
            proxy.routeModel(model).upstream,
            translated.request,
            abortOnClose(request, reply),
          ),
        };
      } catch (error) {
        const failure =
          error instanceof EngineError
            ? error
            : new EngineError(502, 'count_failed', (error as Error).message);
        return sendError(reply, failure.status, failure.message, failure.retryAfterSeconds);
      }
    }

    /** The engine request for a generate call, or the message of the client error to answer. */
    function prepareGenerate(
      request: FastifyRequest,
      model: string,
      method: Method,
      signal: AbortSignal,
    ): EngineRequest | string {
      const startedAt = Date.now();
      const mapped = proxy.routeModel(model);
      let translated = toUpstreamRequest(request.body, mapped.upstream);
      if (!translated.ok) return translated.message;
      const routed = proxy.routeModel(
        model,
        requestFeatures(translated.request, request.headers['user-agent']),
      );
      if (routed.upstream !== mapped.upstream) translated = toUpstreamRequest(request.body, routed.upstream);
      if (!translated.ok) return translated.message;
      const clientKey = (request as FastifyRequest & { clientKey?: string }).clientKey;
      const key = sessionKeyFor({
        headers: request.headers,
        clientKey,
        firstSystemText: firstText(
          translated.request.systemInstruction
            ? [{ ...(translated.request.systemInstruction as object), role: 'system' }]
            : [],
          'system',
        ),
        firstUserText: firstText(translated.request.contents, 'user'),
      });
      return {
        protocol: 'gemini',
        route: `/v1beta/models/{model}:${method}`,
        model: routed,
        request: translated.request,
        sessionKey: key,
        sessionHash: sessionHash(key),
        clientKey,
        stream: method === 'streamGenerateContent',
        signal,
        startedAt,
      };
    }

    async function generate(request: FastifyRequest, reply: FastifyReply, model: string, method: Method) {
      const signal = abortOnClose(request, reply);
      let engineRequest: EngineRequest | string | undefined = prepareGenerate(request, model, method, signal);
      if (typeof engineRequest === 'string') return sendError(reply, 400, engineRequest);
      const stream = engineRequest.stream;
      const sse = (request.query as Record<string, unknown>).alt === 'sse';
      let opened;
      try {
        opened = await proxy.engine.open(engineRequest);
      } catch (error) {
        if (signal.aborted) return reply;
        const failure =
          error instanceof EngineError ? error : new EngineError(500, 'internal_error', 'Internal error');
        return sendError(reply, failure.status, failure.message, failure.retryAfterSeconds);
      }
      // The upstream has the request now: an open stream should not keep the client's body (often
      // hundreds of KB of conversation) alive until it ends.
      // eslint-disable-next-line no-useless-assignment -- drops the last reference for the garbage collector
      engineRequest = undefined;
      (request as { body?: unknown }).body = undefined;

      if (!stream) {
        const chunks = [opened.first];
        try {
          for await (const chunk of opened.rest) chunks.push(chunk);
        } catch (error) {
          const broken = error as StreamBrokenError;
          return sendError(reply, broken.status ?? 502, broken.message);
        }
        return assembleResponse(chunks);
      }

      reply.hijack();
      reply.raw.writeHead(200, {
        'content-type': sse ? 'text/event-stream' : 'application/json',
        'cache-control': 'no-cache',
        'x-accel-buffering': 'no',
      });
      const frame = (body: unknown, index: number) =>
        sse
          ? `data: ${JSON.stringify(body)}\r\n\r\n`
          : `${index === 0 ? '[' : ',\r\n'}${JSON.stringify(body)}`;
      let index = 0;
      try {
        await write(reply, frame(unwrapChunk(opened.first), index++));
        for await (const chunk of opened.rest) {
          if (reply.raw.destroyed) break;
          await write(reply, frame(unwrapChunk(chunk), index++));
        }
        if (!sse) await write(reply, ']');
      } catch (error) {
        // After the first byte the status is sent: the error travels as a last event (wire.md §3).
        const broken = error as StreamBrokenError;
        if (!reply.raw.destroyed)
          await write(
            reply,
            frame(googleError(broken.status ?? 502, broken.message ?? 'The stream failed'), index),
          );
        if (!sse && !reply.raw.destroyed) await write(reply, ']');
      }
      reply.raw.end();
      return reply;
    }
  };

/** What background-task routing looks at (product.md §4). */
function requestFeatures(request: Record<string, unknown>, userAgent: string | undefined): RequestFeatures {
  const system = request.systemInstruction as { parts?: Array<{ text?: unknown }> } | undefined;
  const systemText = (system?.parts ?? [])
    .map((part) => (typeof part.text === 'string' ? part.text : ''))
    .join('');
  const contents = request.contents as Array<{ role?: string }>;
  const userTurns = contents.filter((content) => content.role === 'user');
  const userTexts = [userTurns[0], userTurns.at(-1)].map(
    (turn) => firstText(turn ? [turn] : [], 'user') ?? '',
  );
  const tools = (request.tools as Array<{ functionDeclarations?: unknown[] }> | undefined) ?? [];
  const config = request.generationConfig as { maxOutputTokens?: number } | undefined;
  return {
    protocol: 'gemini',
    systemTexts: systemText ? [systemText] : [],
    userTexts,
    maxTokens: config?.maxOutputTokens,
    toolCount: tools.reduce((sum, tool) => sum + (tool.functionDeclarations?.length ?? 1), 0),
    headers: { 'user-agent': userAgent },
  };
}

/** An AbortSignal that fires when the client goes away before the answer is complete. */
function abortOnClose(request: FastifyRequest, reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) controller.abort(new Error('client closed the connection'));
  });
  request.raw.on('aborted', () => controller.abort(new Error('client aborted')));
  return controller.signal;
}
