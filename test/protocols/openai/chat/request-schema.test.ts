import { describe, expect, it } from 'vitest';
import { parseChatBody } from '../../../../src/protocols/openai/chat/request-schema.ts';
import { cherryStudioRequest, openWebUiRequest, sdkToolLoopRequest } from './request-fixtures.ts';

type Json = Record<string, unknown>;

const base = (extra: Json = {}): Json => ({
  model: 'gemini-3-flash',
  messages: [{ role: 'user', content: 'hi' }],
  ...extra,
});

function refused(body: unknown): { message: string; param?: string } {
  const result = parseChatBody(body);
  if (result.ok) throw new Error('accepted');
  return { message: result.message, ...(result.param !== undefined ? { param: result.param } : {}) };
}

describe('accepted bodies', () => {
  it.each([
    ['Cherry Studio', cherryStudioRequest()],
    ['Open WebUI', openWebUiRequest()],
    ['the openai SDK tool loop', sdkToolLoopRequest()],
  ])('%s', (_name, body) => {
    expect(parseChatBody(body).ok).toBe(true);
  });

  it('unknown fields are accepted and left out; null means not set', () => {
    const result = parseChatBody(
      base({
        metadata: { a: 'b' },
        store: false,
        logprobs: null,
        modalities: ['text'],
        service_tier: 'auto',
        verbosity: 'low',
        max_tokens: null,
        temperature: null,
        web_search_options: {},
      }),
    );
    expect(result.ok && result.request).toEqual({
      model: 'gemini-3-flash',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: null,
      temperature: null,
    });
  });

  it('tool call arguments are parsed once; empty arguments are {}; an object is taken as it is', () => {
    const result = parseChatBody(
      base({
        messages: [
          { role: 'user', content: 'go' },
          {
            role: 'assistant',
            tool_calls: [
              { id: 'a', type: 'function', function: { name: 'f', arguments: '{"x":[1,2]}' } },
              { id: 'b', type: 'function', function: { name: 'g', arguments: '' } },
              { id: 'c', function: { name: 'h', arguments: { y: true } } },
            ],
          },
        ],
      }),
    );
    const assistant = result.ok ? result.request.messages[1] : undefined;
    expect(
      assistant?.role === 'assistant' && assistant.tool_calls?.map((call) => call.function.arguments),
    ).toEqual([{ x: [1, 2] }, {}, { y: true }]);
  });

  it('n: 1 is fine', () => {
    expect(parseChatBody(base({ n: 1 })).ok).toBe(true);
  });
});

