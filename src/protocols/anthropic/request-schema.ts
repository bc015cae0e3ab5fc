import { z } from 'zod';
import { nestsWithin } from '../../util/json.ts';
import { lazily } from '../../util/lazily.ts';

/**
 * The Messages API request body (wire.md §4.2, ASDK `MessageCreateParamsBase`), checked with zod.
 *
 * - Every field the translation reads is typed here, at any depth; a wrong type is a 400 whose
 *   message names the field the way Anthropic's API does (`messages.0.content.1.type: Input tag
 *   'foo' found using 'type' does not match any of the expected tags: …`).
 * - Objects are zod's default (stripping) objects: keys we do not read (`cache_control`,
 *   `citations`, `context_management`, `service_tier`, `container`, `mcp_servers`, betas of next
 *   month…) are accepted and left out of the parsed request, so they can never reach the upstream.
 * - `null` is taken as "not set" for optional fields: SDKs of other languages serialise unset fields so.
 * - Free-form JSON (tool inputs, schemas) is kept as given, but may nest at most MAX_FREE_FORM_DEPTH
 *   levels: deeper values would overflow the stack of the translators and of `JSON.stringify`.
 */

export const MAX_FREE_FORM_DEPTH = 64;

const TOO_DEEP = `Input nests deeper than ${MAX_FREE_FORM_DEPTH} levels`;

/** Anthropic-defined tools are versioned by date: `web_search_20250305`, `bash_20250124`… */
export const SERVER_TOOL_TYPE = /^[a-z][a-z0-9_]*_\d{8}$/;
/** What the message of an unknown tool type lists (any `<name>_<date>` is accepted). */
const TOOL_TAGS = ['custom', 'web_search_20250305', 'bash_20250124', 'text_editor_20250728', 'mcp_toolset'];

export const EFFORTS = ['low', 'medium', 'high', 'xhigh', 'max'] as const;
export type Effort = (typeof EFFORTS)[number];

