// The parts of undici the app uses, imported from their own files: undici's index also loads
// fetch, WebSocket, EventSource, caches and mocks, which cost the process memory at start and
// are never used here. The types are undici's own.
import type * as Undici from 'undici';
import AgentImplementation from 'undici/lib/dispatcher/agent.js';
import ProxyAgentImplementation from 'undici/lib/dispatcher/proxy-agent.js';
import requestImplementation from 'undici/lib/api/api-request.js';

export const Agent = AgentImplementation as typeof Undici.Agent;
export const ProxyAgent = ProxyAgentImplementation as typeof Undici.ProxyAgent;
export type Dispatcher = Undici.Dispatcher;

/** `undici.request(url, options)` with an explicit dispatcher. */
export function request(
  url: string,
  options: Omit<Undici.Dispatcher.RequestOptions, 'origin' | 'path'> & { dispatcher: Undici.Dispatcher },
): Promise<Undici.Dispatcher.ResponseData> {
  const { dispatcher, ...rest } = options;
  const parsed = new URL(url);
  return (
    requestImplementation as (
      this: Undici.Dispatcher,
      options: Undici.Dispatcher.RequestOptions,
    ) => Promise<Undici.Dispatcher.ResponseData>
  ).call(dispatcher, { ...rest, origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` });
}
