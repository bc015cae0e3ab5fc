import { z } from 'zod';
import { describeIssue } from './schema-errors.ts';
import { nestsWithin } from '../../../util/json.ts';
import { lazily } from '../../../util/lazily.ts';

/**
 * The Chat Completions request body (wire.md §5.1, OSDK `ChatCompletionCreateParamsBase`), checked
 * with zod.
 *
 * - Every field the translation reads is typed here, at any depth; a wrong value is a 400 whose
 *   message names the parameter the way OpenAI's API does (`messages[1].content`).
 * - Objects strip what they do not name: `metadata`, `store`, `logprobs`, `modalities`,
 *   `service_tier`, `verbosity`, `web_search_options`, `name`… are accepted and never reach the upstream.
 * - `null` is "not set" for optional fields (other languages' SDKs serialise unset fields so).
 * - What the translation would otherwise have to refuse later is refused here, so `toUpstream` cannot
 *   fail: tool call arguments are parsed once (invalid JSON is a 400 naming the argument), `n > 1`
 *   is refused (the upstream returns one candidate), image `data:` URLs must be base64.
 * - Free-form JSON (schemas, arguments) may nest at most MAX_FREE_FORM_DEPTH levels: deeper values
 *   would overflow the stack of the translators and of `JSON.stringify`.
 */

export const MAX_FREE_FORM_DEPTH = 64;

const TOO_DEEP = `nests deeper than ${MAX_FREE_FORM_DEPTH} levels`;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

/** Built on first use (`lazily`). */
function buildSchemas() {
  /** A JSON object passed on as the client wrote it (checked, not copied). */
  const freeObject = z
    .custom<Record<string, unknown>>(isObject, 'expected an object')
    .refine((value) => nestsWithin(value, MAX_FREE_FORM_DEPTH), TOO_DEEP);

  const optionalString = z.string().nullish();

  // ---------------------------------------------------------------------------------------------
  // Content parts

  const textPart = z.object({ type: z.literal('text'), text: z.string() });

  /** Only base64 `data:` URLs can be inlined; `http(s)` URLs are fetched by the adapter. */
  const DATA_URL = /^data:[^,]*;base64,/i;
  const imageUrl = z.string().superRefine((url, context) => {
    if (url.startsWith('data:') && !DATA_URL.test(url.slice(0, 256))) {
      context.addIssue({ code: 'custom', message: 'a data URL must be base64 (data:<mime>;base64,<data>)' });
    } else if (!url.startsWith('data:') && !/^https?:\/\//i.test(url)) {
      context.addIssue({ code: 'custom', message: 'expected an http(s) URL or a base64 data URL' });
    }
  });

  const imagePart = z.object({
    type: z.literal('image_url'),
    // A bare string is not OpenAI's, but some clients send it.
    image_url: z.union([imageUrl, z.object({ url: imageUrl, detail: optionalString })]),
  });
  const audioPart = z.object({
    type: z.literal('input_audio'),
    input_audio: z.object({ data: z.string(), format: z.string() }),
  });
  const filePart = z.object({
    type: z.literal('file'),
    file: z
      .object({ file_data: optionalString, file_id: optionalString, filename: optionalString })
      .superRefine((file, context) => {
        if (file.file_data) return;
        context.addIssue({
          code: 'custom',
          path: ['file_data'],
          message: file.file_id
            ? 'uploaded files (file_id) are not available through this proxy; send the file as file_data'
            : 'expected file_data',
        });
      }),
  });
  const refusalPart = z.object({ type: z.literal('refusal'), refusal: z.string() });

  const userPart = z.discriminatedUnion('type', [textPart, imagePart, audioPart, filePart]);
  const assistantPart = z.discriminatedUnion('type', [textPart, refusalPart]);

  // ---------------------------------------------------------------------------------------------
  // Messages

  /** Tool call arguments: a JSON string (OpenAI's form) or, from lenient clients, the object itself. */
  const callArguments = z.union([z.string(), freeObject]).transform((value, context) => {
    if (typeof value !== 'string') return value;
    if (value.trim() === '') return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      context.addIssue({
        code: 'custom',
        message: 'expected a JSON object, but the string is not valid JSON',
      });
      return z.NEVER;
    }
    if (parsed === null) return {};
    if (!isObject(parsed)) {
      context.addIssue({ code: 'custom', message: 'expected a JSON object' });
      return z.NEVER;
    }
    if (!nestsWithin(parsed, MAX_FREE_FORM_DEPTH)) {
      context.addIssue({ code: 'custom', message: TOO_DEEP });
      return z.NEVER;
    }
    return parsed;
  });

  const toolCall = z.object({
    id: z.string(),
    type: z.literal('function').nullish(),
    function: z.object({ name: z.string(), arguments: callArguments }),
  });

  const systemMessage = z.object({
    role: z.enum(['system', 'developer']),
    content: z.union([z.string(), z.array(textPart)]),
  });
  const userMessage = z.object({
    role: z.literal('user'),
    content: z.union([z.string(), z.array(userPart)]),
  });
  const assistantMessage = z.object({
    role: z.literal('assistant'),
    content: z.union([z.string(), z.array(assistantPart)]).nullish(),
    refusal: optionalString,
    tool_calls: z.array(toolCall).nullish(),
    /** Deprecated single call. */
    function_call: z.object({ name: z.string(), arguments: callArguments }).nullish(),
    /** DeepSeek's field, which some clients send back (wire.md §5.1). */
    reasoning_content: optionalString,
  });
  const toolMessage = z.object({
    role: z.literal('tool'),
    // OpenAI takes text parts; images are accepted too and travel after the function responses.
    content: z.union([z.string(), z.array(userPart)]),
    tool_call_id: z.string(),
  });
  /** Deprecated result of a `function_call`. */
  const functionMessage = z.object({
    role: z.literal('function'),
    name: z.string(),
    content: z.string().nullable(),
  });

  const message = z.discriminatedUnion('role', [
    systemMessage,
    userMessage,
    assistantMessage,
    toolMessage,
    functionMessage,
  ]);

  // ---------------------------------------------------------------------------------------------
  // Tools and output

  const functionDefinition = z.object({
    name: z.string(),
    description: optionalString,
    parameters: freeObject.nullish(),
  });

  const tool = z
    .object({
      type: z.enum(['function', 'custom']).nullish(),
      function: functionDefinition.nullish(),
    })
    .superRefine((value, context) => {
      if ((value.type ?? 'function') === 'function' && value.function == null)
        context.addIssue({ code: 'custom', path: ['function'], message: 'missing' });
    });

  const namedFunction = z.object({ name: z.string() });
  const toolChoice = z.union([
    z.enum(['none', 'auto', 'required']),
    z.discriminatedUnion('type', [
      z.object({ type: z.literal('function'), function: namedFunction }),
      z.object({ type: z.literal('custom'), custom: namedFunction }),
      z.object({
        type: z.literal('allowed_tools'),
        allowed_tools: z.object({
          mode: z.enum(['auto', 'required']),
          tools: z.array(z.object({ type: optionalString, function: namedFunction.nullish() })),
        }),
      }),
    ]),
  ]);
  /** Deprecated `function_call` parameter. */
  const functionChoice = z.union([z.enum(['none', 'auto']), namedFunction]);

  const responseFormat = z.discriminatedUnion('type', [
    z.object({ type: z.literal('text') }),
    z.object({ type: z.literal('json_object') }),
    z.object({
      type: z.literal('json_schema'),
      json_schema: z.object({ name: optionalString, schema: freeObject.nullish() }),
    }),
  ]);

  const count = z.number().int().min(1);

  const requestSchema = z.object({
    model: z.string(),
    messages: z.array(message).min(1),
    stream: z.boolean().nullish(),
    stream_options: z.object({ include_usage: z.boolean().nullish() }).nullish(),
    max_tokens: count.nullish(),
    max_completion_tokens: count.nullish(),
    n: count
      .refine((n) => n === 1, 'the models behind this proxy return one choice per request, so n must be 1')
      .nullish(),
    stop: z.union([z.string(), z.array(z.string())]).nullish(),
    temperature: z.number().min(0).max(2).nullish(),
    top_p: z.number().min(0).max(1).nullish(),
    /** Not OpenAI's; sent by clients written for other providers. */
    top_k: z.number().int().min(0).nullish(),
    seed: z.number().int().nullish(),
    presence_penalty: z.number().min(-2).max(2).nullish(),
    frequency_penalty: z.number().min(-2).max(2).nullish(),
    tools: z.array(tool).nullish(),
    tool_choice: toolChoice.nullish(),
    functions: z.array(functionDefinition).nullish(),
    function_call: functionChoice.nullish(),
    response_format: responseFormat.nullish(),
    reasoning_effort: z.enum(REASONING_EFFORTS).nullish(),
    /** Anthropic's thinking object, which some clients send to Claude models; read leniently. */
    thinking: z.unknown().optional(),
    /** A string for OpenAI; some clients send an object here, which is then not a session source. */
    user: z.unknown().optional(),
    prompt_cache_key: optionalString,
  });
  return {
    requestSchema,
    message,
    userPart,
    assistantPart,
    toolCall,
    tool,
    functionDefinition,
    toolChoice,
    functionChoice,
  };
}

