import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile, issuesOf } from '../../../src/protocols/gemini/schema-checker.ts';
import {
  countTokensRequestSchema,
  FULL,
  generateContentRequestSchema,
  snakeCased,
} from './request-schema.fixtures.ts';

describe('the compiled checker and the zod schema agree', () => {
  /** Every node of a value, as key paths. */
  function pathsOf(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
    const out = [prefix];
    if (typeof value === 'object' && value !== null)
      for (const [key, item] of Object.entries(value))
        out.push(...pathsOf(item, [...prefix, Array.isArray(value) ? Number(key) : key]));
    return out;
  }

  const replacement = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.constantFrom(
      null,
      [],
      {},
      '',
      '10',
      '-3',
      '1.5',
      2 ** 31,
      -(2 ** 31),
      1.5,
      -1,
      true,
      'user',
      'model',
      'function',
    ),
  );
  const mutation = fc.record({
    at: fc.nat(),
    op: fc.constantFrom('replace', 'addKey', 'delete'),
    key: fc.oneof(
      fc.constantFrom(
        'text',
        'role',
        'parts',
        'args',
        'type',
        'items',
        'inline_data',
        'thinking_budget',
        // Not `__proto__`: zod's record skips that key, the checker checks it like any map key.
        'constructor',
      ),
      fc.string({ maxLength: 6 }).filter((key) => key !== '__proto__'),
    ),
    value: replacement,
  });

  function mutate(
    root: unknown,
    mutations: Array<{ at: number; op: string; key: string; value: unknown }>,
  ): unknown {
    let body = structuredClone(root);
    for (const m of mutations) {
      const paths = pathsOf(body);
      const path = paths[m.at % paths.length]!;
      if (path.length === 0) {
        if (m.op === 'replace') body = m.value;
        continue;
      }
      const parent = path
        .slice(0, -1)
        .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], body) as Record<
        string,
        unknown
      >;
      const last = path.at(-1)!;
      if (m.op === 'replace') parent[last] = structuredClone(m.value);
      else if (m.op === 'delete') delete parent[last];
      else {
        const target = parent[last];
        if (typeof target === 'object' && target !== null && !Array.isArray(target))
          Object.defineProperty(target, m.key, {
            value: m.value,
            enumerable: true,
            writable: true,
            configurable: true,
          });
      }
    }
    // As the route sees it: what JSON carries (own __proto__ keys included).
    return JSON.parse(JSON.stringify(body) ?? 'null');
  }

  it.each([
    ['GenerateContentRequest', generateContentRequestSchema, FULL],
    ['GenerateContentRequest (snake_case)', generateContentRequestSchema, snakeCased(FULL)],
    ['CountTokensRequest', countTokensRequestSchema, { generateContentRequest: FULL }],
  ])('on mutated %s bodies', (_name, schema, base) => {
    const check = compile(schema);
    let refused = 0;
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        const body = mutate(base, mutations);
        const compiled = issuesOf(check, body).length === 0;
        if (!compiled) refused++;
        expect(compiled).toBe(schema.safeParse(body).success);
      }),
      { seed: 7_357, numRuns: 1_500 },
    );
    // The mutations do reach both outcomes.
    expect(refused).toBeGreaterThan(200);
    expect(refused).toBeLessThan(1_400);
  });
});