describe('refused bodies: OpenAI-worded messages naming the parameter', () => {
  it('not an object', () => {
    expect(refused([1, 2]).message).toMatch(/could not parse the JSON body/);
  });

  it('missing and empty top-level fields', () => {
    expect(refused({ messages: [] })).toEqual({
      param: 'model',
      message: "Missing required parameter: 'model'.",
    });
    expect(refused({ model: 'm' })).toEqual({
      param: 'messages',
      message: "Missing required parameter: 'messages'.",
    });
    expect(refused({ model: 'm', messages: [] })).toEqual({
      param: 'messages',
      message:
        "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
    });
  });

  it('a role OpenAI does not know, and a missing role', () => {
    expect(refused(base({ messages: [{ role: 'bot', content: 'x' }] }))).toEqual({
      param: 'messages[0].role',
      message:
        "Invalid value: 'bot'. Supported values are: 'system', 'developer', 'user', 'assistant', 'tool', and 'function'.",
    });
    expect(refused(base({ messages: [{ content: 'x' }] }))).toEqual({
      param: 'messages[0].role',
      message: "Missing required parameter: 'messages[0].role'.",
    });
  });

  it('content of the wrong type, and missing content', () => {
    expect(
      refused(
        base({
          messages: [
            { role: 'user', content: 'a' },
            { role: 'user', content: 5 },
          ],
        }),
      ),
    ).toEqual({
      param: 'messages[1].content',
      message:
        "Invalid type for 'messages[1].content': expected one of a string or an array, but got an integer instead.",
    });
    expect(refused(base({ messages: [{ role: 'user' }] }))).toEqual({
      param: 'messages[0].content',
      message: "Missing required parameter: 'messages[0].content'.",
    });
  });

  it('a content part of an unknown type, and a part missing its field', () => {
    expect(refused(base({ messages: [{ role: 'user', content: [{ type: 'video', url: 'x' }] }] }))).toEqual({
      param: 'messages[0].content[0].type',
      message:
        "Invalid value: 'video'. Supported values are: 'text', 'image_url', 'input_audio', and 'file'.",
    });
    expect(
      refused(
        base({ messages: [{ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'image_url' }] }] }),
      ),
    ).toEqual({
      param: 'messages[0].content[1].image_url',
      message: "Missing required parameter: 'messages[0].content[1].image_url'.",
    });
  });

  it('images: a data URL that is not base64, a URL of another scheme', () => {
    const image = (url: string) =>
      base({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url } }] }] });
    expect(refused(image('data:image/png,rawbytes'))).toEqual({
      param: 'messages[0].content[0].image_url.url',
      message:
        "Invalid 'messages[0].content[0].image_url.url': a data URL must be base64 (data:<mime>;base64,<data>).",
    });
    expect(refused(image('file:///etc/passwd')).param).toBe('messages[0].content[0].image_url.url');
  });

  it('a file part without file_data; a file_id this proxy cannot read', () => {
    const file = (f: Json) => base({ messages: [{ role: 'user', content: [{ type: 'file', file: f }] }] });
    expect(refused(file({ filename: 'a.pdf' }))).toMatchObject({
      param: 'messages[0].content[0].file.file_data',
    });
    expect(refused(file({ file_id: 'file-abc' })).message).toMatch(/file_id\) are not available/);
  });

  it('tool call arguments that are not JSON, or not an object', () => {
    const call = (args: unknown) =>
      base({
        messages: [
          { role: 'user', content: 'go' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: args } }],
          },
        ],
      });
    expect(refused(call('{"city": "Par'))).toEqual({
      param: 'messages[1].tool_calls[0].function.arguments',
      message:
        "Invalid 'messages[1].tool_calls[0].function.arguments': expected a JSON object, but the string is not valid JSON.",
    });
    expect(refused(call('[1]')).message).toMatch(/expected a JSON object\.$/);
    expect(refused(call('{"a":' + '['.repeat(80) + ']'.repeat(80) + '}')).message).toMatch(/nests deeper/);
  });

  it('a tool message without tool_call_id', () => {
    expect(refused(base({ messages: [{ role: 'tool', content: 'x' }] }))).toEqual({
      param: 'messages[0].tool_call_id',
      message: "Missing required parameter: 'messages[0].tool_call_id'.",
    });
  });

  it('n > 1: the model cannot', () => {
    expect(refused(base({ n: 3 }))).toEqual({
      param: 'n',
      message: "Invalid 'n': the models behind this proxy return one choice per request, so n must be 1.",
    });
    expect(refused(base({ n: 0 }))).toEqual({
      param: 'n',
      message: "Invalid 'n': integer below minimum value. Expected a value >= 1, but got 0 instead.",
    });
  });

  it('numbers out of range or of the wrong type', () => {
    expect(refused(base({ temperature: 3 }))).toEqual({
      param: 'temperature',
      message:
        "Invalid 'temperature': integer above maximum value. Expected a value <= 2, but got 3 instead.",
    });
    expect(refused(base({ max_completion_tokens: 10.5 }))).toEqual({
      param: 'max_completion_tokens',
      message: "Invalid type for 'max_completion_tokens': expected an integer, but got a decimal instead.",
    });
    expect(refused(base({ stream: 'yes' })).param).toBe('stream');
  });

  it('tools, tool_choice, response_format and reasoning_effort', () => {
    expect(refused(base({ tools: [{ type: 'function' }] }))).toEqual({
      param: 'tools[0].function',
      message: "Missing required parameter: 'tools[0].function'.",
    });
    expect(
      refused(base({ tools: [{ type: 'function', function: { name: 'f', parameters: 'x' } }] })),
    ).toEqual({
      param: 'tools[0].function.parameters',
      message:
        "Invalid type for 'tools[0].function.parameters': expected an object, but got a string instead.",
    });
    expect(refused(base({ tool_choice: 'sometimes' })).param).toBe('tool_choice');
    expect(refused(base({ tool_choice: { type: 'function', function: {} } })).param).toBe(
      'tool_choice.function.name',
    );
    expect(refused(base({ response_format: { type: 'yaml' } }))).toEqual({
      param: 'response_format.type',
      message: "Invalid value: 'yaml'. Supported values are: 'text', 'json_object', and 'json_schema'.",
    });
    expect(refused(base({ reasoning_effort: 'extreme' })).message).toBe(
      "Invalid value: 'extreme'. Supported values are: 'none', 'minimal', 'low', 'medium', 'high', 'xhigh', and 'max'.",
    );
  });

  it('never throws, even on a body whose getter throws', () => {
    const body = base();
    Object.defineProperty(body, 'messages', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(parseChatBody(body).ok).toBe(false);
  });
});