type Schemas = ReturnType<typeof buildSchemas>;
const schemas = lazily(buildSchemas);

export type ChatRequest = z.output<Schemas['requestSchema']>;
export type ChatMessage = z.output<Schemas['message']>;
export type UserPart = z.output<Schemas['userPart']>;
export type AssistantPart = z.output<Schemas['assistantPart']>;
export type ToolCall = z.output<Schemas['toolCall']>;
export type ToolParam = z.output<Schemas['tool']>;
export type FunctionDefinition = z.output<Schemas['functionDefinition']>;
export type ToolChoice = z.output<Schemas['toolChoice']>;
export type FunctionChoice = z.output<Schemas['functionChoice']>;

export type ParseResult = { ok: true; request: ChatRequest } | { ok: false; message: string; param?: string };

/**
 * Validates a `/v1/chat/completions` body. Never throws: anything wrong is an OpenAI-worded message
 * naming the parameter.
 */
export function parseChatBody(body: unknown): ParseResult {
  if (!isObject(body)) {
    return {
      ok: false,
      message:
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
    };
  }
  try {
    const result = schemas().requestSchema.safeParse(body);
    if (result.success) return { ok: true, request: result.data };
    const { param, message } = describeIssue(result.error.issues[0]!, body);
    return { ok: false, message, ...(param ? { param } : {}) };
  } catch {
    // zod does not throw on data; a getter or a proxy object in a hand-made body might.
    return { ok: false, message: 'The request body could not be read.' };
  }
}
