import { z } from 'zod';
import { isPlainObject, nestsWithin } from '../../util/json.ts';

/**
 * The public GenerateContentRequest / CountTokensRequest (wire.md §2.6, §3) as Google's proto3 JSON
 * reads it: every known field under its camelCase or snake_case name, with the type Google checks;
 * keys we do not know pass (the upstream judges them). `null` means "unset" for scalar and repeated
 * fields, as proto3 JSON allows; it is refused for messages, list elements and map values, which
 * Google refuses too.
 *
 * The zod schema below is the definition, but requests are not run through `safeParse`: zod builds
 * an output copy of every object and array it visits, so a 500 KB conversation (600 parts) cost
 * 0.6 ms (more than its JSON.parse) and 500 KB of 35 000 tiny parts 17 ms. `compile` turns the same
 * schema into a checker that only reads the body (no copy, no allocation unless there is an issue):
 * 0.1 ms and 1.4 ms for those two bodies. The unit tests check that both agree on generated bodies.
 *
 * The checker adds one rule the schema does not spell out: like protobuf's JSON parser (its
 * `JsonStreamParser` stops at 100), a body may nest at most MAX_DEPTH objects and lists, the free-form
 * fields (`args`, `response`, unknown keys …) included. Deeper bodies would overflow the stack of
 * `JSON.stringify` when the request is sent upstream.
 */

type Shape = Record<string, z.ZodType>;

function snake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** A loose object whose fields are accepted under both proto3 JSON names. */
function message(shape: Shape) {
  const both: Shape = {};
  for (const [key, schema] of Object.entries(shape)) {
    both[key] = schema;
    both[snake(key)] = schema;
  }
  return z.looseObject(both);
}

// Scalars. The custom ones are registered with their proto type name, which the messages show.
const string = z.string().nullish();
const bool = z.boolean().nullish();
const double = z.number().nullish();

function isInt(value: unknown, min: number, max: number): boolean {
  if (typeof value === 'string') {
    if (!/^-?\d{1,20}$/.test(value)) return false;
    value = Number(value);
  }
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

const PROTO_TYPES = new Map<z.ZodType, string>();
function scalar<T>(protoType: string, test: (value: unknown) => boolean) {
  const schema = z.custom<T>(test, { message: protoType });
  PROTO_TYPES.set(schema, protoType);
  return schema;
}

/** int32: a number, or a decimal string as proto3 JSON also takes. */
const int32 = scalar<number | string>('TYPE_INT32', (v) => isInt(v, -2147483648, 2147483647)).nullish();
/** int64 (the Schema's minItems and friends). */
const int64 = scalar<number | string>('TYPE_INT64', (v) =>
  isInt(v, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
).nullish();
/** An enum: its name (the SDKs vary the case, the upstream checks the name) or its number. */
const enumType = scalar<string | number>(
  'TYPE_ENUM',
  (v) => typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v) && v >= 0),
);
const enumValue = enumType.nullish();
/** google.protobuf.Struct: any JSON object. */
const struct = z.record(z.string(), z.unknown());
/** An empty-able config message such as `googleSearch: {}`; its inside is the upstream's business. */
const anyMessage = z.looseObject({});
/** google.protobuf.Value: any JSON. */
const value = z.unknown().optional();

const strings = z.array(z.string()).nullish();

const blob = message({ mimeType: string, data: string, displayName: string });
const fileData = message({ mimeType: string, fileUri: string, displayName: string });

const functionCall = message({
  id: string,
  name: string,
  args: struct.optional(),
  willContinue: bool,
});

const functionResponsePart = message({ inlineData: blob.optional(), fileData: fileData.optional() });

const functionResponse = message({
  id: string,
  name: string,
  response: struct.optional(),
  parts: z.array(functionResponsePart).nullish(),
  willContinue: bool,
  scheduling: enumValue,
});

const part = message({
  text: string,
  thought: bool,
  thoughtSignature: string,
  inlineData: blob.optional(),
  fileData: fileData.optional(),
  functionCall: functionCall.optional(),
  functionResponse: functionResponse.optional(),
  executableCode: message({ language: enumValue, code: string }).optional(),
  codeExecutionResult: message({ outcome: enumValue, output: string }).optional(),
  videoMetadata: message({ startOffset: string, endOffset: string, fps: double }).optional(),
  partMetadata: struct.optional(),
});

/** A turn of `contents`: parts are required, and the role is one the public API knows. */
const content = message({
  role: z.enum(['user', 'model', 'function']).nullish(),
  parts: z.array(part),
});

