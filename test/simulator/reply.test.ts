import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { lastUserText } from '../../src/simulator/prompt-text.ts';
import { sampleFromSchema } from '../../src/simulator/schema-sample.ts';
import type { Content } from '../../src/simulator/validate-contents.ts';
import { PRO, accessToken, generateBody, partsOf, rpc, type Envelope } from './helpers.ts';

/** The default (unscripted) reply behaves like a model for real clients (demo). */

const PROJECT = 'useful-fuze-x7k2p';
let sim: Simulator;
let token: string;
beforeAll(async () => {
  sim = await startSimulator();
  token = await accessToken(sim, PRO);
});
afterAll(() => sim.close());

async function replyText(request: Record<string, unknown>, model = 'gemini-3-flash'): Promise<string> {
  const res = await rpc(sim, token, 'generateContent', generateBody(PROJECT, model, request));
  expect(res.status).toBe(200);
  return partsOf((await res.json()) as Envelope)
    .filter((p) => !p.thought)
    .map((p) => p.text ?? '')
    .join('');
}

const SESSION_CONTEXT = `<session_context>
This is the Gemini CLI. We are setting up the context for our chat.
Today's date is Friday, January 2, 2026 (formatted according to the user's locale).
My operating system is: linux
</session_context>`;

const user = (...texts: string[]): Content => ({ role: 'user', parts: texts.map((text) => ({ text })) });

describe('the prompt the default reply quotes', () => {
  it('skips client context blocks, system reminders and tool-result turns', () => {
    expect(lastUserText([user(SESSION_CONTEXT, 'Say hi')])).toBe('Say hi');
    expect(
      lastUserText([
        user('This is the Gemini CLI. We are setting up the context for our chat.\nToday is …'),
        { role: 'model', parts: [{ text: 'Got it. Thanks for the context!' }] },
        user('Fix the bug'),
      ]),
    ).toBe('Fix the bug');
    expect(
      lastUserText([
        user(
          '<system-reminder>Use the todo list.</system-reminder>',
          'Refactor foo',
          '<system-reminder>x</system-reminder>',
        ),
      ]),
    ).toBe('Refactor foo');
    expect(lastUserText([user('<system-reminder>Be brief.</system-reminder>\nExplain this')])).toBe(
      'Explain this',
    );
    expect(
      lastUserText([
        user('List the files'),
        { role: 'model', parts: [{ functionCall: { name: 'ls', args: {} } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'ls', id: 'a' } }] },
      ]),
    ).toBe('List the files');
    expect(
      lastUserText([
        user('Read it'),
        { role: 'model', parts: [{ functionCall: { name: 'read', args: {} } }] },
        {
          role: 'user',
          parts: [
            { functionResponse: { name: 'read' } },
            { text: '<system-reminder>File changed.</system-reminder>' },
          ],
        },
      ]),
    ).toBe('Read it');
    expect(lastUserText([user(SESSION_CONTEXT)])).toBe('');
  });

  it('is what the reply quotes', async () => {
    const text = await replyText({
      contents: [
        { role: 'user', parts: [{ text: SESSION_CONTEXT }] },
        { role: 'user', parts: [{ text: 'Say hi' }] },
      ],
    });
    expect(text).toBe('Simulated reply from gemini-3-flash: you said "Say hi".');
    const claude = await replyText(
      {
        contents: [
          user('<system-reminder>\nAs you answer, use this context.\n</system-reminder>', 'What is 2+2?'),
        ],
      },
      'claude-sonnet-4-6',
    );
    expect(claude).toBe('Simulated reply from claude-sonnet-4-6: you said "What is 2+2?".');
  });
});

