import { describe, expect, it } from 'vitest';
import { NO_TOOLS_INSTRUCTION } from '../../../../src/protocols/anthropic/to-upstream.ts';
import { INTERRUPTED_RESULT } from '../../../../src/protocols/openai/chat/messages.ts';
import { toUpstream, type UpstreamContext } from '../../../../src/protocols/openai/chat/to-upstream.ts';
import { SignatureBook } from '../../../../src/protocols/shared/signature-book.ts';
import {
  cherryStudioRequest,
  openWebUiRequest,
  parse,
  PNG_BASE64,
  sdkAssistantMessage,
  sdkToolLoopRequest,
  WEATHER_TOOL,
} from './request-fixtures.ts';

type Json = Record<string, unknown>;

const CLAUDE: UpstreamContext['target'] = { model: 'claude-sonnet-4-6', family: 'claude' };
const GEMINI: UpstreamContext['target'] = { model: 'gemini-3-flash', family: 'gemini' };
const CLAUDE_LIMITS = { maxOutputTokens: 64000, thinkingBudget: { min: 1024, max: 64000 } };

function translate(body: Json, target = GEMINI, limits?: UpstreamContext['limits']) {
  return toUpstream(parse(body), { target, signatures: new SignatureBook(), ...(limits ? { limits } : {}) });
}
const upstream = (body: Json, target = GEMINI, limits?: UpstreamContext['limits']) =>
  translate(body, target, limits).request;
const user = (content: unknown) => ({ role: 'user', content });
const body = (messages: unknown[], extra: Json = {}): Json => ({ model: 'm', messages, ...extra });

describe('realistic clients', () => {
  it('Cherry Studio to Gemini 3: system, image by data URL, sampling, reasoning_effort as a level', () => {
    expect(upstream(cherryStudioRequest())).toEqual({
      contents: [
        {
          role: 'user',
          parts: [
            { text: 'What is in this picture?' },
            { inlineData: { mimeType: 'image/png', data: PNG_BASE64 } },
          ],
        },
      ],
      systemInstruction: { role: 'user', parts: [{ text: 'You are a helpful assistant.' }] },
      generationConfig: {
        maxOutputTokens: 4096,
        thinkingConfig: { includeThoughts: true, thinkingLevel: 'medium' },
        temperature: 0.7,
        topP: 1,
      },
    });
  });

  it('Cherry Studio to Claude: a budget under maxOutputTokens, no sampling changes while thinking', () => {
    expect(upstream(cherryStudioRequest(), CLAUDE, CLAUDE_LIMITS).generationConfig).toEqual({
      maxOutputTokens: 16384 + 8192,
      thinkingConfig: { includeThoughts: true, thinkingBudget: 16384 },
    });
  });

  it('Open WebUI to Claude: turns as they are, its own fields ignored', () => {
    expect(upstream(openWebUiRequest(), CLAUDE)).toEqual({
      contents: [
        { role: 'user', parts: [{ text: 'Hi, who are you?' }] },
        { role: 'model', parts: [{ text: 'I am an AI assistant. How can I help?' }] },
        { role: 'user', parts: [{ text: 'Summarise the plot of Hamlet in one sentence.' }] },
      ],
      systemInstruction: { role: 'user', parts: [{ text: 'Answer in English.' }] },
    });
  });

  it('the openai SDK tool loop: calls with parsed args, responses in call order, names sanitised and restorable', () => {
    const request = sdkToolLoopRequest();
    // Results arriving in another order than the calls.
    const messages = request.messages as Json[];
    [messages[3], messages[4]] = [messages[4]!, messages[3]!];
    const { request: out, toolNames } = translate(request);
    expect(out).toEqual({
      contents: [
        { role: 'user', parts: [{ text: 'Weather and time in Paris?' }] },
        {
          role: 'model',
          parts: [
            { functionCall: { id: 'call_w1', name: 'get_weather', args: { city: 'Paris' } } },
            { functionCall: { id: 'call_t1', name: 'get_time', args: { tz: 'Europe/Paris' } } },
          ],
        },
        {
          role: 'user',
          parts: [
            {
              functionResponse: {
                id: 'call_w1',
                name: 'get_weather',
                response: { result: '18\u00b0C, cloudy' },
              },
            },
            { functionResponse: { id: 'call_t1', name: 'get_time', response: { result: '14:05 CEST' } } },
          ],
        },
      ],
      systemInstruction: { role: 'user', parts: [{ text: 'Use the tools.' }] },
      tools: [
        {
          functionDeclarations: [
            {
              name: 'get_weather',
              description: 'Get the current weather in a city',
              // As given: the target rules clean schemas later.
              parameters: WEATHER_TOOL.function.parameters,
            },
            { name: 'get_time', parameters: { type: 'object', properties: { tz: { type: 'string' } } } },
          ],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: 'AUTO' } },
    });
    expect(toolNames).toEqual(
      new Map([
        ['get_weather', 'get_weather'],
        ['get_time', 'get.time'],
      ]),
    );
  });
});

