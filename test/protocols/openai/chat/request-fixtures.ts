/**
 * Client bodies as OpenAI-compatible clients send them, for the request-side tests.
 */
import { parseChatBody, type ChatRequest } from '../../../../src/protocols/openai/chat/request-schema.ts';

type Json = Record<string, unknown>;

export const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

export function parse(body: unknown): ChatRequest {
  const result = parseChatBody(body);
  if (!result.ok) throw new Error(`${result.param}: ${result.message}`);
  return result.request;
}

/** Cherry Studio: a system prompt, an image by data URL, sampling defaults, reasoning effort, usage on. */
export function cherryStudioRequest(): Json {
  return {
    model: 'gemini-3-flash',
    messages: [
      { role: 'system', content: 'You are a helpful assistant.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in this picture?' },
          { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_BASE64}` } },
        ],
      },
    ],
    stream: true,
    stream_options: { include_usage: true },
    temperature: 0.7,
    top_p: 1,
    reasoning_effort: 'medium',
    max_tokens: 4096,
  };
}

/** Open WebUI: a multi-turn chat with a system prompt and its own metadata fields. */
export function openWebUiRequest(): Json {
  return {
    model: 'claude-sonnet-4-6',
    stream: true,
    messages: [
      { role: 'system', content: 'Answer in English.' },
      { role: 'user', content: 'Hi, who are you?' },
      { role: 'assistant', content: 'I am an AI assistant. How can I help?' },
      { role: 'user', content: 'Summarise the plot of Hamlet in one sentence.' },
    ],
    // Open WebUI's own fields, unknown to OpenAI.
    chat_id: 'c5b1b6e4-1c9a-4f39-9a57-7f0d6e4d7c11',
    id: 'f0e1d2c3-b4a5-4697-8879-6a5b4c3d2e1f',
    session_id: 'u3pX1x4yVb3Qz9AAAB',
    features: { web_search: false },
    variables: { '{{USER_NAME}}': 'dev' },
    user: { id: 'user-1', name: 'dev' },
  };
}

export const WEATHER_TOOL = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Get the current weather in a city',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' } },
      required: ['city'],
      additionalProperties: false,
    },
    strict: true,
  },
};

/**
 * The second request of the openai SDK's tool loop (`runTools`): the assistant message of the
 * first answer as the SDK hands it back (with `refusal`, `parsed`, `annotations`), then the results.
 */
export function sdkToolLoopRequest(assistant: Json = sdkAssistantMessage()): Json {
  return {
    model: 'gemini-3-flash',
    messages: [
      { role: 'developer', content: 'Use the tools.' },
      { role: 'user', content: 'Weather and time in Paris?' },
      assistant,
      { role: 'tool', tool_call_id: 'call_w1', content: '18\u00b0C, cloudy' },
      { role: 'tool', tool_call_id: 'call_t1', content: [{ type: 'text', text: '14:05 CEST' }] },
    ],
    tools: [
      WEATHER_TOOL,
      {
        type: 'function',
        function: {
          name: 'get.time',
          parameters: { type: 'object', properties: { tz: { type: 'string' } } },
        },
      },
    ],
    tool_choice: 'auto',
    parallel_tool_calls: true,
    stream: true,
  };
}

export function sdkAssistantMessage(): Json {
  return {
    role: 'assistant',
    content: null,
    refusal: null,
    annotations: [],
    parsed: null,
    tool_calls: [
      { id: 'call_w1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      { id: 'call_t1', type: 'function', function: { name: 'get.time', arguments: '{"tz":"Europe/Paris"}' } },
    ],
  };
}
