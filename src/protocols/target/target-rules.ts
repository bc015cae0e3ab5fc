/**
 * Rules the upstream model family imposes on a v1internal `request`, applied after any protocol
 * adapter has translated the client's request (wire.md §2.12 for Claude, §2.13 for Gemini).
 * Adapters stay ignorant of the target model; this is the one place that knows what each family refuses.
 *
 * Pure and copy-on-write: the input is never mutated, untouched branches are shared, and a request
 * without tools or model turns comes back as the very same object.
 */
import { cleanSchema, schemaTypeOf } from './clean-schema.ts';
import { isPlainObject } from '../../util/json.ts';

type Json = Record<string, unknown>;

export type ModelFamily = 'claude' | 'gemini';

export interface Target {
  model: string;
  family: ModelFamily;
}

/** Accepted by Gemini on replayed calls whose real signature the client did not keep (wire.md §2.13 #1). */
export const SIGNATURE_SENTINEL = 'skip_thought_signature_validator';
/** Every bypass value Gemini accepts; Claude refuses them all (wire.md §2.6, §2.12 #3). */
const SIGNATURE_SENTINELS = new Set([SIGNATURE_SENTINEL, 'context_engineering_is_the_way_to_go']);

/** Claude's VALIDATED mode needs at least one property per object schema (wire.md §2.12 #5). */
const REASON_PLACEHOLDER: Json = {
  properties: { reason: { type: 'string', description: 'Reason for calling this tool' } },
  required: ['reason'],
};

/** Fallback when the model catalog has no entry for an id. */
export function modelFamily(id: string): ModelFamily {
  return id.toLowerCase().startsWith('claude') ? 'claude' : 'gemini';
}