describe('messages', () => {
  it('system and developer messages anywhere join the system instruction, in order', () => {
    const out = upstream(
      body([
        { role: 'developer', content: [{ type: 'text', text: 'First.' }] },
        user('hi'),
        { role: 'system', content: 'Second.' },
        user('again'),
        { role: 'system', content: '   ' },
      ]),
    );
    expect(out.systemInstruction).toEqual({ role: 'user', parts: [{ text: 'First.' }, { text: 'Second.' }] });
    expect(out.contents).toEqual([{ role: 'user', parts: [{ text: 'hi' }, { text: 'again' }] }]);
  });

  it('consecutive roles merge; an assistant message with null content and nothing else is dropped', () => {
    const out = upstream(
      body([user('a'), { role: 'assistant', content: null }, user('b'), { role: 'assistant', content: 'c' }]),
    );
    expect(out.contents).toEqual([
      { role: 'user', parts: [{ text: 'a' }, { text: 'b' }] },
      { role: 'model', parts: [{ text: 'c' }] },
    ]);
  });

  it('Gemini: a conversation opening with the assistant gets a user turn first; Claude does not; none at all gets one', () => {
    const messages = [{ role: 'assistant', content: 'Welcome!' }, user('hi')];
    expect((upstream(body(messages)).contents as Json[])[0]).toEqual({
      role: 'user',
      parts: [{ text: '.' }],
    });
    expect((upstream(body(messages), CLAUDE).contents as Json[])[0]).toEqual({
      role: 'model',
      parts: [{ text: 'Welcome!' }],
    });
    expect(upstream(body([{ role: 'system', content: 'Only a system prompt.' }])).contents).toEqual([
      { role: 'user', parts: [{ text: '.' }] },
    ]);
  });

  it('Claude: whitespace-only text is not sent; Gemini keeps it', () => {
    const messages = [
      user([
        { type: 'text', text: ' ' },
        { type: 'text', text: 'x' },
      ]),
    ];
    expect(upstream(body(messages), CLAUDE).contents).toEqual([{ role: 'user', parts: [{ text: 'x' }] }]);
    expect(upstream(body(messages)).contents).toEqual([
      { role: 'user', parts: [{ text: ' ' }, { text: 'x' }] },
    ]);
  });

  it('assistant refusals and text parts are what the assistant said', () => {
    const out = upstream(
      body([
        user('a'),
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Part one.' },
            { type: 'refusal', refusal: 'No.' },
          ],
        },
        user('b'),
        { role: 'assistant', content: null, refusal: 'I cannot help with that.' },
        user('c'),
      ]),
    );
    expect((out.contents as Json[])[1]).toEqual({
      role: 'model',
      parts: [{ text: 'Part one.' }, { text: 'No.' }],
    });
    expect((out.contents as Json[])[3]).toEqual({
      role: 'model',
      parts: [{ text: 'I cannot help with that.' }],
    });
  });

  it('an unanswered call gets an interrupted result; a result that answers no call becomes text', () => {
    const out = upstream(
      body([
        user('go'),
        {
          role: 'assistant',
          content: 'Checking.',
          tool_calls: (sdkAssistantMessage().tool_calls as Json[]).slice(0, 2),
        },
        { role: 'tool', tool_call_id: 'call_w1', content: 'sunny' },
        { role: 'tool', tool_call_id: 'call_zz', content: 'stray' },
        user('and?'),
      ]),
      CLAUDE,
    );
    expect((out.contents as Json[])[2]).toEqual({
      role: 'user',
      parts: [
        { functionResponse: { id: 'call_w1', name: 'get_weather', response: { result: 'sunny' } } },
        { functionResponse: { id: 'call_t1', name: 'get_time', response: { result: INTERRUPTED_RESULT } } },
        { text: 'Result of tool call call_zz (call_zz):\nstray' },
        { text: 'and?' },
      ],
    });
  });

  it('a model turn with calls that ends the conversation is left as sent', () => {
    const out = upstream(body([user('go'), sdkAssistantMessage()]));
    expect((out.contents as Json[]).length).toBe(2);
  });

  it('images in a tool message follow the function responses', () => {
    const out = upstream(
      body([
        user('shot'),
        {
          role: 'assistant',
          tool_calls: [{ id: 's1', type: 'function', function: { name: 'screenshot', arguments: '{}' } }],
        },
        {
          role: 'tool',
          tool_call_id: 's1',
          content: [
            { type: 'text', text: 'Here:' },
            { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${PNG_BASE64}` } },
          ],
        },
      ]),
    );
    expect((out.contents as Json[])[2]).toEqual({
      role: 'user',
      parts: [
        { functionResponse: { id: 's1', name: 'screenshot', response: { result: 'Here:' } } },
        { inlineData: { mimeType: 'image/jpeg', data: PNG_BASE64 } },
      ],
    });
  });

  it('the deprecated function_call / function messages pair by a made-up id', () => {
    const out = upstream(
      body(
        [
          user('w?'),
          {
            role: 'assistant',
            content: null,
            function_call: { name: 'get_weather', arguments: '{"city":"Oslo"}' },
          },
          { role: 'function', name: 'get_weather', content: 'cold' },
        ],
        { functions: [WEATHER_TOOL.function], function_call: { name: 'get_weather' } },
      ),
      CLAUDE,
    );
    expect((out.contents as Json[]).slice(1)).toEqual([
      {
        role: 'model',
        parts: [{ functionCall: { id: 'call_get_weather_1', name: 'get_weather', args: { city: 'Oslo' } } }],
      },
      {
        role: 'user',
        parts: [
          {
            functionResponse: { id: 'call_get_weather_1', name: 'get_weather', response: { result: 'cold' } },
          },
        ],
      },
    ]);
    expect(out.toolConfig).toEqual({
      functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] },
    });
  });
});

describe('media', () => {
  it('http(s) image URLs: a fileData placeholder, listed for the adapter to fetch', () => {
    const { request, remoteImages } = translate(
      body([
        user([
          { type: 'text', text: 'Compare' },
          { type: 'image_url', image_url: { url: 'https://example.com/a.png?size=2', detail: 'high' } },
          { type: 'image_url', image_url: 'https://example.com/b' },
        ]),
      ]),
    );
    expect(request.contents).toEqual([
      {
        role: 'user',
        parts: [
          { text: 'Compare' },
          { fileData: { mimeType: 'image/png', fileUri: 'https://example.com/a.png?size=2' } },
          { fileData: { mimeType: 'image/*', fileUri: 'https://example.com/b' } },
        ],
      },
    ]);
    expect(remoteImages).toEqual([
      { url: 'https://example.com/a.png?size=2', detail: 'high' },
      { url: 'https://example.com/b' },
    ]);
  });

  it('audio and files inline, with the right MIME type', () => {
    const out = upstream(
      body([
        user([
          { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
          { type: 'input_audio', input_audio: { data: 'SUQz', format: 'mp3' } },
          { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' } },
          { type: 'file', file: { file_data: 'aGVsbG8=', filename: 'notes.txt' } },
          { type: 'file', file: { file_data: 'JVBERi0=' } },
        ]),
      ]),
    );
    expect(out.contents).toEqual([
      {
        role: 'user',
        parts: [
          { inlineData: { mimeType: 'audio/wav', data: 'UklGRg==' } },
          { inlineData: { mimeType: 'audio/mpeg', data: 'SUQz' } },
          { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0=' } },
          { inlineData: { mimeType: 'text/plain', data: 'aGVsbG8=' } },
          { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0=' } },
        ],
      },
    ]);
  });

  it('an image this proxy answered as markdown comes back as an image, not as text', () => {
    const out = upstream(
      body([
        user('draw'),
        {
          role: 'assistant',
          content: `Here is a red dot:![image](data:image/png;base64,${PNG_BASE64}) Nice?`,
        },
        user('bigger'),
      ]),
    );
    expect((out.contents as Json[])[1]).toEqual({
      role: 'model',
      parts: [
        { text: 'Here is a red dot:' },
        { inlineData: { mimeType: 'image/png', data: PNG_BASE64 } },
        { text: ' Nice?' },
      ],
    });
  });
});

describe('tools and tool_choice', () => {
  const withChoice = (tool_choice: unknown, target = GEMINI) =>
    upstream(body([user('x')], { tools: [WEATHER_TOOL], tool_choice }), target).toolConfig;

  it('none / auto / required / a function / allowed tools', () => {
    expect(withChoice('none')).toEqual({ functionCallingConfig: { mode: 'NONE' } });
    expect(withChoice('auto')).toEqual({ functionCallingConfig: { mode: 'AUTO' } });
    expect(withChoice('required')).toEqual({ functionCallingConfig: { mode: 'ANY' } });
    expect(withChoice({ type: 'function', function: { name: 'get_weather' } })).toEqual({
      functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] },
    });
    expect(
      withChoice({
        type: 'allowed_tools',
        allowed_tools: { mode: 'required', tools: [{ type: 'function', function: { name: 'get_weather' } }] },
      }),
    ).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } });
  });

  it('Claude with tool_choice none is told so in the system instruction', () => {
    const out = upstream(body([user('x')], { tools: [WEATHER_TOOL], tool_choice: 'none' }), CLAUDE);
    expect(out.systemInstruction).toEqual({ role: 'user', parts: [{ text: NO_TOOLS_INSTRUCTION }] });
  });

  it('a tool without parameters gets an empty object schema; custom tools are dropped', () => {
    const out = upstream(
      body([user('x')], {
        tools: [
          { type: 'function', function: { name: 'ping' } },
          { type: 'custom', custom: { name: 'apply_patch' } },
        ],
      }),
    );
    expect(out.tools).toEqual([
      { functionDeclarations: [{ name: 'ping', parameters: { type: 'object', properties: {} } }] },
    ]);
  });
});

describe('generation config', () => {
  const config = (extra: Json, target = GEMINI, limits?: UpstreamContext['limits']) =>
    upstream(body([user('x')], extra), target, limits).generationConfig;

  it('nothing set: no generationConfig', () => {
    expect(config({})).toBeUndefined();
  });

  it('stop, seed, penalties, top_k; max_completion_tokens over max_tokens, capped by the model', () => {
    expect(
      config(
        {
          stop: 'END',
          seed: 7,
          presence_penalty: 0.5,
          frequency_penalty: -0.5,
          top_k: 40,
          max_tokens: 100,
          max_completion_tokens: 99999,
        },
        GEMINI,
        { maxOutputTokens: 65536 },
      ),
    ).toEqual({
      maxOutputTokens: 65536,
      stopSequences: ['END'],
      seed: 7,
      presencePenalty: 0.5,
      frequencyPenalty: -0.5,
      topK: 40,
    });
    expect(config({ stop: ['a', 'b'] })).toEqual({ stopSequences: ['a', 'b'] });
  });

  it('response_format: json_object and json_schema (schema as given)', () => {
    expect(config({ response_format: { type: 'json_object' } })).toEqual({
      responseMimeType: 'application/json',
    });
    const schema = { type: 'object', properties: { title: { type: 'string' } }, required: ['title'] };
    expect(
      config({
        response_format: { type: 'json_schema', json_schema: { name: 'title', schema, strict: true } },
      }),
    ).toEqual({ responseMimeType: 'application/json', responseJsonSchema: schema });
    expect(config({ response_format: { type: 'text' } })).toBeUndefined();
  });

  it('reasoning_effort: none is no thinking; minimal is low; Gemini 2.5 takes a budget; Claude a budget', () => {
    expect(config({ reasoning_effort: 'none' })).toBeUndefined();
    expect(config({ reasoning_effort: 'minimal' })).toEqual({
      thinkingConfig: { includeThoughts: true, thinkingLevel: 'low' },
    });
    expect(config({ reasoning_effort: 'xhigh' })).toEqual({
      thinkingConfig: { includeThoughts: true, thinkingLevel: 'high' },
    });
    expect(config({ reasoning_effort: 'high' }, { model: 'gemini-2.5-flash', family: 'gemini' })).toEqual({
      thinkingConfig: { includeThoughts: true, thinkingBudget: 24576 },
    });
    expect(config({ reasoning_effort: 'low', max_tokens: 2000 }, CLAUDE, CLAUDE_LIMITS)).toEqual({
      maxOutputTokens: 4096 + 8192,
      thinkingConfig: { includeThoughts: true, thinkingBudget: 4096 },
    });
  });

  it('Anthropic\u2019s thinking object, sent by some clients to Claude, is read; a nonsense one is ignored', () => {
    expect(config({ thinking: { type: 'enabled', budget_tokens: 2048 }, max_tokens: 8000 }, CLAUDE)).toEqual({
      maxOutputTokens: 8000,
      thinkingConfig: { includeThoughts: true, thinkingBudget: 2048 },
    });
    expect(config({ thinking: true })).toBeUndefined();
  });

  it('Claude: temperature above 1 is clamped; Gemini keeps it', () => {
    expect(config({ temperature: 1.5 }, CLAUDE)).toEqual({ temperature: 1 });
    expect(config({ temperature: 1.5 })).toEqual({ temperature: 1.5 });
  });
});