/** Built on first use (`lazily`). */
function buildSchemas() {
  /**
   * A JSON object the translation passes on as it is (tool input, input schema): checked, not copied,
   * so it reaches the upstream exactly as the client wrote it (a `__proto__` key included).
   */
  const freeObject = z
    .custom<Record<string, unknown>>(
      (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
      'Input should be a valid dictionary or object to extract fields from',
    )
    .refine((value) => nestsWithin(value, MAX_FREE_FORM_DEPTH), TOO_DEEP);
  /** Any JSON value, as deep as a free object may be. */
  const freeValue = z.unknown().refine((value) => nestsWithin(value, MAX_FREE_FORM_DEPTH), TOO_DEEP);

  const optionalString = z.string().nullish();

  // ---------------------------------------------------------------------------------------------
  // Content blocks

  const textBlock = z.object({ type: z.literal('text'), text: z.string() });

  const imageSource = z.discriminatedUnion('type', [
    z.object({ type: z.literal('base64'), media_type: z.string(), data: z.string() }),
    z.object({ type: z.literal('url'), url: z.string() }),
    z.object({ type: z.literal('file'), file_id: z.string() }),
  ]);
  const imageBlock = z.object({ type: z.literal('image'), source: imageSource });

  const documentSource = z.discriminatedUnion('type', [
    z.object({ type: z.literal('base64'), media_type: z.string(), data: z.string() }),
    z.object({ type: z.literal('text'), media_type: optionalString, data: z.string() }),
    z.object({ type: z.literal('url'), url: z.string() }),
    z.object({
      type: z.literal('content'),
      content: z.union([z.string(), z.array(z.discriminatedUnion('type', [textBlock, imageBlock]))]),
    }),
    z.object({ type: z.literal('file'), file_id: z.string() }),
  ]);
  const documentBlock = z.object({
    type: z.literal('document'),
    source: documentSource,
    title: optionalString,
    context: optionalString,
  });

  const searchResultBlock = z.object({
    type: z.literal('search_result'),
    source: z.string(),
    title: z.string(),
    content: z.array(textBlock),
  });

  /** Blocks only Anthropic's own servers can act on (tool search, MCP connector…): accepted, then dropped. */
  const opaqueBlock = <T extends string>(type: T) => z.object({ type: z.literal(type) });

  const toolResultContent = z.discriminatedUnion('type', [
    textBlock,
    imageBlock,
    documentBlock,
    searchResultBlock,
    opaqueBlock('tool_reference'),
  ]);

  const toolUseBlock = z.object({
    type: z.literal('tool_use'),
    id: z.string(),
    name: z.string(),
    input: freeObject,
  });

  const toolResultBlock = z.object({
    type: z.literal('tool_result'),
    tool_use_id: z.string(),
    content: z.union([z.string(), z.array(toolResultContent)]).nullish(),
    is_error: z.boolean().nullish(),
  });

  /** The signature is required by Anthropic; without one the block is dropped here, not refused. */
  const thinkingBlock = z.object({
    type: z.literal('thinking'),
    thinking: z.string(),
    signature: optionalString,
  });
  const redactedThinkingBlock = z.object({ type: z.literal('redacted_thinking'), data: z.string() });

  const serverToolUseBlock = z.object({
    type: z.literal('server_tool_use'),
    id: z.string(),
    name: z.string(),
    input: freeValue,
  });

  const webSearchResult = z.object({ url: z.string(), title: optionalString, page_age: optionalString });
  const webSearchToolResultBlock = z.object({
    type: z.literal('web_search_tool_result'),
    tool_use_id: z.string(),
    // A list of results, or an error object (`{type:"web_search_tool_result_error", error_code}`).
    content: z.union([z.array(webSearchResult), z.object({ error_code: optionalString })]),
  });

  const contentBlock = z.discriminatedUnion('type', [
    textBlock,
    imageBlock,
    documentBlock,
    toolUseBlock,
    toolResultBlock,
    thinkingBlock,
    redactedThinkingBlock,
    serverToolUseBlock,
    webSearchToolResultBlock,
    searchResultBlock,
    opaqueBlock('web_fetch_tool_result'),
    opaqueBlock('code_execution_tool_result'),
    opaqueBlock('bash_code_execution_tool_result'),
    opaqueBlock('text_editor_code_execution_tool_result'),
    opaqueBlock('tool_search_tool_result'),
    opaqueBlock('mcp_tool_use'),
    opaqueBlock('mcp_tool_result'),
    opaqueBlock('container_upload'),
  ]);

  const message = z.object({
    // `system` is not Anthropic's, but some clients send it (wire.md §6.8 #2): it joins the system prompt.
    role: z.enum(['user', 'assistant', 'system']),
    content: z.union([z.string(), z.array(contentBlock)]),
  });

  // ---------------------------------------------------------------------------------------------
  // Tools

  const tool = z
    .object({
      type: optionalString,
      name: optionalString,
      description: optionalString,
      input_schema: freeObject.nullish(),
      max_uses: z.number().int().min(1).nullish(),
      allowed_domains: z.array(z.string()).nullish(),
      blocked_domains: z.array(z.string()).nullish(),
    })
    .superRefine((value, context) => {
      const type = value.type ?? 'custom';
      const custom = type === 'custom';
      if (!custom && type !== 'mcp_toolset' && !SERVER_TOOL_TYPE.test(type)) {
        const tags = TOOL_TAGS.map((tag) => `'${tag}'`).join(', ');
        context.addIssue({
          code: 'custom',
          path: ['type'],
          message: `Input tag '${type}' found using 'type' does not match any of the expected tags: ${tags}`,
        });
        return;
      }
      if ((custom || type !== 'mcp_toolset') && value.name == null)
        context.addIssue({ code: 'custom', path: ['name'], message: 'Field required' });
      if (custom && value.input_schema == null)
        context.addIssue({ code: 'custom', path: ['input_schema'], message: 'Field required' });
    });

  const parallel = { disable_parallel_tool_use: z.boolean().nullish() };
  const toolChoice = z.discriminatedUnion('type', [
    z.object({ type: z.literal('auto'), ...parallel }),
    z.object({ type: z.literal('any'), ...parallel }),
    z.object({ type: z.literal('none') }),
    z.object({ type: z.literal('tool'), name: z.string(), ...parallel }),
  ]);

  // ---------------------------------------------------------------------------------------------
  // Thinking and output

  const thinking = z.discriminatedUnion('type', [
    // Anthropic wants 1024 ≤ budget < max_tokens; smaller budgets are clamped later rather than refused.
    z.object({ type: z.literal('enabled'), budget_tokens: z.number().int().min(0), display: optionalString }),
    z.object({ type: z.literal('adaptive'), display: optionalString }),
    z.object({ type: z.literal('disabled') }),
  ]);

  const outputConfig = z.object({
    effort: z.enum(EFFORTS).nullish(),
    format: z.object({ type: z.literal('json_schema'), schema: freeObject }).nullish(),
  });

  // ---------------------------------------------------------------------------------------------
  // The request

  const requestShape = {
    model: z.string(),
    messages: z.array(message).min(1),
    max_tokens: z.number().int().min(1).optional(),
    system: z.union([z.string(), z.array(textBlock)]).nullish(),
    metadata: z.object({ user_id: optionalString }).nullish(),
    stop_sequences: z.array(z.string()).nullish(),
    stream: z.boolean().nullish(),
    temperature: z.number().nullish(),
    top_p: z.number().nullish(),
    top_k: z.number().int().min(0).nullish(),
    tools: z.array(tool).nullish(),
    tool_choice: toolChoice.nullish(),
    thinking: thinking.nullish(),
    output_config: outputConfig.nullish(),
  };

  const requestSchema = z.object(requestShape);
  const countTokensSchema = requestSchema.omit({ max_tokens: true, stream: true });
  const messagesSchema = requestSchema.extend({ max_tokens: z.number().int().min(1) });
  return {
    requestSchema,
    countTokensSchema,
    messagesSchema,
    contentBlock,
    toolResultContent,
    message,
    tool,
    toolChoice,
    thinking,
    imageBlock,
    documentBlock,
    searchResultBlock,
  };
}

type Schemas = ReturnType<typeof buildSchemas>;
const schemas = lazily(buildSchemas);

/** A validated Messages request (count_tokens bodies have no `max_tokens`). */
export type MessagesRequest = z.output<Schemas['requestSchema']>;
export type ContentBlock = z.output<Schemas['contentBlock']>;
export type ToolResultContentBlock = z.output<Schemas['toolResultContent']>;
export type MessageParam = z.output<Schemas['message']>;
export type ToolParam = z.output<Schemas['tool']>;
export type ToolChoice = z.output<Schemas['toolChoice']>;
export type ThinkingParam = z.output<Schemas['thinking']>;
export type ImageBlock = z.output<Schemas['imageBlock']>;
export type DocumentBlock = z.output<Schemas['documentBlock']>;
export type SearchResultBlock = z.output<Schemas['searchResultBlock']>;

export type ParseResult =
  { ok: true; request: MessagesRequest } | { ok: false; message: string; param?: string };

/**
 * Validates a `/v1/messages` or `/v1/messages/count_tokens` body. `max_tokens` is required for
 * messages; count_tokens ignores it (Anthropic refuses it there, a proxy has no reason to).
 * Never throws: anything wrong is a message naming the field.
 */
export function parseMessagesBody(body: unknown, kind: 'messages' | 'count_tokens'): ParseResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, message: 'Input should be a valid dictionary or object to extract fields from' };
  }
  try {
    const result = (kind === 'messages' ? schemas().messagesSchema : schemas().countTokensSchema).safeParse(
      body,
    );
    if (result.success) return { ok: true, request: result.data };
    const issue = describeIssue(result.error.issues[0]!, [], body);
    return { ok: false, message: `${issue.path}: ${issue.message}`, param: issue.path };
  } catch {
    // zod does not throw on data; a getter or a proxy object in a hand-made body might.
    return { ok: false, message: 'The request body could not be read' };
  }
}

