import { describe, expect, it } from 'vitest';
import { backgroundFeatures, sessionSource } from '../../../../src/protocols/openai/responses/session.ts';
import { codexBody, parse } from './request-fixtures.ts';

describe('sessionSource', () => {
  it("Codex: prompt_cache_key is the key; the first user text skips Codex's own context blocks", () => {
    expect(sessionSource(parse(codexBody()))).toEqual({
      explicit: '019a7c3e-5b2d-7f10-9c4e-2a6b8d1f3e57',
      firstSystemText: expect.stringMatching(/^You are Codex, a coding agent/),
      firstUserText: 'Raise the retry count in src/app.ts to 3 and run the tests.',
    });
  });

  it('without prompt_cache_key: the first texts; a string input is the user text', () => {
    expect(sessionSource(parse({ model: 'm', input: 'Hello', prompt_cache_key: '  ' }))).toEqual({
      firstUserText: 'Hello',
    });
    expect(
      sessionSource(
        parse({
          model: 'm',
          input: [
            { role: 'developer', content: 'Be terse.' },
            {
              role: 'user',
              content: [
                { type: 'input_text', text: '' },
                { type: 'input_text', text: 'Q1' },
              ],
            },
            { role: 'user', content: 'Q2' },
          ],
        }),
      ),
    ).toEqual({ firstSystemText: 'Be terse.', firstUserText: 'Q1' });
  });
});

describe('backgroundFeatures', () => {
  it('Codex: system texts, the first and last user texts without context blocks, the tool count', () => {
    expect(backgroundFeatures(parse(codexBody()))).toEqual({
      systemTexts: [
        expect.stringMatching(/^You are Codex/),
        expect.stringMatching(/^<permissions instructions>/),
      ],
      userTexts: [
        'Raise the retry count in src/app.ts to 3 and run the tests.',
        'Thanks! Also show me the diff.',
      ],
      toolCount: 5,
    });
  });

  it('max_output_tokens is the maximum a background task asks for', () => {
    expect(
      backgroundFeatures(
        parse({ model: 'm', input: 'Title this', instructions: 'Write a title.', max_output_tokens: 50 }),
      ),
    ).toEqual({
      systemTexts: ['Write a title.'],
      userTexts: ['Title this', 'Title this'],
      toolCount: 0,
      maxTokens: 50,
    });
  });
});
