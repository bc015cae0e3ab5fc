import { z } from 'zod';
import { MAX_FREE_FORM_DEPTH } from '../../anthropic/request-schema.ts';
import { describeIssue } from './schema-errors.ts';
import { nestsWithin } from '../../../util/json.ts';
import { lazily } from '../../../util/lazily.ts';

/**
 * The Responses API request body (wire.md §5.6, OSDK `ResponseCreateParamsBase`), checked with zod.
 *
 * - Every field the translation reads is typed; a wrong one is a 400 whose message and `param`
 *   name it the way OpenAI's API does (`Invalid type for 'input[2].call_id': expected a string, but
 *   got a number instead.`). Fields we do not read are ignored and left out of the parsed request.
 * - Lists of tagged objects (input items, content parts, tools) check the types this proxy knows and
 *   drop the others: clients such as Codex add item types with new releases (`web_search_call`,
 *   `compaction`, `ghost_snapshot`, `local_shell_call`…), and a proxy that refused them would break
 *   on every Codex update. What the upstream model could not act on is dropped with them.
 * - `null` is "not set" for optional fields.
 * - Cheap on Codex's long histories: one pass, no deep copy of free-form JSON (schemas are checked
 *   for depth, not rebuilt), strings kept as they are.
 */

const TOO_DEEP = `nests deeper than ${MAX_FREE_FORM_DEPTH} levels.`;

/**
 * A list of objects tagged by `type`: known tags are checked with their schema, unknown tags are
 * dropped, an element that is not an object or has no tag is refused. `defaultType` is the tag of an
 * element without one (a Responses "easy" message `{role, content}`).
 */
function taggedList<const T extends Record<string, z.ZodType>>(
  schemas: T,
  defaultType?: keyof T & string,
): z.ZodType<Array<z.output<T[keyof T]>>> {
  return z.array(z.unknown()).transform((items, context) => {
    const out: Array<z.output<T[keyof T]>> = [];
    items.forEach((item, index) => {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        context.issues.push({ code: 'invalid_type', expected: 'object', path: [index], input: item });
        return;
      }
      const tag = (item as { type?: unknown }).type ?? defaultType;
      if (typeof tag !== 'string') {
        context.issues.push({ code: 'invalid_type', expected: 'string', path: [index, 'type'], input: tag });
        return;
      }
      if (!Object.hasOwn(schemas, tag)) return;
      const result = schemas[tag]!.safeParse(item);
      if (result.success) out.push(result.data as z.output<T[keyof T]>);
      else {
        for (const issue of result.error.issues)
          context.issues.push({ ...issue, path: [index, ...issue.path] } as (typeof context.issues)[number]);
      }
    });
    return out;
  }) as unknown as z.ZodType<Array<z.output<T[keyof T]>>>;
}

export const ROLES = ['user', 'assistant', 'system', 'developer'] as const;

/** OpenAI's hosted search tool, by every name it has had. */
export const WEB_SEARCH_TYPES = [
  'web_search',
  'web_search_preview',
  'web_search_2025_08_26',
  'web_search_preview_2025_03_11',
] as const;

export const EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] as const;
export type ReasoningEffort = (typeof EFFORTS)[number];

