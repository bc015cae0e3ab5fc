import type { FastifyInstance } from 'fastify';
import type { ProxyRuntime } from '../../proxy/runtime.ts';
import { chatAdapter } from './chat-adapter.ts';
import { imagesAdapter } from './images.ts';
import { responsesAdapter } from './responses-adapter.ts';

/** The OpenAI routes, inside the shared `/v1` plugin (auth, CORS and OpenAI's error shape by path). */
export function openaiRoutes(proxy: ProxyRuntime) {
  const chat = chatAdapter(proxy.signatures, proxy.fetchImage);
  const responses = responsesAdapter(proxy.signatures, proxy.conversations);
  return async (app: FastifyInstance): Promise<void> => {
    app.post('/chat/completions', (request, reply) => proxy.pipeline.generate(chat, request, reply));
    app.post('/responses', (request, reply) => proxy.pipeline.generate(responses, request, reply));
    app.post('/images/generations', (request, reply) =>
      proxy.pipeline.generate(imagesAdapter, request, reply),
    );
  };
}