// ---------------------------------------------------------------------------------------------
// Messages in Anthropic's (pydantic's) words

type Issue = z.core.$ZodIssue;

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function quoted(values: readonly unknown[]): string {
  const items = values.map((value) => `'${String(value)}'`);
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a valid string',
  number: 'a valid number',
  int: 'a valid integer',
  boolean: 'a valid boolean',
  array: 'a valid list',
  object: 'a valid dictionary or object to extract fields from',
  record: 'a valid dictionary or object to extract fields from',
};

/** What one branch of a union asked for, when it failed on the value itself. */
function expectation(issue: Issue): string | undefined {
  if (issue.code === 'invalid_type') return TYPE_WORDS[issue.expected] ?? `a valid ${issue.expected}`;
  return undefined;
}

/** The first issue as `{path, message}`; unions report the branch that got furthest. */
function describeIssue(
  issue: Issue,
  base: readonly PropertyKey[],
  root: unknown,
): { path: string; message: string } {
  const path = [...base, ...issue.path];
  const where = path.map(String).join('.');
  const input = valueAt(root, path);
  switch (issue.code) {
    case 'invalid_type': {
      if (input === undefined) return { path: where, message: 'Field required' };
      const words = TYPE_WORDS[issue.expected] ?? `a valid ${issue.expected}`;
      return { path: where, message: `Input should be ${words}` };
    }
    case 'invalid_union': {
      if (issue.discriminator !== undefined && issue.errors.length === 0) {
        const discriminator = issue.discriminator;
        if (typeof input !== 'string')
          return { path: where, message: `Unable to extract tag using discriminator '${discriminator}'` };
        const options = 'options' in issue ? (issue.options ?? []) : [];
        const tags = options.map((tag) => `'${String(tag)}'`).join(', ');
        return {
          path: where,
          message: `Input tag '${input}' found using '${discriminator}' does not match any of the expected tags: ${tags}`,
        };
      }
      const branches = issue.errors.filter((errors) => errors.length > 0);
      // A branch that failed below the value (inside the list, inside the object) is the one meant.
      const deepest = branches
        .map((errors) => errors[0]!)
        .filter((first) => first.path.length > 0)
        .sort((a, b) => b.path.length - a.path.length)[0];
      if (deepest) return describeIssue(deepest, path, root);
      const words = branches.map((errors) => expectation(errors[0]!)).filter((word) => word !== undefined);
      if (input === undefined) return { path: where, message: 'Field required' };
      return { path: where, message: `Input should be ${[...new Set(words)].join(' or ')}` };
    }
    case 'invalid_value':
      return { path: where, message: `Input should be ${quoted(issue.values)}` };
    case 'too_small': {
      if (issue.origin === 'array') {
        const count = Array.isArray(input) ? input.length : 0;
        return {
          path: where,
          message: `List should have at least ${String(issue.minimum)} item after validation, not ${count}`,
        };
      }
      return { path: where, message: `Input should be greater than or equal to ${String(issue.minimum)}` };
    }
    case 'too_big':
      return { path: where, message: `Input should be less than or equal to ${String(issue.maximum)}` };
    default:
      return { path: where, message: issue.message };
  }
}