/** `systemInstruction`: the same Content, but any role (clients send "system") and parts may be absent. */
const systemContent = message({ role: string, parts: z.array(part).nullish() });

/** The OpenAPI-subset Schema of `parameters` / `responseSchema`, recursive. */
const openApiSchema: z.ZodType = z.lazy(() =>
  message({
    type: enumValue,
    format: string,
    title: string,
    description: string,
    nullable: bool,
    enum: strings,
    properties: z.record(z.string(), openApiSchema).optional(),
    required: strings,
    items: openApiSchema.optional(),
    anyOf: z.array(openApiSchema).nullish(),
    propertyOrdering: strings,
    minItems: int64,
    maxItems: int64,
    minLength: int64,
    maxLength: int64,
    minProperties: int64,
    maxProperties: int64,
    minimum: double,
    maximum: double,
    pattern: string,
    example: value,
    default: value,
  }),
);

const functionDeclaration = message({
  name: string,
  description: string,
  parameters: openApiSchema.optional(),
  parametersJsonSchema: value,
  response: openApiSchema.optional(),
  responseJsonSchema: value,
  behavior: enumValue,
});

const tool = message({
  functionDeclarations: z.array(functionDeclaration).nullish(),
  googleSearch: anyMessage.optional(),
  googleSearchRetrieval: anyMessage.optional(),
  codeExecution: anyMessage.optional(),
  urlContext: anyMessage.optional(),
  retrieval: anyMessage.optional(),
  enterpriseWebSearch: anyMessage.optional(),
  googleMaps: anyMessage.optional(),
  computerUse: anyMessage.optional(),
});

const toolConfig = message({
  functionCallingConfig: message({
    mode: enumValue,
    allowedFunctionNames: strings,
    streamFunctionCallArguments: bool,
  }).optional(),
  includeServerSideToolInvocations: bool,
  retrievalConfig: anyMessage.optional(),
});

const safetySetting = message({ category: enumValue, threshold: enumValue, method: enumValue });

const generationConfig = message({
  stopSequences: strings,
  responseMimeType: string,
  responseSchema: openApiSchema.optional(),
  responseJsonSchema: value,
  _responseJsonSchema: value,
  responseModalities: z.array(enumType).nullish(),
  candidateCount: int32,
  maxOutputTokens: int32,
  temperature: double,
  topP: double,
  // int32 in the Gemini API, float in Vertex (which v1internal is): any number.
  topK: double,
  seed: int32,
  presencePenalty: double,
  frequencyPenalty: double,
  responseLogprobs: bool,
  logprobs: int32,
  enableEnhancedCivicAnswers: bool,
  audioTimestamp: bool,
  mediaResolution: enumValue,
  speechConfig: anyMessage.optional(),
  imageConfig: message({ aspectRatio: string, imageSize: string }).optional(),
  thinkingConfig: message({
    includeThoughts: bool,
    thinkingBudget: int32,
    thinkingLevel: enumValue,
  }).optional(),
});

const requestShape = {
  model: string,
  contents: z.array(content),
  systemInstruction: systemContent.optional(),
  tools: z.array(tool).nullish(),
  toolConfig: toolConfig.optional(),
  safetySettings: z.array(safetySetting).nullish(),
  generationConfig: generationConfig.optional(),
  cachedContent: string,
  labels: z.record(z.string(), z.string()).optional(),
};

export const generateContentRequestSchema = message(requestShape);

/** `contents` may be absent when the request travels as `generateContentRequest`. */
export const countTokensRequestSchema = message({
  ...requestShape,
  contents: z.array(content).nullish(),
  generateContentRequest: generateContentRequestSchema.optional(),
});

// ---------------------------------------------------------------------------------------------
// The schema compiled into a read-only checker.

/** Where a value does not fit: its path and the type it should have had. */
export interface Issue {
  path: PropertyKey[];
  /** A proto type name (`TYPE_STRING`, `TYPE_MESSAGE` …), `repeated`, `missing`, `enum` or `deep`. */
  expected: string;
}

/** Stops after this many issues: a body with thousands of bad parts does not get a 1 MB answer. */
const MAX_ISSUES = 8;

/** Levels of objects and lists a body may nest (protobuf's JSON parser refuses deeper ones). */
export const MAX_DEPTH = 100;

/** A free-form value: any JSON, as long as it does not nest too deep. */
const freeForm: Check = (value, walk, key) => {
  // The value sits inside `walk.path.length` containers already.
  if (!nestsWithin(value, MAX_DEPTH - walk.path.length)) walk.report('deep', key);
};

/** Whether a container met under the current path would be nested too deep. */
function tooDeep(walk: Walk, key: PropertyKey): boolean {
  if (walk.path.length < MAX_DEPTH) return false;
  walk.report('deep', key);
  return true;
}