/** Built on first use (`lazily`). */
function buildSchemas() {
  /** A JSON object passed on as it is (a schema): checked, not copied. */
  const freeObject = z
    .custom<Record<string, unknown>>(
      (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
      'expected an object',
    )
    .refine((value) => nestsWithin(value, MAX_FREE_FORM_DEPTH), TOO_DEEP);

  const optionalString = z.string().nullish();

  // ---------------------------------------------------------------------------------------------
  // Content parts

  const inputText = z.object({ type: z.literal('input_text'), text: z.string() });
  const outputText = z.object({ type: z.literal('output_text'), text: z.string() });
  const refusal = z.object({ type: z.literal('refusal'), refusal: z.string() });
  const inputImage = z.object({
    type: z.literal('input_image'),
    image_url: optionalString,
    file_id: optionalString,
  });
  const inputFile = z.object({
    type: z.literal('input_file'),
    file_data: optionalString,
    file_url: optionalString,
    file_id: optionalString,
    filename: optionalString,
  });

  const messageParts = taggedList({
    input_text: inputText,
    output_text: outputText,
    refusal,
    input_image: inputImage,
    input_file: inputFile,
  });
  const toolOutputParts = taggedList({
    input_text: inputText,
    input_image: inputImage,
    input_file: inputFile,
  });

  // ---------------------------------------------------------------------------------------------
  // Input items

  const message = z.object({
    type: z.literal('message').optional(),
    role: z.enum(ROLES),
    content: z.union([z.string(), messageParts]),
  });

  const functionCall = z.object({
    type: z.literal('function_call'),
    call_id: z.string(),
    name: z.string(),
    arguments: z.string(),
  });

  const toolOutput = z.union([z.string(), toolOutputParts]);

  const functionCallOutput = z.object({
    type: z.literal('function_call_output'),
    call_id: z.string(),
    output: toolOutput,
  });

  const customToolCall = z.object({
    type: z.literal('custom_tool_call'),
    call_id: z.string(),
    name: z.string(),
    input: z.string(),
  });

  const customToolCallOutput = z.object({
    type: z.literal('custom_tool_call_output'),
    call_id: z.string(),
    output: toolOutput,
  });

  const reasoningText = z.object({ text: z.string() });
  const reasoning = z.object({
    type: z.literal('reasoning'),
    id: optionalString,
    summary: taggedList({ summary_text: z.object({ type: z.literal('summary_text'), text: z.string() }) })
      .nullish()
      .transform((value) => value ?? []),
    content: taggedList({ reasoning_text: reasoningText, text: reasoningText }).nullish(),
    encrypted_content: optionalString,
  });

  const inputItems = taggedList(
    {
      message,
      function_call: functionCall,
      function_call_output: functionCallOutput,
      custom_tool_call: customToolCall,
      custom_tool_call_output: customToolCallOutput,
      reasoning,
    },
    'message',
  );

  // ---------------------------------------------------------------------------------------------
  // Tools

  const functionTool = z.object({
    type: z.literal('function'),
    name: z.string(),
    description: optionalString,
    parameters: freeObject.nullish(),
  });

  const customTool = z.object({
    type: z.literal('custom'),
    name: z.string(),
    description: optionalString,
    format: z
      .discriminatedUnion('type', [
        z.object({ type: z.literal('text') }),
        z.object({ type: z.literal('grammar'), syntax: z.string(), definition: z.string() }),
      ])
      .nullish(),
  });

  const webSearchTool = z.object({ type: z.enum(WEB_SEARCH_TYPES) });

  const tools = taggedList({
    function: functionTool,
    custom: customTool,
    ...Object.fromEntries(WEB_SEARCH_TYPES.map((type) => [type, webSearchTool])),
  } as {
    function: typeof functionTool;
    custom: typeof customTool;
    web_search: typeof webSearchTool;
  });

  const toolChoice = z.union([
    z.enum(['none', 'auto', 'required']),
    z
      .object({
        type: z.string(),
        name: optionalString,
        mode: z.enum(['auto', 'required']).nullish(),
        tools: z.array(z.object({ type: z.string(), name: optionalString })).nullish(),
      })
      .superRefine((value, context) => {
        if ((value.type === 'function' || value.type === 'custom') && value.name == null)
          context.addIssue({ code: 'invalid_type', expected: 'string', path: ['name'], input: undefined });
      }),
  ]);

  // ---------------------------------------------------------------------------------------------
  // The request

  const textFormat = z.discriminatedUnion('type', [
    z.object({ type: z.literal('text') }),
    z.object({ type: z.literal('json_object') }),
    z.object({
      type: z.literal('json_schema'),
      name: optionalString,
      description: optionalString,
      schema: freeObject,
      strict: z.boolean().nullish(),
    }),
  ]);

  const requestSchema = z.object({
    model: z.string(),
    input: z.union([z.string(), inputItems]),
    instructions: z.unknown().optional(),
    tools: tools.nullish(),
    tool_choice: toolChoice.nullish(),
    parallel_tool_calls: z.boolean().nullish(),
    reasoning: z
      .object({
        effort: z.enum(EFFORTS).nullish(),
        summary: z.enum(['auto', 'concise', 'detailed']).nullish(),
      })
      .nullish(),
    text: z.object({ format: textFormat.nullish(), verbosity: optionalString }).nullish(),
    max_output_tokens: z.number().int().min(1).nullish(),
    temperature: z.number().min(0).max(2).nullish(),
    top_p: z.number().min(0).max(1).nullish(),
    store: z.boolean().nullish(),
    stream: z.boolean().nullish(),
    include: z.array(z.string()).nullish(),
    previous_response_id: optionalString,
    conversation: z.union([z.string(), z.object({ id: z.string() })]).nullish(),
    prompt_cache_key: optionalString,
    metadata: z.record(z.string(), z.string()).nullish(),
  });
  return { requestSchema, toolOutput };
}

type Schemas = ReturnType<typeof buildSchemas>;
const schemas = lazily(buildSchemas);

/** A validated Responses request. */
export type ResponsesRequest = z.output<Schemas['requestSchema']>;
export type InputItem = Exclude<ResponsesRequest['input'], string>[number];
export type MessageItem = Extract<InputItem, { role: unknown }>;
export type MessagePart = Exclude<MessageItem['content'], string>[number];
export type ToolOutputPart = Exclude<z.output<Schemas['toolOutput']>, string>[number];
export type ResponsesTool = NonNullable<ResponsesRequest['tools']>[number];
export type ResponsesToolChoice = NonNullable<ResponsesRequest['tool_choice']>;

export type ParseResult =
  { ok: true; request: ResponsesRequest } | { ok: false; message: string; param?: string };

/**
 * Validates a `POST /v1/responses` body. Never throws: anything wrong is a message naming the
 * parameter. A `previous_response_id` must have been resolved before (the adapter prepends the
 * stored items and drops the id); a `conversation` is refused as OpenAI refuses an unknown id,
 * since this proxy keeps no conversation objects.
 */
export function parseResponsesBody(body: unknown): ParseResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, message: 'Invalid body: expected a JSON object.' };
  }
  try {
    const result = schemas().requestSchema.safeParse(body);
    if (!result.success) {
      const issue = describeIssue(result.error.issues[0]!, body);
      return { ok: false, message: issue.message, ...(issue.param ? { param: issue.param } : {}) };
    }
    const request = result.data;
    if (request.previous_response_id) {
      return {
        ok: false,
        message: `Previous response with id '${request.previous_response_id}' not found.`,
        param: 'previous_response_id',
      };
    }
    if (request.conversation) {
      const id = typeof request.conversation === 'string' ? request.conversation : request.conversation.id;
      return { ok: false, message: `Conversation with id '${id}' not found.`, param: 'conversation' };
    }
    return { ok: true, request };
  } catch {
    // zod does not throw on data; a getter or a proxy object in a hand-made body might.
    return { ok: false, message: 'The request body could not be read.' };
  }
}

/** Whether the client asked for reasoning items to carry `encrypted_content` (Codex always does). */
export function includesEncryptedReasoning(request: ResponsesRequest): boolean {
  return request.include?.includes('reasoning.encrypted_content') ?? false;
}