export function applyTargetRules(request: Json, target: Target): Json {
  const claude = target.family === 'claude';
  let result = request;
  const set = (key: string, value: unknown) => {
    if (result === request) result = { ...request };
    if (value === undefined) delete result[key];
    else result[key] = value;
  };

  const tools = cleanTools(request.tools, claude);
  if (tools !== request.tools) set('tools', tools);
  if (claude && hasFunctionDeclarations(tools)) set('toolConfig', validatedToolConfig(request.toolConfig));

  if (Array.isArray(request.contents)) {
    const contents = claude ? claudeContents(request.contents) : geminiContents(request.contents);
    if (contents !== request.contents) set('contents', contents);
  }
  const system = request.systemInstruction;
  if (claude && isPlainObject(system) && Array.isArray(system.parts)) {
    const kept = removeEmptyTextParts(system.parts);
    // A system instruction made only of empty text says nothing, and Claude would refuse the empty block.
    if (kept !== system.parts)
      set('systemInstruction', kept.length > 0 ? { ...system, parts: kept } : undefined);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Tools

const DECLARATION_KEYS = ['functionDeclarations', 'function_declarations'] as const;

function declarationsOf(tool: unknown): unknown[] | undefined {
  if (!isPlainObject(tool)) return undefined;
  for (const key of DECLARATION_KEYS) if (Array.isArray(tool[key])) return tool[key];
  return undefined;
}

function hasFunctionDeclarations(tools: unknown): boolean {
  return Array.isArray(tools) && tools.some((tool) => (declarationsOf(tool)?.length ?? 0) > 0);
}

function cleanTools(tools: unknown, claude: boolean): unknown {
  if (!Array.isArray(tools) || !tools.some((tool) => declarationsOf(tool) !== undefined)) return tools;
  return tools.map((tool) => {
    if (!isPlainObject(tool) || declarationsOf(tool) === undefined) return tool;
    const copy: Json = { ...tool };
    for (const key of DECLARATION_KEYS) {
      const declarations = tool[key];
      if (Array.isArray(declarations)) copy[key] = declarations.map((item) => cleanDeclaration(item, claude));
    }
    return copy;
  });
}

function cleanDeclaration(declaration: unknown, claude: boolean): unknown {
  if (!isPlainObject(declaration)) return declaration;
  const { parameters, parametersJsonSchema, parameters_json_schema: snakeJsonSchema, ...rest } = declaration;
  const raw = parameters ?? parametersJsonSchema ?? snakeJsonSchema;
  // Gemini takes a tool without parameters as is; Claude needs an input schema for every tool.
  if (raw === undefined && !claude) return declaration;
  // v1internal gets the cleaned schema as `parameters` only: the two keys together are a 400.
  const cleaned = cleanSchema(raw ?? {});
  return { ...rest, parameters: claude ? withReasonPlaceholders(cleaned) : cleaned };
}

/** Gives every object schema without properties, the root included, the `reason` placeholder. */
function withReasonPlaceholders(schema: Json): Json {
  let out = schema;
  if (isPlainObject(schema.properties)) {
    const properties: Json = {};
    for (const [name, child] of Object.entries(schema.properties)) {
      Object.defineProperty(properties, name, {
        value: isPlainObject(child) ? withReasonPlaceholders(child) : child,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    out = { ...out, properties };
  } else if (schemaTypeOf(schema) === 'object') {
    out = { ...out, ...REASON_PLACEHOLDER };
  }
  if (isPlainObject(schema.items)) out = { ...out, items: withReasonPlaceholders(schema.items) };
  return out;
}

/**
 * Claude through v1internal only accepts `VALIDATED` (wire.md §2.12 #5: every source sends it,
 * whatever the client asked), which also carries the meaning of AUTO, ANY and NONE. A client that
 * forbids tool calls for a turn (OpenAI `tool_choice:"none"`, Anthropic `{type:"none"}`) is the
 * adapter's to honour, e.g. with an instruction; the tools stay declared for the history's calls.
 */
function validatedToolConfig(toolConfig: unknown): Json {
  const config = isPlainObject(toolConfig) ? toolConfig : {};
  const { function_calling_config: snake, ...rest } = config;
  const calling = isPlainObject(config.functionCallingConfig)
    ? config.functionCallingConfig
    : isPlainObject(snake)
      ? snake
      : {};
  const { allowed_function_names: snakeAllowed, ...callingRest } = calling;
  const functionCallingConfig: Json = { ...callingRest, mode: 'VALIDATED' };
  const allowed = calling.allowedFunctionNames ?? snakeAllowed;
  if (allowed !== undefined) functionCallingConfig.allowedFunctionNames = allowed;
  return { ...rest, functionCallingConfig };
}

// ---------------------------------------------------------------------------------------------
// Contents

type Part = Json;

function signatureOf(part: Part): unknown {
  return part.thoughtSignature ?? part.thought_signature;
}

function isFunctionCall(part: unknown): part is Part {
  return isPlainObject(part) && (part.functionCall !== undefined || part.function_call !== undefined);
}

function isFunctionResponse(part: unknown): part is Part {
  return isPlainObject(part) && (part.functionResponse !== undefined || part.function_response !== undefined);
}

function withoutSignature(part: Part): Part {
  const { thoughtSignature: _camel, thought_signature: _snake, ...rest } = part;
  return rest;
}

/** Maps the parts of each content, sharing every content (and the array) that did not change. */
function mapContents(
  contents: unknown[],
  mapParts: (parts: unknown[], role: unknown) => unknown[],
): unknown[] {
  let changed = false;
  const mapped = contents.map((content) => {
    if (!isPlainObject(content) || !Array.isArray(content.parts)) return content;
    const parts = mapParts(content.parts, content.role);
    if (parts === content.parts) return content;
    changed = true;
    return { ...content, parts };
  });
  return changed ? mapped : contents;
}

/** Replaces the parts for which `map` returns a different value (or drops them for `undefined`). */
function mapParts(parts: unknown[], map: (part: unknown, index: number) => unknown): unknown[] {
  let out: unknown[] | undefined;
  parts.forEach((part, index) => {
    const next = map(part, index);
    if (next !== part && out === undefined) out = parts.slice(0, index);
    if (out !== undefined && next !== undefined) out.push(next);
  });
  return out ?? parts;
}

/**
 * Gemini 3 refuses a replayed model turn whose first functionCall has no signature (wire.md §2.13 #1).
 * History the proxy never saw signed (another family, a client that strips them) gets the sentinel,
 * for every Gemini model: the sentinel is accepted everywhere, so no model-id whitelist is needed.
 * Later calls of the same turn keep what they have; functionResponse parts never carry a signature.
 */
function geminiContents(contents: unknown[]): unknown[] {
  return mapContents(contents, (parts, role) => {
    const firstCall = role === 'model' ? parts.findIndex(isFunctionCall) : -1;
    return mapParts(parts, (part, index) => {
      if (index === firstCall && !signatureOf(part as Part)) {
        return { ...(part as Part), thoughtSignature: SIGNATURE_SENTINEL };
      }
      if (isFunctionResponse(part) && signatureOf(part) !== undefined) return withoutSignature(part);
      return part;
    });
  });
}

/**
 * Claude refuses the Gemini sentinels and any thinking block it did not sign itself, and empty text
 * blocks (wire.md §2.12 #3, #4). A turn left with nothing gets ACP's "." placeholder rather than
 * vanishing, so the user/model alternation the adapter built stays intact.
 */
function claudeContents(contents: unknown[]): unknown[] {
  return mapContents(contents, (parts) => {
    const kept = mapParts(parts, (part) => {
      if (!isPlainObject(part)) return part;
      const signature = signatureOf(part);
      const sentinel = typeof signature === 'string' && SIGNATURE_SENTINELS.has(signature);
      if (part.thought === true) return signature && !sentinel ? part : undefined;
      if (isEmptyText(part)) return undefined;
      return sentinel ? withoutSignature(part) : part;
    });
    return kept.length === 0 ? [{ text: '.' }] : kept;
  });
}

/** A text part with nothing visible in it and no other payload (Claude: "text content blocks must be non-empty"). */
function isEmptyText(part: Part): boolean {
  if (typeof part.text !== 'string' || part.text.trim() !== '') return false;
  return Object.keys(part).every(
    (key) => key === 'text' || key === 'thoughtSignature' || key === 'thought_signature',
  );
}

function removeEmptyTextParts(parts: unknown[]): unknown[] {
  return mapParts(parts, (part) => (isPlainObject(part) && isEmptyText(part) ? undefined : part));
}
