import { describe, expect, it } from 'vitest';
import { INTERRUPTED_RESULT } from '../../../../src/protocols/openai/chat/messages.ts';
import { PNG_BASE64, sdkAssistantMessage, WEATHER_TOOL } from './request-fixtures.ts';
import { body, CLAUDE, upstream, user, type Json } from './to-upstream.fixtures.ts';

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