describe('JSON mode values', () => {
  it('honours bounds, enums, required properties and item counts', () => {
    expect(sampleFromSchema({ type: 'INTEGER', minimum: 1, maximum: 100 })).toBe(1);
    expect(sampleFromSchema({ type: 'integer', maximum: -5 })).toBe(-5);
    expect(sampleFromSchema({ type: 'integer', exclusiveMinimum: 0 })).toBe(1);
    const open = sampleFromSchema({ type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 }) as number;
    expect(open > 0 && open < 1).toBe(true);
    expect(sampleFromSchema({ type: 'integer', minimum: 3, multipleOf: 5 })).toBe(5);
    expect(sampleFromSchema({ type: 'STRING', enum: ['flash', 'pro'] })).toBe('flash');
    expect(sampleFromSchema({ enum: [null, 'x'] })).toBe('x');
    expect(sampleFromSchema({ type: 'string', format: 'date-time' })).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect((sampleFromSchema({ type: 'string', minLength: 20 }) as string).length).toBe(20);
    expect((sampleFromSchema({ type: 'string', maxLength: 3 }) as string).length).toBe(3);
    expect(
      sampleFromSchema({ type: 'array', items: { type: 'INTEGER' }, minItems: 3, uniqueItems: true }),
    ).toEqual([1, 2, 3]);
    expect(sampleFromSchema({ type: 'array', items: { type: 'string' }, maxItems: 0 })).toEqual([]);
    expect(sampleFromSchema({ type: ['null', 'integer'], minimum: 2 })).toBe(2);
    expect(sampleFromSchema({ type: 'STRING', nullable: true })).toBe('simulated');
    expect(sampleFromSchema({ anyOf: [{ type: 'null' }, { type: 'boolean' }] })).toBe(false);
    expect(sampleFromSchema({ const: 'fixed' })).toBe('fixed');
    expect(
      sampleFromSchema({ type: 'object', properties: { a: { type: 'string' } }, required: ['a', 'b'] }),
    ).toEqual({ a: 'simulated', b: 'simulated' });
  });

  it('follows local refs and allOf, and stops on recursive schemas', () => {
    const schema = {
      $defs: { size: { type: 'integer', minimum: 10 } },
      allOf: [{ type: 'object', properties: { size: { $ref: '#/$defs/size' } }, required: ['size'] }],
    };
    expect(sampleFromSchema(schema)).toEqual({ size: 10 });
    const tree = {
      $ref: '#/definitions/node',
      definitions: {
        node: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            children: { type: 'array', items: { $ref: '#/definitions/node' } },
          },
          required: ['name'],
        },
      },
    };
    expect(JSON.stringify(sampleFromSchema(tree)).length).toBeLessThan(500);
  });

  it('answers the Gemini CLI router schemas with values its zod checks accept', async () => {
    const numerical = {
      type: 'OBJECT',
      properties: {
        complexity_reasoning: { type: 'STRING', description: 'Brief explanation for the score.' },
        complexity_score: { type: 'INTEGER', description: 'Complexity score from 1-100.' },
      },
      required: ['complexity_reasoning', 'complexity_score'],
    };
    const classifier = {
      type: 'OBJECT',
      properties: {
        reasoning: { type: 'STRING' },
        model_choice: { type: 'STRING', enum: ['flash', 'pro'] },
      },
      required: ['reasoning', 'model_choice'],
    };
    const bounded = {
      type: 'object',
      properties: {
        reasoning: { type: 'string' },
        complexity_score: { type: 'integer', minimum: 1, maximum: 100 },
        nested: {
          type: 'object',
          properties: { tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] }, minItems: 2 } },
          required: ['tags'],
        },
      },
      required: ['reasoning', 'complexity_score', 'nested'],
    };
    const ask = async (schema: unknown, key: 'responseJsonSchema' | 'responseSchema') =>
      JSON.parse(
        await replyText({
          contents: [user(SESSION_CONTEXT, 'Refactor the parser')],
          generationConfig: { responseMimeType: 'application/json', [key]: schema },
        }),
      ) as unknown;
    const numericalValue = await ask(numerical, 'responseJsonSchema');
    z.object({ complexity_reasoning: z.string(), complexity_score: z.number().min(1).max(100) }).parse(
      numericalValue,
    );
    z.object({ reasoning: z.string(), model_choice: z.enum(['flash', 'pro']) }).parse(
      await ask(classifier, 'responseSchema'),
    );
    expect(await ask(bounded, 'responseJsonSchema')).toEqual({
      reasoning: 'simulated',
      complexity_score: 1,
      nested: { tags: ['a', 'b'] },
    });
  });
});
