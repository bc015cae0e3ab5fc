import type { z } from 'zod';

/**
 * zod issues in the words of OpenAI's API, which names the parameter at fault in bracket form
 * (`input[3].content[0].image_url`) both in the message and in `error.param`:
 *
 * - `Missing required parameter: 'input[1].call_id'.`
 * - `Invalid type for 'temperature': expected a number, but got a string instead.`
 * - `Invalid value: 'robot'. Supported values are: 'user', 'assistant', 'system', and 'developer'.`
 * - `Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 1, but got 0 instead.`
 */

type Issue = z.core.$ZodIssue;

export interface DescribedIssue {
  message: string;
  param?: string;
}

/** `['input', 3, 'content', 0]` → `input[3].content[0]`. */
export function paramOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'a boolean',
  array: 'an array',
  object: 'an object',
  record: 'an object',
};

function expected(name: string): string {
  return EXPECTED[name] ?? `a valid ${name}`;
}

function got(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a decimal';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function quotedList(values: readonly unknown[]): string {
  const items = values.map((value) => `'${String(value)}'`);
  if (items.length <= 2) return items.join(' and ');
  return `${items.slice(0, -1).join(', ')}, and ${items.at(-1)}`;
}

function shown(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The first issue of a failed parse, described; unions report the branch that got furthest. */
export function describeIssue(
  issue: Issue,
  root: unknown,
  base: readonly PropertyKey[] = [],
): DescribedIssue {
  const path = [...base, ...issue.path];
  const param = paramOf(path);
  const input = valueAt(root, path);
  const missing = { message: `Missing required parameter: '${param}'.`, param };
  if (input === undefined && issue.code !== 'invalid_union') return missing;
  switch (issue.code) {
    case 'invalid_type':
      return {
        message: `Invalid type for '${param}': expected ${expected(issue.expected)}, but got ${got(input)} instead.`,
        param,
      };
    case 'invalid_union': {
      if (issue.errors.length === 0) {
        const options = 'options' in issue && Array.isArray(issue.options) ? issue.options : [];
        if (input === undefined) return missing;
        return {
          message: `Invalid value: '${shown(input)}'. Supported values are: ${quotedList(options)}.`,
          param,
        };
      }
      const branches = issue.errors.filter((errors) => errors.length > 0).map((errors) => errors[0]!);
      // A branch that failed below the value itself (inside the list or object) is the one meant.
      const deepest = branches
        .filter((first) => first.path.length > 0)
        .sort((a, b) => b.path.length - a.path.length)[0];
      if (deepest) return describeIssue(deepest, root, path);
      if (input === undefined) return missing;
      // A branch of the value's own type that refused its value (an enum) says what is allowed.
      const refusedValue = branches.find((first) => first.code === 'invalid_value');
      if (refusedValue) return describeIssue(refusedValue, root, path);
      const words = branches.map((first) =>
        first.code === 'invalid_type' ? expected(first.expected) : 'a valid value',
      );
      return {
        message: `Invalid type for '${param}': expected one of ${[...new Set(words)].join(' or ')}, but got ${got(input)} instead.`,
        param,
      };
    }
    case 'invalid_value':
      return {
        message: `Invalid value: '${shown(input)}'. Supported values are: ${quotedList(issue.values)}.`,
        param,
      };
    case 'too_small':
    case 'too_big': {
      const kind = Number.isInteger(input) ? 'integer' : 'decimal';
      const below = issue.code === 'too_small';
      const limit = below ? issue.minimum : issue.maximum;
      return {
        message: `Invalid '${param}': ${kind} ${below ? 'below minimum' : 'above maximum'} value. Expected a value ${below ? '>=' : '<='} ${String(limit)}, but got ${shown(input)} instead.`,
        param,
      };
    }
    case 'custom':
      if (issue.message.startsWith('expected '))
        return {
          message: `Invalid type for '${param}': ${issue.message}, but got ${got(input)} instead.`,
          param,
        };
      return { message: `Invalid '${param}': ${issue.message}`, param };
    default:
      return { message: `Invalid '${param}': ${issue.message}.`, param };
  }
}