/** Checks `value` (found under `key` of the current path) and reports what does not fit. */
type Check = (value: unknown, walk: Walk, key: PropertyKey) => void;

class Walk {
  readonly path: PropertyKey[] = [];
  readonly issues: Issue[] = [];
  report(expected: string, key?: PropertyKey): void {
    const path = key === undefined ? [...this.path] : [...this.path, key];
    this.issues.push({ path, expected });
  }
  get full(): boolean {
    return this.issues.length >= MAX_ISSUES;
  }
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  element?: z.ZodType;
  shape?: Shape;
  catchall?: z.ZodType;
  valueType?: z.ZodType;
  getter?: () => z.ZodType;
  entries?: Record<string, string>;
  fn?: (value: unknown) => unknown;
  checks?: unknown[];
}

const compiled = new WeakMap<z.ZodType, Check>();

/**
 * The schema as a function. Only what this file uses is supported (loose objects, arrays, records,
 * optional, nullable, lazy, enum, string, boolean, number, unknown and the registered scalars); any
 * other construct fails here, when the module loads, not on a request.
 */
export function compile(schema: z.ZodType): Check {
  const known = compiled.get(schema);
  if (known) return known;
  const def = (schema as unknown as { _zod: { def: Def } })._zod.def;
  if (def.checks?.length) throw new Error(`request-schema: checks on ${def.type} are not supported`);
  let check: Check;
  switch (def.type) {
    case 'optional': {
      const inner = compile(def.innerType!);
      check = (value, walk, key) => {
        if (value !== undefined) inner(value, walk, key);
      };
      break;
    }
    case 'nullable': {
      const inner = compile(def.innerType!);
      check = (value, walk, key) => {
        if (value !== null) inner(value, walk, key);
      };
      break;
    }
    case 'unknown':
      check = freeForm;
      break;
    case 'string':
      check = (value, walk, key) => {
        if (typeof value !== 'string') walk.report('TYPE_STRING', key);
      };
      break;
    case 'boolean':
      check = (value, walk, key) => {
        if (typeof value !== 'boolean') walk.report('TYPE_BOOL', key);
      };
      break;
    case 'number':
      check = (value, walk, key) => {
        if (typeof value !== 'number' || !Number.isFinite(value)) walk.report('TYPE_DOUBLE', key);
      };
      break;
    case 'custom': {
      const protoType = PROTO_TYPES.get(schema);
      if (!protoType) throw new Error('request-schema: unregistered custom schema');
      const test = def.fn!;
      check = (value, walk, key) => {
        if (!test(value)) walk.report(protoType, key);
      };
      break;
    }
    case 'enum': {
      const allowed = new Set(Object.values(def.entries!));
      check = (value, walk, key) => {
        if (!allowed.has(value as string))
          walk.report(typeof value === 'string' ? 'enum' : 'TYPE_STRING', key);
      };
      break;
    }
    case 'lazy': {
      let inner: Check | undefined;
      check = (value, walk, key) => (inner ??= compile(def.getter!()))(value, walk, key);
      break;
    }
    case 'array': {
      const element = compile(def.element!);
      check = (value, walk, key) => {
        if (!Array.isArray(value)) return walk.report('repeated', key);
        if (tooDeep(walk, key)) return;
        walk.path.push(key);
        for (let index = 0; index < value.length && !walk.full; index++) element(value[index], walk, index);
        walk.path.pop();
      };
      break;
    }
    case 'record': {
      const entry = compile(def.valueType!);
      check = (value, walk, key) => {
        if (!isPlainObject(value)) return walk.report('TYPE_MESSAGE', key);
        if (tooDeep(walk, key)) return;
        walk.path.push(key);
        for (const name in value) if (Object.hasOwn(value, name)) entry(value[name], walk, name);
        walk.path.pop();
      };
      break;
    }
    case 'object': {
      if ((def.catchall as { _zod?: { def: Def } } | undefined)?._zod?.def.type !== 'unknown')
        throw new Error('request-schema: only loose objects are supported');
      const fields = new Map<string, Check>();
      const required: string[] = [];
      for (const [name, field] of Object.entries(def.shape!)) {
        fields.set(name, compile(field));
        if ((field as unknown as { _zod: { optin?: string } })._zod.optin !== 'optional') required.push(name);
      }
      check = (value, walk, key) => {
        if (!isPlainObject(value)) return walk.report('TYPE_MESSAGE', key);
        if (tooDeep(walk, key)) return;
        walk.path.push(key);
        // The body's own keys, not the schema's: a part names one or two of its twenty-odd fields.
        // Keys the schema does not know travel upstream as they are: only their depth matters.
        for (const name in value) {
          if (Object.hasOwn(value, name)) (fields.get(name) ?? freeForm)(value[name], walk, name);
        }
        for (const name of required) if (value[name] === undefined) walk.report('missing', name);
        walk.path.pop();
      };
      break;
    }
    default:
      throw new Error(`request-schema: ${def.type} schemas are not supported`);
  }
  compiled.set(schema, check);
  return check;
}

