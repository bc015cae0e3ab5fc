import type { z } from 'zod';

/**
 * A zod issue in the words of OpenAI's API (wire.md §5.4): `Missing required parameter:
 * 'messages[1].content'.`, `Invalid type for 'n': expected an integer, but got a string instead.`,
 * `Invalid value: 'foo'. Supported values are: 'system', 'user', and 'tool'.` — with `param` set to
 * the parameter's path as OpenAI writes it (`messages[1].tool_calls[0].function.arguments`).
 */

type Issue = z.core.$ZodIssue;

/** `['messages', 1, 'content']` → `messages[1].content`. */
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

/** What a value is, as OpenAI's messages say it was ("but got an integer instead"). */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return Number.isInteger(value) ? 'an integer' : 'a decimal';
    case 'boolean':
      return 'a boolean';
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
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

function expectedWords(issue: Issue): string | undefined {
  if (issue.code === 'invalid_type') return EXPECTED[issue.expected] ?? `a valid ${issue.expected}`;
  if (issue.code === 'custom' && issue.message === 'expected an object') return 'an object';
  return undefined;
}

function quotedList(values: readonly unknown[]): string {
  const items = values.map((value) => `'${String(value)}'`);
  if (items.length <= 2) return items.join(' and ');
  return `${items.slice(0, -1).join(', ')}, and ${items.at(-1)}`;
}

const missing = (param: string) => ({ param, message: `Missing required parameter: '${param}'.` });
const wrongType = (param: string, expected: string, input: unknown) => ({
  param,
  message: `Invalid type for '${param}': expected ${expected}, but got ${kindOf(input)} instead.`,
});
const invalidValue = (param: string, input: unknown, supported: readonly unknown[]) => ({
  param,
  message: `Invalid value: '${String(input)}'. Supported values are: ${quotedList(supported)}.`,
});

/** The first issue as `{param, message}`; unions report the branch that got furthest. */
export function describeIssue(
  issue: Issue,
  root: unknown,
  base: readonly PropertyKey[] = [],
): { param: string; message: string } {
  const path = [...base, ...issue.path];
  const param = paramOf(path);
  const input = valueAt(root, path);
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) return missing(param);
      return wrongType(param, expectedWords(issue)!, input);
    case 'invalid_union': {
      if (issue.discriminator !== undefined && issue.errors.length === 0) {
        if (input === undefined) return missing(param);
        if (typeof input !== 'string') return wrongType(param, 'a string', input);
        return invalidValue(param, input, 'options' in issue ? (issue.options ?? []) : []);
      }
      const branches = issue.errors.filter((errors) => errors.length > 0);
      // A branch that failed below the value (inside the list, inside the object) is the one meant.
      const deepest = branches
        .map((errors) => errors[0]!)
        .filter((first) => first.path.length > 0)
        .sort((a, b) => b.path.length - a.path.length)[0];
      if (deepest) return describeIssue(deepest, root, path);
      if (input === undefined) return missing(param);
      const words = [...new Set(branches.map((errors) => expectedWords(errors[0]!)).filter(Boolean))];
      // A value of the right type that failed a check of its own (a bad URL, bad JSON…).
      const own = branches.map((errors) => errors[0]!).find((first) => expectedWords(first) === undefined);
      if (own) return describeIssue(own, root, path);
      return wrongType(
        param,
        words.length > 1 ? `one of ${words.join(' or ')}` : (words[0] ?? 'a value'),
        input,
      );
    }
    case 'invalid_value':
      return invalidValue(param, input, issue.values);
    case 'too_small': {
      if (issue.origin === 'array')
        return {
          param,
          message: `Invalid '${param}': empty array. Expected an array with minimum length ${String(issue.minimum)}, but got an empty array instead.`,
        };
      const kind = Number.isInteger(input) ? 'integer' : 'decimal';
      return {
        param,
        message: `Invalid '${param}': ${kind} below minimum value. Expected a value >= ${String(issue.minimum)}, but got ${String(input)} instead.`,
      };
    }
    case 'too_big': {
      const kind = Number.isInteger(input) ? 'integer' : 'decimal';
      return {
        param,
        message: `Invalid '${param}': ${kind} above maximum value. Expected a value <= ${String(issue.maximum)}, but got ${String(input)} instead.`,
      };
    }
    case 'custom':
      if (issue.message === 'missing') return missing(param);
      if (issue.message === 'expected an object') return wrongType(param, 'an object', input);
      return { param, message: `Invalid '${param}': ${issue.message}.` };
    default:
      return { param, message: `Invalid '${param}': ${issue.message}.` };
  }
}
