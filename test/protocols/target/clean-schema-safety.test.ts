import { describe, expect, it } from 'vitest';
import { cleanSchema } from '../../../src/protocols/target/clean-schema.ts';
import { deepFreeze } from './deep-freeze.ts';

describe('cleanSchema: safety', () => {
  it('never throws and returns an object schema for any non-object JSON value', () => {
    for (const value of [null, undefined, 'string', 42, true, false, [], [{ type: 'string' }]]) {
      expect(cleanSchema(value)).toEqual({ type: 'object' });
    }
  });

  it('treats boolean and garbage sub-schemas as "any value"', () => {
    expect(cleanSchema({ type: 'object', properties: { a: true, b: 'nonsense', c: null, d: [1] } })).toEqual({
      type: 'object',
      properties: { a: {}, b: {}, c: {}, d: {} },
    });
  });

  it('does not mutate its input', () => {
    const input = deepFreeze({
      $schema: 'x',
      type: ['object', 'null'],
      properties: {
        a: { anyOf: [{ $ref: '#/$defs/A' }, { type: 'null' }] },
        b: { allOf: [{ properties: { c: { const: 1 } } }], required: ['c'] },
      },
      required: ['a'],
      $defs: { A: { type: 'object', properties: {} } },
    });
    const before = structuredClone(input);
    expect(() => cleanSchema(input)).not.toThrow();
    expect(input).toEqual(before);
  });

  it('survives a hostile schema nested 10,000 levels deep, in every nesting keyword', () => {
    const builders: Record<string, (inner: object) => object> = {
      properties: (inner) => ({ type: 'object', properties: { a: inner } }),
      items: (inner) => ({ type: 'array', items: inner }),
      anyOf: (inner) => ({ anyOf: [inner, { type: 'null' }] }),
      allOf: (inner) => ({ allOf: [inner] }),
      typeless: (inner) => ({ properties: { a: inner } }),
    };
    for (const [name, wrap] of Object.entries(builders)) {
      let schema: object = { type: 'string' };
      for (let level = 0; level < 10_000; level++) schema = wrap(schema);
      let cleaned: object | undefined;
      expect(() => (cleaned = cleanSchema(schema)), name).not.toThrow();
      expect(() => JSON.stringify(cleaned), name).not.toThrow();
    }
  });

  it('survives a 10,000-link $ref chain and a deeply nested default value', () => {
    const $defs: Record<string, object> = {};
    for (let index = 0; index < 10_000; index++) $defs[`D${index}`] = { $ref: `#/$defs/D${index + 1}` };
    $defs.D10000 = { type: 'string' };
    expect(() =>
      cleanSchema({ type: 'object', properties: { a: { $ref: '#/$defs/D0' } }, $defs }),
    ).not.toThrow();

    let deepDefault: unknown = 'leaf';
    for (let level = 0; level < 10_000; level++) deepDefault = [deepDefault];
    expect(cleanSchema({ type: 'array', items: { type: 'string' }, default: deepDefault })).toEqual({
      type: 'array',
      items: { type: 'string' },
    });
  });

  it('bounds the output of refs that double at every level ("billion laughs")', () => {
    const $defs: Record<string, object> = { L40: { type: 'string' } };
    for (let level = 39; level >= 0; level--) {
      const next = { $ref: `#/$defs/L${level + 1}` };
      $defs[`L${level}`] = { type: 'object', properties: { left: next, right: next } };
    }
    const started = Date.now();
    const cleaned = cleanSchema({ $ref: '#/$defs/L0', $defs });
    // Unbounded, 2^40 nodes would never finish; the budget keeps it to ~10,000.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(JSON.stringify(cleaned).length).toBeLessThan(2_000_000);
  });

  it('handles a schema that refers to its own root', () => {
    expect(
      cleanSchema({ type: 'object', description: 'Tree', properties: { child: { $ref: '#' } } }),
    ).toEqual({
      type: 'object',
      description: 'Tree',
      properties: {
        child: { type: 'object', description: 'Tree (recursive root)' },
      },
    });
  });
});
