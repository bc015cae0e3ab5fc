/**
 * The Response object (wire.md §5.6, OSDK `Response`): what every lifecycle event carries and the
 * non-stream answer is. Besides the output, it echoes the request's settings, as OpenAI's API does.
 * `output_text` is not sent: it is the SDKs' own convenience, computed from `output`.
 */
import type { ResponsesRequest } from './request-schema.ts';
import type { OutputItem } from './output-items.ts';
import type { ResponsesUsage } from './usage.ts';

/** The request's settings as the Response repeats them. */
export interface ResponseEcho {
  instructions: unknown;
  max_output_tokens: number | null;
  parallel_tool_calls: boolean;
  prompt_cache_key: string | null;
  reasoning: { effort: string | null; summary: string | null };
  temperature: number | null;
  text: { format: unknown; verbosity?: string };
  tool_choice: unknown;
  tools: unknown[];
  top_p: number | null;
  metadata: Record<string, string>;
  /** Whether the response is kept for `previous_response_id` (the adapter decides; default false). */
  store?: boolean;
  previous_response_id?: string | null;
}

/** The echo of a validated request (the tools as this proxy understood them). */
export function responseEcho(request: ResponsesRequest): ResponseEcho {
  const text: ResponseEcho['text'] = { format: request.text?.format ?? { type: 'text' } };
  if (request.text?.verbosity) text.verbosity = request.text.verbosity;
  return {
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    prompt_cache_key: request.prompt_cache_key ?? null,
    reasoning: { effort: request.reasoning?.effort ?? null, summary: request.reasoning?.summary ?? null },
    temperature: request.temperature ?? null,
    text,
    tool_choice: request.tool_choice ?? 'auto',
    tools: request.tools ?? [],
    top_p: request.top_p ?? null,
    metadata: request.metadata ?? {},
  };
}

/** What is echoed when the responder was given no request (tests, hand-made responders). */
export const EMPTY_ECHO: ResponseEcho = {
  instructions: null,
  max_output_tokens: null,
  parallel_tool_calls: true,
  prompt_cache_key: null,
  reasoning: { effort: null, summary: null },
  temperature: null,
  text: { format: { type: 'text' } },
  tool_choice: 'auto',
  tools: [],
  top_p: null,
  metadata: {},
};

export type ResponseStatus = 'in_progress' | 'completed' | 'incomplete' | 'failed';

export interface ResponseObject extends ResponseEcho {
  id: string;
  object: 'response';
  created_at: number;
  status: ResponseStatus;
  background: false;
  error: { code: string; message: string } | null;
  incomplete_details: { reason: 'max_output_tokens' | 'content_filter' } | null;
  model: string;
  output: OutputItem[];
  previous_response_id: string | null;
  /** Whether a later request may refer to this one (`previous_response_id`). */
  store: boolean;
  truncation: 'disabled';
  usage: ResponsesUsage | null;
}

export interface ResponseIdentity {
  id: string;
  createdAt: number;
  model: string;
  echo: ResponseEcho;
}

export function responseObject(
  identity: ResponseIdentity,
  state: {
    status: ResponseStatus;
    output: OutputItem[];
    usage?: ResponsesUsage;
    error?: ResponseObject['error'];
    incompleteReason?: 'max_output_tokens' | 'content_filter';
  },
): ResponseObject {
  return {
    id: identity.id,
    object: 'response',
    created_at: identity.createdAt,
    status: state.status,
    background: false,
    error: state.error ?? null,
    incomplete_details: state.incompleteReason ? { reason: state.incompleteReason } : null,
    model: identity.model,
    output: state.output,
    previous_response_id: null,
    store: false,
    truncation: 'disabled',
    usage: state.usage ?? null,
    ...identity.echo,
  };
}