/** The issues of a value against a schema (the root's path is empty). */
export function issuesOf(check: Check, value: unknown): Issue[] {
  const walk = new Walk();
  check(value, walk, '');
  // The root was entered under a placeholder key; drop it from every path.
  for (const issue of walk.issues) issue.path.shift();
  return walk.issues;
}

// ---------------------------------------------------------------------------------------------
// Messages in Google's style: `* GenerateContentRequest.contents[0].parts[1].text: …\n`.

function pathText(path: readonly PropertyKey[]): string {
  let text = '';
  // A path a hundred levels deep keeps its ends.
  const shownPath = path.length > 24 ? [...path.slice(0, 12), '…', ...path.slice(-8)] : path;
  for (const key of shownPath) {
    if (typeof key === 'number') text += `[${key}]`;
    else if (key === '…' || /^[A-Za-z_][A-Za-z0-9_]*$/.test(String(key))) text += `.${String(key)}`;
    else text += `[${JSON.stringify(String(key))}]`;
  }
  return text;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/** What is wrong with one value, in the words Google's JSON front-end uses. */
function describe(expected: string, input: unknown): string {
  if (expected === 'repeated') {
    return isPlainObject(input)
      ? 'Proto field is repeating, cannot start object.'
      : `Invalid value (repeated field), ${shown(input)}`;
  }
  if (expected === 'enum') return `Invalid value, ${shown(input)}`;
  if (expected === 'deep')
    return `Invalid JSON payload received. Message too deep: more than ${MAX_DEPTH} levels of nesting.`;
  if (Array.isArray(input)) return `Proto field is not repeating, cannot start list (${expected}).`;
  if (isPlainObject(input) && expected !== 'TYPE_MESSAGE')
    return `Starting an object on a scalar field (${expected}).`;
  return `Invalid value (${expected}), ${shown(input)}`;
}

function issueLine(issue: Issue, root: unknown, prefix: string): string {
  const where = `* ${prefix}${pathText(issue.path)}: `;
  const input = valueAt(root, issue.path);
  const last = issue.path.at(-1);
  if (input === undefined || input === null) {
    if (last === 'contents') return `${where}contents is not specified\n`;
    if (last === 'parts') return `${where}parts is not specified\n`;
    if (issue.expected === 'missing') return `${where}${String(last)} is not specified\n`;
  }
  if (last === 'role' && issue.expected === 'enum') return `${where}Please use a valid role: user, model.\n`;
  return `${where}${describe(issue.expected, input)}\n`;
}

export type Validation = { ok: true } | { ok: false; message: string };

const checkGenerate = compile(generateContentRequestSchema);
const checkCount = compile(countTokensRequestSchema);

function run(check: Check, body: unknown, prefix: string): Validation {
  const issues = issuesOf(check, body);
  if (issues.length === 0) return { ok: true };
  return { ok: false, message: issues.map((issue) => issueLine(issue, body, prefix)).join('') };
}

/** Checks the shape of a GenerateContentRequest; `contents` must be a non-empty list. */
export function validateGenerateContentRequest(body: unknown): Validation {
  const result = run(checkGenerate, body, 'GenerateContentRequest');
  if (result.ok && (body as { contents: unknown[] }).contents.length === 0)
    return { ok: false, message: '* GenerateContentRequest.contents: contents is not specified\n' };
  return result;
}

/** Checks a CountTokensRequest: `{contents}` or `{generateContentRequest: {…}}` (either spelling). */
export function validateCountTokensRequest(body: unknown): Validation {
  const result = run(checkCount, body, 'CountTokensRequest');
  if (!result.ok) return result;
  const request = body as Record<string, unknown>;
  const inner = (request.generateContentRequest ?? request.generate_content_request) as
    Record<string, unknown> | undefined;
  const contents = (inner ?? request).contents as unknown[] | null | undefined;
  if (!contents?.length) {
    const at = inner ? 'CountTokensRequest.generateContentRequest' : 'CountTokensRequest';
    return { ok: false, message: `* ${at}.contents: contents is not specified\n` };
  }
  return result;
}
