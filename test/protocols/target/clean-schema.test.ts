import { describe, expect, it } from 'vitest';
import { cleanSchema } from '../../../src/protocols/target/clean-schema.ts';

/** Every key v1internal's Schema subset may carry after cleaning. */
const ALLOWED_KEYS = new Set([
  'type',
  'nullable',
  'description',
  'properties',
  'required',
  'items',
  'enum',
  'format',
]);

function disallowedKeys(schema: unknown, path = '$'): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const found: string[] = [];
  for (const [key, value] of Object.entries(schema)) {
    if (!ALLOWED_KEYS.has(key)) found.push(`${path}.${key}`);
    if (key === 'properties') {
      for (const [name, child] of Object.entries(value as object))
        found.push(...disallowedKeys(child, `${path}.${name}`));
    } else if (key === 'items') {
      found.push(...disallowedKeys(value, `${path}[]`));
    }
  }
  return found;
}

describe('cleanSchema: realistic client schemas', () => {
  it('cleans a Zod-generated schema ($schema, additionalProperties, $ref/$defs, anyOf-null, constraints)', () => {
    const zod = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: {
        query: { type: 'string', minLength: 1, description: 'Search text' },
        limit: { type: 'integer', minimum: 1, maximum: 100, default: 10 },
        filter: { anyOf: [{ $ref: '#/$defs/Filter' }, { type: 'null' }] },
        tags: { type: 'array', items: { type: 'string' }, maxItems: 5, uniqueItems: true },
      },
      required: ['query', 'ghost'],
      additionalProperties: false,
      $defs: {
        Filter: {
          type: 'object',
          description: 'Narrows the search',
          properties: {
            field: { type: 'string', enum: ['name', 'date'] },
            since: { type: 'string', format: 'date-time' },
            site: { type: 'string', format: 'uri', pattern: '^https://' },
          },
          required: ['field'],
          additionalProperties: false,
        },
      },
    };
    expect(cleanSchema(zod)).toEqual({
      type: 'object',
      properties: {
        query: { type: 'string', description: 'Search text (minLength: 1)' },
        limit: { type: 'integer', description: 'minimum: 1, maximum: 100, default: 10' },
        filter: {
          type: 'object',
          nullable: true,
          description: 'Narrows the search',
          properties: {
            field: { type: 'string', enum: ['name', 'date'] },
            since: { type: 'string', format: 'date-time' },
            site: { type: 'string', description: 'format: uri, pattern: ^https://' },
          },
          required: ['field'],
        },
        tags: {
          type: 'array',
          description: 'maxItems: 5, uniqueItems: true',
          items: { type: 'string' },
        },
      },
      required: ['query'],
    });
  });

  it("keeps Claude Code's Bash and TodoWrite tool schemas intact apart from refused keywords", () => {
    const bash = {
      type: 'object',
      properties: {
        command: { type: 'string', description: 'The command to execute' },
        timeout: { type: 'number', description: 'Optional timeout in milliseconds (max 600000)' },
        run_in_background: { type: 'boolean', default: false },
      },
      required: ['command'],
      additionalProperties: false,
      $schema: 'http://json-schema.org/draft-07/schema#',
    };
    expect(cleanSchema(bash)).toEqual({
      type: 'object',
      properties: {
        command: { type: 'string', description: 'The command to execute' },
        timeout: { type: 'number', description: 'Optional timeout in milliseconds (max 600000)' },
        run_in_background: { type: 'boolean', description: 'default: false' },
      },
      required: ['command'],
    });

    const todoWrite = {
      type: 'object',
      properties: {
        todos: {
          type: 'array',
          description: 'The updated todo list',
          items: {
            type: 'object',
            properties: {
              content: { type: 'string', minLength: 1 },
              status: { type: 'string', enum: ['pending', 'in_progress', 'completed'] },
              id: { type: 'string' },
            },
            required: ['content', 'status', 'id'],
            additionalProperties: false,
          },
        },
      },
      required: ['todos'],
      additionalProperties: false,
      $schema: 'http://json-schema.org/draft-07/schema#',
    };
    const cleaned = cleanSchema(todoWrite);
    expect(disallowedKeys(cleaned)).toEqual([]);
    expect(cleaned).toMatchObject({
      properties: {
        todos: {
          type: 'array',
          items: {
            type: 'object',
            required: ['content', 'status', 'id'],
            properties: { status: { type: 'string', enum: ['pending', 'in_progress', 'completed'] } },
          },
        },
      },
    });
  });

  it('leaves an MCP tool with no properties as a bare object (no empty properties map, no empty required)', () => {
    expect(cleanSchema({ type: 'object', properties: {}, required: [] })).toEqual({ type: 'object' });
  });

  it('merges Pydantic allOf-$ref with its sibling description and drops titles', () => {
    const pydantic = {
      title: 'Search',
      type: 'object',
      properties: {
        options: { allOf: [{ $ref: '#/definitions/Options' }], description: 'Search options' },
      },
      definitions: {
        Options: {
          title: 'Options',
          type: 'object',
          properties: { exact: { title: 'Exact', type: 'boolean' } },
          required: ['exact'],
        },
      },
    };
    expect(cleanSchema(pydantic)).toEqual({
      type: 'object',
      properties: {
        options: {
          type: 'object',
          description: 'Search options',
          properties: { exact: { type: 'boolean' } },
          required: ['exact'],
        },
      },
    });
  });

  it('adds up allOf properties and required lists, then filters required to existing properties', () => {
    const schema = {
      allOf: [
        { type: 'object', properties: { a: { type: 'string' } } },
        { properties: { b: { type: 'number' } }, required: ['b', 'missing'] },
        { required: ['a'] },
      ],
    };
    expect(cleanSchema(schema)).toEqual({
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'number' } },
      required: ['b', 'a'],
    });
  });

  it('inlines Zod-style refs into #/properties/…', () => {
    const schema = {
      type: 'object',
      properties: {
        from: { type: 'object', properties: { lat: { type: 'number' } } },
        to: { $ref: '#/properties/from' },
      },
    };
    expect(cleanSchema(schema).properties).toEqual({
      from: { type: 'object', properties: { lat: { type: 'number' } } },
      to: { type: 'object', properties: { lat: { type: 'number' } } },
    });
  });

  it('turns a recursive ref into an open object with a description, but expands repeated non-recursive refs', () => {
    const tree = {
      $ref: '#/$defs/Node',
      $defs: {
        Node: {
          type: 'object',
          description: 'A tree node',
          properties: {
            name: { $ref: '#/$defs/Name' },
            alias: { $ref: '#/$defs/Name' },
            children: { type: 'array', items: { $ref: '#/$defs/Node' } },
          },
        },
        Name: { type: 'string', description: 'Display name' },
      },
    };
    expect(cleanSchema(tree)).toEqual({
      type: 'object',
      description: 'A tree node',
      properties: {
        name: { type: 'string', description: 'Display name' },
        alias: { type: 'string', description: 'Display name' },
        children: {
          type: 'array',
          items: { type: 'object', description: 'A tree node (recursive Node)' },
        },
      },
    });
  });

  it('keeps an unresolvable ref as a hint instead of failing', () => {
    expect(
      cleanSchema({ type: 'object', properties: { x: { $ref: 'https://example.com/x.json' } } }),
    ).toEqual({
      type: 'object',
      properties: { x: { description: 'see x.json' } },
    });
  });
});
