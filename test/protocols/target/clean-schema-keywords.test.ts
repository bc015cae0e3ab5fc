import { describe, expect, it } from 'vitest';
import { cleanSchema } from '../../../src/protocols/target/clean-schema.ts';

describe('cleanSchema: keyword rules', () => {
  it('turns const into a one-value string enum', () => {
    expect(cleanSchema({ type: 'object', properties: { kind: { const: 'circle' } } }).properties).toEqual({
      kind: { type: 'string', enum: ['circle'] },
    });
  });

  it('flattens type arrays: null → nullable, several types → the richest one and a hint', () => {
    const schema = {
      type: 'object',
      properties: {
        name: { type: ['string', 'null'] },
        value: { type: ['string', 'number'] },
        config: { type: ['null', 'string', 'object'], properties: { a: { type: 'string' } } },
      },
    };
    expect(cleanSchema(schema).properties).toEqual({
      name: { type: 'string', nullable: true },
      value: { type: 'string', description: 'accepts: string | number' },
      config: {
        type: 'object',
        nullable: true,
        description: 'accepts: string | object',
        properties: { a: { type: 'string' } },
      },
    });
  });

  it('picks the best anyOf/oneOf branch: object over array over primitive, else the first', () => {
    const props = cleanSchema({
      type: 'object',
      properties: {
        objectWins: {
          description: 'Where to write',
          anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }, { type: 'object' }],
        },
        arrayWins: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'integer' } }] },
        firstWins: { anyOf: [{ type: 'integer' }, { type: 'string' }, { type: 'null' }] },
        onlyNull: { anyOf: [{ type: 'null' }] },
      },
    }).properties;
    expect(props).toEqual({
      objectWins: { type: 'object', description: 'Where to write (accepts: string | array | object)' },
      arrayWins: {
        type: 'array',
        description: 'accepts: string | array',
        items: { type: 'integer' },
      },
      firstWins: { type: 'integer', nullable: true, description: 'accepts: integer | string' },
      onlyNull: { nullable: true },
    });
  });

  it('keeps the shared properties of a discriminated union next to the chosen branch', () => {
    const schema = {
      type: 'object',
      properties: { id: { type: 'string' } },
      required: ['id'],
      oneOf: [
        { type: 'object', properties: { kind: { const: 'a' }, a: { type: 'string' } }, required: ['kind'] },
        { type: 'object', properties: { kind: { const: 'b' } } },
      ],
    };
    expect(cleanSchema(schema)).toEqual({
      type: 'object',
      properties: { kind: { type: 'string', enum: ['a'] }, a: { type: 'string' }, id: { type: 'string' } },
      required: ['kind', 'id'],
    });
  });

  it('sends enum values as strings; numeric types keep their type and get the values as a hint', () => {
    const props = cleanSchema({
      type: 'object',
      properties: {
        mixed: { enum: ['a', 1, null] },
        numbers: { enum: [1, 2] },
        level: { type: 'integer', enum: [1, 2, 3] },
        flag: { type: 'boolean', enum: [true] },
        bools: { enum: [true, false] },
        text: { type: 'STRING', format: 'enum', enum: ['x', 'y'] },
      },
    }).properties;
    expect(props).toEqual({
      mixed: { type: 'string', nullable: true, enum: ['a', '1'] },
      numbers: { type: 'string', enum: ['1', '2'] },
      level: { type: 'integer', description: 'allowed: 1, 2, 3' },
      flag: { type: 'boolean', description: 'allowed: true' },
      bools: { type: 'boolean' },
      text: { type: 'STRING', enum: ['x', 'y'], format: 'enum' },
    });
  });

  it('keeps type names as the client wrote them (Gemini clients send upper case)', () => {
    expect(
      cleanSchema({ type: 'OBJECT', properties: { city: { type: 'STRING' } }, required: ['city'] }),
    ).toEqual({ type: 'OBJECT', properties: { city: { type: 'STRING' } }, required: ['city'] });
  });

  it('keeps only the enum and date-time string formats', () => {
    const props = cleanSchema({
      type: 'object',
      properties: {
        when: { type: 'string', format: 'date-time' },
        mail: { type: 'string', format: 'email', description: 'Recipient' },
        count: { type: 'integer', format: 'int32' },
      },
    }).properties;
    expect(props).toEqual({
      when: { type: 'string', format: 'date-time' },
      mail: { type: 'string', description: 'Recipient (format: email)' },
      count: { type: 'integer', description: 'format: int32' },
    });
  });

  it('drops every keyword outside the whitelist, including ones nobody has invented yet', () => {
    const schema = {
      $id: 'urn:x',
      $comment: 'internal',
      title: 'T',
      type: 'object',
      deprecated: true,
      readOnly: true,
      writeOnly: false,
      examples: [{ a: 'x' }],
      patternProperties: { '^x-': { type: 'string' } },
      propertyNames: { pattern: '^[a-z]+$' },
      not: { required: ['b'] },
      if: { properties: { a: { const: 'x' } } },
      then: { required: ['a'] },
      else: { required: [] },
      'x-vendor': 1,
      somethingNew: { type: 'string' },
      properties: { a: { type: 'string', 'x-order': 1, cache_control: { type: 'ephemeral' } } },
    };
    expect(cleanSchema(schema)).toEqual({ type: 'object', properties: { a: { type: 'string' } } });
  });

  it('infers a missing type from properties, items or enum', () => {
    expect(
      cleanSchema({
        properties: {
          nested: { properties: { x: { type: 'string' } } },
          list: { items: { type: 'number' } },
          choice: { enum: ['a', 'b'] },
          anything: { description: 'Any JSON value' },
        },
      }),
    ).toEqual({
      type: 'object',
      properties: {
        nested: { type: 'object', properties: { x: { type: 'string' } } },
        list: { type: 'array', items: { type: 'number' } },
        choice: { type: 'string', enum: ['a', 'b'] },
        anything: { description: 'Any JSON value' },
      },
    });
  });

  it('gives arrays the items v1internal requires, and reduces tuples to their first element', () => {
    const props = cleanSchema({
      type: 'object',
      properties: {
        untyped: { type: 'array' },
        tuple: { type: 'array', items: [{ type: 'number' }, { type: 'string' }] },
        prefix: { type: 'array', prefixItems: [{ type: 'integer' }] },
      },
    }).properties;
    expect(props).toEqual({
      untyped: { type: 'array', items: { type: 'string' } },
      tuple: { type: 'array', description: 'tuple; see description', items: { type: 'number' } },
      prefix: { type: 'array', items: { type: 'integer' } },
    });
  });

  it('promotes the draft-03 `required: true` some MCP servers put on a property', () => {
    expect(cleanSchema({ type: 'object', properties: { path: { type: 'string', required: true } } })).toEqual(
      { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
    );
  });

  it('keeps a property called "__proto__" as a plain property', () => {
    const schema = JSON.parse(
      '{"type":"object","properties":{"__proto__":{"type":"string"}},"required":["__proto__"]}',
    );
    const cleaned = cleanSchema(schema);
    expect(Object.keys(cleaned.properties as object)).toEqual(['__proto__']);
    expect(cleaned.required).toEqual(['__proto__']);
    expect(JSON.stringify(cleaned)).toBe(
      '{"type":"object","properties":{"__proto__":{"type":"string"}},"required":["__proto__"]}',
    );
  });

  it('reads Pydantic v2 Optional fields as nullable without noise', () => {
    const field = { anyOf: [{ type: 'string' }, { type: 'null' }], default: null, title: 'Name' };
    expect(cleanSchema({ type: 'object', properties: { name: field } }).properties).toEqual({
      name: { type: 'string', nullable: true },
    });
    expect(cleanSchema({ type: 'array', items: { type: 'string' }, uniqueItems: false })).toEqual({
      type: 'array',
      items: { type: 'string' },
    });
  });

  it('is idempotent, so an adapter that already cleaned a schema loses nothing', () => {
    const schema = {
      type: 'object',
      properties: {
        limit: { type: ['integer', 'null'], minimum: 1, description: 'Page size' },
        mode: { oneOf: [{ const: 'fast' }, { const: 'slow' }] },
        tags: { type: 'array', maxItems: 3 },
      },
      required: ['limit'],
    };
    const once = cleanSchema(schema);
    expect(cleanSchema(once)).toEqual(once);
  });

  it('shortens long hint values', () => {
    const pattern = 'a'.repeat(500);
    const description = cleanSchema({ type: 'string', pattern }).description as string;
    expect(description.length).toBeLessThan(120);
    expect(description.startsWith('pattern: aaa')).toBe(true);
  });
});
