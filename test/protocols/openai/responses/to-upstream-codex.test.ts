import { describe, expect, it } from 'vitest';
import { toUpstream } from '../../../../src/protocols/openai/responses/to-upstream.ts';
import { SignatureBook } from '../../../../src/protocols/shared/signature-book.ts';
import { applyTargetRules, SIGNATURE_SENTINEL } from '../../../../src/protocols/target/target-rules.ts';
import { codexBody, parse, PATCH } from './request-fixtures.ts';
import {
  contentsOf,
  declarationsOf,
  GEMINI,
  LIMITS,
  systemOf,
  translate,
  type Content,
  type Json,
} from './to-upstream.fixtures.ts';

describe("toUpstream: Codex CLI's request to a Gemini model", () => {
  const { request, toolNames, customTools, webSearch } = translate(codexBody(), GEMINI, { limits: LIMITS });

  it('instructions, then the developer message, make the system instruction', () => {
    expect((request.systemInstruction as Content).role).toBe('user');
    expect(systemOf(request)).toEqual([
      expect.stringMatching(/^You are Codex, a coding agent/),
      expect.stringMatching(/^<permissions instructions>/),
    ]);
  });

  it('the conversation alternates user and model; calls, outputs and the freeform patch in place', () => {
    const contents = contentsOf(request);
    expect(contents.map((content) => content.role)).toEqual([
      'user',
      'model',
      'user',
      'model',
      'user',
      'model',
      'user',
    ]);
    expect(contents[0]!.parts.map((part) => part.text)).toEqual([
      expect.stringMatching(/^# AGENTS\.md instructions/),
      expect.stringMatching(/^<environment_context>/),
      'Raise the retry count in src/app.ts to 3 and run the tests.',
    ]);
    expect(contents[1]!.parts).toEqual([
      {
        functionCall: {
          id: 'call_read_1',
          name: 'shell',
          args: { command: ['sed', '-n', '1,40p', 'src/app.ts'], workdir: '/home/dev/app' },
        },
      },
    ]);
    expect(contents[2]!.parts).toEqual([
      {
        functionResponse: {
          id: 'call_read_1',
          name: 'shell',
          response: { result: 'export function main() {\n  const retries = 1;\n}\n' },
        },
      },
    ]);
    expect(contents[3]!.parts).toEqual([
      { functionCall: { id: 'call_patch_2', name: 'apply_patch', args: { input: PATCH } } },
    ]);
    expect(contents[4]!.parts[0]).toMatchObject({
      functionResponse: { id: 'call_patch_2', name: 'apply_patch' },
    });
    expect(contents[5]!.parts).toEqual([
      { text: 'Patched. Running the tests now.' },
      { functionCall: { id: 'call_test_3', name: 'shell', args: { command: ['npm', 'test'] } } },
    ]);
    // The user's follow-up joins the turn of the last output; its image follows as an inline part.
    expect(contents[6]!.parts.map((part) => Object.keys(part)[0])).toEqual([
      'functionResponse',
      'text',
      'inlineData',
    ]);
    expect(contents[6]!.parts[2]).toEqual({
      inlineData: {
        mimeType: 'image/png',
        data: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
      },
    });
  });

  it('reasoning signed by no one this proxy knows is dropped: no thought parts, no signatures', () => {
    const parts = contentsOf(request).flatMap((content) => content.parts);
    expect(parts.some((part) => part.thought === true || part.thoughtSignature !== undefined)).toBe(false);
  });

  it('function tools win over web_search; apply_patch is one string parameter described with its grammar', () => {
    expect(webSearch).toBe(false);
    expect(request.tools).toHaveLength(1);
    expect(declarationsOf(request).map((declaration) => declaration.name)).toEqual([
      'shell',
      'update_plan',
      'apply_patch',
      'view_image',
    ]);
    const patch = declarationsOf(request)[2]!;
    expect(patch.description).toBe(
      'Use the `apply_patch` tool to edit files. This is a FREEFORM tool, so do not wrap the patch in JSON.',
    );
    const parameters = patch.parameters as {
      properties: { input: { type: string; description: string } };
      required: string[];
    };
    expect(parameters.required).toEqual(['input']);
    expect(parameters.properties.input.type).toBe('string');
    expect(parameters.properties.input.description).toContain('Use the `apply_patch` tool to edit files.');
    expect(parameters.properties.input.description).toContain('The text must match this lark grammar:');
    expect(parameters.properties.input.description).toContain('start: begin_patch hunk+ end_patch');
    expect(customTools).toEqual(new Set(['apply_patch']));
    expect(toolNames.get('apply_patch')).toBe('apply_patch');
    expect(request.toolConfig).toEqual({ functionCallingConfig: { mode: 'AUTO' } });
  });

  it('reasoning.effort medium is Gemini 3\u2019s medium level; the output may run to the model\u2019s cap', () => {
    expect(request.generationConfig).toEqual({
      maxOutputTokens: 64000,
      thinkingConfig: { includeThoughts: true, thinkingLevel: 'medium' },
    });
  });

  it('the target rules give each first call without a signature the sentinel', () => {
    const ruled = applyTargetRules(request, GEMINI);
    const models = contentsOf(ruled).filter((content) => content.role === 'model');
    for (const model of models) {
      expect(model.parts.find((part) => part.functionCall)?.thoughtSignature).toBe(SIGNATURE_SENTINEL);
    }
  });
});

describe('toUpstream is cheap on a long Codex history', () => {
  it('translates 600 tool-loop items quickly', () => {
    const long = codexBody();
    const items = long.input as Json[];
    for (let i = 0; i < 200; i++) {
      items.push(
        {
          type: 'reasoning',
          summary: [{ type: 'summary_text', text: `step ${i}` }],
          encrypted_content: 'E'.repeat(400),
        },
        {
          type: 'function_call',
          name: 'shell',
          arguments: `{"command":["cat","f${i}"]}`,
          call_id: `call_${i}`,
        },
        { type: 'function_call_output', call_id: `call_${i}`, output: 'x'.repeat(5000) },
      );
    }
    const request = parse(long);
    toUpstream(request, { target: GEMINI, signatures: new SignatureBook() });
    const started = performance.now();
    const { request: upstream } = toUpstream(request, { target: GEMINI, signatures: new SignatureBook() });
    expect(performance.now() - started).toBeLessThan(50);
    expect(contentsOf(upstream).length).toBeGreaterThan(400);
  });
});
