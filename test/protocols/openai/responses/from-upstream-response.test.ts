import { describe, expect, it } from 'vitest';
import { chunk, message, run, usage } from './from-upstream.fixtures.ts';
import { fixture, sdkFinalResponse, sent } from './replay.ts';

describe('how a Response ends', () => {
  it('MAX_TOKENS: response.incomplete (max_output_tokens), the message incomplete', () => {
    const { types, response } = run(fixture('max-tokens'));
    expect(types.at(-1)).toBe('response.incomplete');
    expect(response).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
      output: [message('msg_1', 'Once upon a time there was a', 'incomplete')],
    });
  });

  it('a safety stop: response.incomplete (content_filter)', () => {
    const { types, response } = run(fixture('safety-stop'));
    expect(types.at(-1)).toBe('response.incomplete');
    expect(response).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'content_filter' },
      output: [message('msg_1', 'I can describe the general', 'incomplete')],
    });
  });

  it('a blocked prompt: incomplete (content_filter) with no output', () => {
    const { response } = run(fixture('blocked-prompt'));
    expect(response).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'content_filter' },
      output: [],
    });
  });

  it('an upstream that ends without a finish reason ended normally: response.completed', () => {
    const { types, response } = run(fixture('no-finish-reason'));
    expect(types.at(-1)).toBe('response.completed');
    expect(response).toMatchObject({
      status: 'completed',
      output: [message('msg_1', 'Tests pass on the first run.')],
      usage: usage(300, 0, 7, 0),
    });
  });

  it('usage only, no parts: completed, empty output', () => {
    const { response } = run(fixture('usage-only'));
    expect(response).toMatchObject({ status: 'completed', output: [], usage: usage(9, 0, 0, 0) });
  });
});

describe('other items', () => {
  it('an image is an image_generation_call whose result is the base64 data', () => {
    const { response, list } = run(fixture('image-output'));
    expect(response.output).toEqual([
      message('msg_1', 'Here is a red dot:'),
      {
        id: 'ig_1',
        type: 'image_generation_call',
        status: 'completed',
        result:
          'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
        output_format: 'png',
      },
    ]);
    const added = list.find(
      (event) => event.type === 'response.output_item.added' && event.output_index === 1,
    );
    expect(added!.item).toEqual({
      id: 'ig_1',
      type: 'image_generation_call',
      status: 'in_progress',
      result: null,
    });
  });

  it('thought images are drafts: skipped', () => {
    const { response } = run([
      chunk([
        { inlineData: { mimeType: 'image/png', data: 'draft' }, thought: true },
        { inlineData: { data: 'final' } },
      ]),
    ]);
    expect(response.output).toEqual([
      { id: 'ig_1', type: 'image_generation_call', status: 'completed', result: 'final' },
    ]);
  });

  it('Google Search grounding: one web_search_call per query, with the pages as sources; search tokens are input', () => {
    const { response } = run(fixture('web-search'));
    expect(response.output.map((item) => item.type)).toEqual(['message', 'web_search_call']);
    expect(response.output[1]).toEqual({
      id: 'ws_1',
      type: 'web_search_call',
      status: 'completed',
      action: {
        type: 'search',
        query: 'tour de france 2026 start',
        sources: [
          { type: 'url', url: 'https://vertexaisearch.cloud.google.com/grounding-api-redirect/AAA' },
          { type: 'url', url: 'https://vertexaisearch.cloud.google.com/grounding-api-redirect/BBB' },
        ],
      },
    });
    expect(response.usage).toEqual(usage(370, 0, 14, 0));
  });
});

describe('the Response echoes the request', () => {
  it('echo fields appear on every lifecycle event and in assemble()', async () => {
    const echo = {
      instructions: 'Be brief.',
      max_output_tokens: 100,
      parallel_tool_calls: false,
      prompt_cache_key: 'thread-1',
      reasoning: { effort: 'low', summary: 'auto' },
      temperature: 0.2,
      text: { format: { type: 'text' } },
      tool_choice: 'auto',
      tools: [{ type: 'function', name: 'f', parameters: { type: 'object' } }],
      top_p: null,
      metadata: { a: 'b' },
    };
    const { list, assembled, sse } = run(fixture('plain-text'), { echo });
    for (const event of [list[0]!, list[1]!, list.at(-1)!]) expect(event.response).toMatchObject(echo);
    expect(assembled).toMatchObject(echo);
    expect(sent(await sdkFinalResponse(sse))).toMatchObject(echo);
  });
});
