import { describe, expect, it } from 'vitest';
import {
  estimateTokens,
  TOKENS_PER_IMAGE,
  TOOL_SYSTEM_PROMPT_TOKENS,
} from '../../../src/protocols/anthropic/estimate-tokens.ts';
import { parseMessagesBody, type MessagesRequest } from '../../../src/protocols/anthropic/request-schema.ts';
import { toUpstream } from '../../../src/protocols/anthropic/to-upstream.ts';
import { SignatureBook } from '../../../src/protocols/shared/signature-book.ts';
import { estimateTokens as simulatorTokens } from '../../../src/simulator/reply-plan.ts';
import { claudeCodeRequest } from './request-fixtures.ts';

function parse(body: Record<string, unknown>): MessagesRequest {
  const result = parseMessagesBody(body, 'count_tokens');
  if (!result.ok) throw new Error(result.message);
  return result.request;
}

type Part = { text?: string; functionCall?: unknown; inlineData?: unknown };

/** The simulator's count (src/simulator/code-assist.ts countTokens) of the translated request. */
function simulatorCount(request: MessagesRequest): number {
  const upstream = toUpstream(request, {
    target: { model: 'gemini-3-flash', family: 'gemini' },
    signatures: new SignatureBook(),
  }).request as { contents: Array<{ parts: Part[] }>; systemInstruction?: { parts: Part[] } };
  const parts = [...(upstream.systemInstruction?.parts ?? []), ...upstream.contents.flatMap((c) => c.parts)];
  const text = parts.map((p) => p.text ?? (p.functionCall ? JSON.stringify(p.functionCall) : '')).join('');
  return simulatorTokens(text) + parts.filter((p) => p.inlineData).length * 258;
}

const prose = (words: number) =>
  Array.from({ length: words }, (_, i) => ['the', 'parser', 'reads', 'tokens', 'until', 'EOF'][i % 6]).join(
    ' ',
  );

describe('estimateTokens', () => {
  it('counts text at four characters a token', () => {
    const request = parse({
      model: 'm',
      system: 'x'.repeat(400),
      messages: [{ role: 'user', content: 'y'.repeat(800) }],
    });
    expect(estimateTokens(request)).toBe(300);
    expect(estimateTokens(parse({ model: 'm', messages: [{ role: 'user', content: '' }] }))).toBe(1);
  });

  it('counts tool calls, tool results, tools and images', () => {
    const png = { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' };
    const input = { command: 'ls -la' };
    const schema = { type: 'object', properties: { command: { type: 'string' } } };
    const request = parse({
      model: 'm',
      tools: [{ name: 'Bash', description: 'Run a command', input_schema: schema }],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'list' },
            { type: 'image', source: png },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'ignored in the count', signature: 'sig' },
            { type: 'tool_use', id: 't', name: 'Bash', input },
          ],
        },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 't',
              content: [
                { type: 'text', text: 'a.txt b.txt' },
                { type: 'image', source: png },
              ],
            },
          ],
        },
      ],
    });
    const chars =
      'list'.length +
      'Bash'.length +
      JSON.stringify(input).length +
      'a.txt b.txt'.length +
      'Bash'.length +
      'Run a command'.length +
      JSON.stringify(schema).length;
    expect(estimateTokens(request)).toBe(
      Math.ceil(chars / 4) + 2 * TOKENS_PER_IMAGE + TOOL_SYSTEM_PROMPT_TOKENS,
    );
  });

  it("gives Claude Code's request a figure dominated by its text", () => {
    const body = claudeCodeRequest();
    const tokens = estimateTokens(parse(body));
    expect(tokens).toBeGreaterThan(TOOL_SYSTEM_PROMPT_TOKENS);
    expect(tokens).toBeLessThan(JSON.stringify(body).length / 2);
  });

  it('agrees with the simulator within 15 % on a text conversation with tool calls', () => {
    const messages: unknown[] = [];
    for (let turn = 0; turn < 20; turn++) {
      messages.push({ role: 'user', content: prose(120 + turn * 7) });
      messages.push({
        role: 'assistant',
        content: [
          { type: 'text', text: prose(200) },
          {
            type: 'tool_use',
            id: `toolu_${turn}`,
            name: 'Grep',
            input: { pattern: `fn${turn}`, path: 'src' },
          },
        ],
      });
      messages.push({
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: `toolu_${turn}`, content: '' }],
      });
    }
    messages.push({ role: 'user', content: 'and now?' });
    const request = parse({ model: 'claude-sonnet-4-6', system: prose(1500), messages });
    const ours = estimateTokens(request);
    const simulator = simulatorCount(request);
    expect(Math.abs(ours - simulator) / simulator).toBeLessThan(0.15);
  });

  it("disagrees with the simulator on images: Anthropic's 1,600 tokens against Gemini's 258", () => {
    const png = { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' };
    const request = parse({
      model: 'm',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is this?' },
            { type: 'image', source: png },
          ],
        },
      ],
    });
    // The simulator counts 258 per image (Gemini's figure), ours Anthropic's 1,600.
    expect(simulatorCount(request)).toBe(4 + 258);
    expect(estimateTokens(request)).toBe(4 + TOKENS_PER_IMAGE);
  });
});
