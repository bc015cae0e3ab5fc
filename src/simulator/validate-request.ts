import { rpcError } from './rpc-errors.ts';
import {
  child,
  fields,
  optionalArray,
  optionalBoolean,
  optionalEnum,
  optionalInteger,
  optionalNumber,
  optionalString,
  reject,
} from './validate-common.ts';
import { requestPath, validateContent, validateContents, type Content } from './validate-contents.ts';
import { validateSchema } from './validate-schema.ts';
import { isPlainObject } from '../util/json.ts';

/** The generate envelope and the GenerateContentRequest inside it (wire.md §2.6), structure only. */

const ENVELOPE_KEYS = [
  'project',
  'model',
  'request',
  'userAgent',
  'requestType',
  'requestId',
  'enabledCreditTypes',
  'userPromptId',
] as const;
const REQUEST_KEYS = [
  'contents',
  'systemInstruction',
  'tools',
  'toolConfig',
  'generationConfig',
  'safetySettings',
  'sessionId',
  'cachedContent',
  'labels',
] as const;
const COUNT_REQUEST_KEYS = [
  'model',
  'contents',
  'systemInstruction',
  'tools',
  'toolConfig',
  'generationConfig',
] as const;
const GENERATION_KEYS = [
  'maxOutputTokens',
  'temperature',
  'topP',
  'topK',
  'candidateCount',
  'stopSequences',
  'seed',
  'presencePenalty',
  'frequencyPenalty',
  'responseMimeType',
  'responseSchema',
  'responseJsonSchema',
  'responseModalities',
  'responseLogprobs',
  'logprobs',
  'imageConfig',
  'mediaResolution',
  'speechConfig',
  'audioTimestamp',
  'thinkingConfig',
] as const;
const TOOL_KEYS = [
  'functionDeclarations',
  'googleSearch',
  'googleSearchRetrieval',
  'codeExecution',
  'urlContext',
  'retrieval',
  'enterpriseWebSearch',
  'googleMaps',
  'computerUse',
] as const;
const DECLARATION_KEYS = [
  'name',
  'description',
  'parameters',
  'parametersJsonSchema',
  'response',
  'responseJsonSchema',
  'behavior',
] as const;
const FUNCTION_NAME = /^[a-zA-Z_][a-zA-Z0-9_.:-]{0,63}$/;
const MODES = ['MODE_UNSPECIFIED', 'AUTO', 'ANY', 'NONE', 'VALIDATED'];
const MODALITIES = ['MODALITY_UNSPECIFIED', 'TEXT', 'IMAGE', 'AUDIO'];

export interface Envelope {
  project?: string;
  model?: string;
  request: Record<string, unknown>;
  requestType?: string;
  enabledCreditTypes: string[];
}

export interface Thinking {
  includeThoughts?: boolean;
  budget?: number;
  level?: string;
}

/** One function declaration, kept for the per-family rules (wire.md §2.12 #5). */
export interface Declaration {
  name: string;
  description?: string;
  /** Its path in the request, as error messages name it. */
  at: string;
  /** The OpenAPI-subset `parameters` schema, as sent. */
  parameters?: unknown;
  /** Sent as `parametersJsonSchema` (raw JSON Schema) instead. */
  jsonSchema: boolean;
  parametersJsonSchema?: unknown;
}

/** Switches of the structural checks (SimRules). */
export interface ParseRules {
  /** Tool and response schemas are held to the OpenAPI subset (wire.md §2.13 #5). */
  schemas: boolean;
}

const STRICT_PARSE: ParseRules = { schemas: true };

export interface GenerateRequest {
  contents: Content[];
  system?: Content;
  declarations: Declaration[];
  /** A `googleSearch`/`googleSearchRetrieval` tool is on: the answer is grounded. */
  search: boolean;
  /** `toolConfig.functionCallingConfig.mode` (either spelling), upper case, when sent. */
  callingMode?: string;
  maxOutputTokens?: number;
  thinking: Thinking;
  responseModalities: string[];
  sessionId?: string;
  /** `responseMimeType: application/json`: the reply is JSON, shaped by the schema when one is given. */
  json?: { schema?: unknown };
}

export function parseEnvelope(body: unknown): Envelope {
  const f = fields(body ?? {}, ENVELOPE_KEYS, '');
  if (!isPlainObject(f.request)) reject(rpcError(400, '* GenerateContentRequest: request is required\n'));
  const envelope: Envelope = {
    project: optionalString(f.project, 'project'),
    model: optionalString(f.model, 'model'),
    request: f.request,
    requestType: optionalString(f.requestType, 'request_type'),
    enabledCreditTypes: [],
  };
  optionalString(f.userAgent, 'user_agent');
  optionalString(f.requestId, 'request_id');
  optionalString(f.userPromptId, 'user_prompt_id');
  for (const [i, entry] of (optionalArray(f.enabledCreditTypes, 'enabled_credit_types') ?? []).entries()) {
    envelope.enabledCreditTypes.push(optionalString(entry, `enabled_credit_types[${i}]`) ?? '');
  }
  return envelope;
}

function parseThinking(value: unknown, at: string): Thinking {
  if (value === undefined) return {};
  const f = fields(value, ['includeThoughts', 'thinkingBudget', 'thinkingLevel'], at);
  const thinking: Thinking = {
    includeThoughts: optionalBoolean(f.includeThoughts, child(at, 'includeThoughts')),
    budget: optionalInteger(f.thinkingBudget, child(at, 'thinkingBudget')),
    level: optionalString(f.thinkingLevel, child(at, 'thinkingLevel'))?.toLowerCase(),
  };
  if (thinking.budget !== undefined && thinking.level !== undefined) {
    reject(
      rpcError(
        400,
        'Unable to submit request because thinking_budget and thinking_level are not supported together.',
      ),
    );
  }
  return thinking;
}

function parseGeneration(
  value: unknown,
  at: string,
  rules: ParseRules,
): Pick<GenerateRequest, 'maxOutputTokens' | 'thinking' | 'responseModalities' | 'json'> {
  if (value === undefined) return { thinking: {}, responseModalities: [] };
  const f = fields(value, GENERATION_KEYS, at);
  for (const key of ['temperature', 'topP', 'presencePenalty', 'frequencyPenalty'] as const) {
    optionalNumber(f[key], child(at, key));
  }
  for (const key of ['topK', 'candidateCount', 'seed'] as const) optionalInteger(f[key], child(at, key));
  for (const [i, stop] of (optionalArray(f.stopSequences, child(at, 'stopSequences')) ?? []).entries()) {
    optionalString(stop, `${child(at, 'stopSequences')}[${i}]`);
  }
  optionalString(f.responseMimeType, child(at, 'responseMimeType'));
  if (f.responseSchema !== undefined && rules.schemas)
    validateSchema(f.responseSchema, child(at, 'responseSchema'));
  const modalities = (optionalArray(f.responseModalities, child(at, 'responseModalities')) ?? []).map(
    (m, i) => optionalEnum(m, MODALITIES, `${child(at, 'responseModalities')}[${i}]`) ?? 'TEXT',
  );
  if (f.imageConfig !== undefined)
    fields(f.imageConfig, ['aspectRatio', 'imageSize', 'imageOutputOptions'], child(at, 'imageConfig'));
  const max = optionalInteger(f.maxOutputTokens, child(at, 'maxOutputTokens'));
  const json =
    f.responseMimeType === 'application/json'
      ? { schema: f.responseJsonSchema ?? f.responseSchema }
      : undefined;
  return {
    maxOutputTokens: max !== undefined && max > 0 ? max : undefined,
    thinking: parseThinking(f.thinkingConfig, child(at, 'thinkingConfig')),
    responseModalities: modalities,
    json,
  };
}

function parseDeclaration(value: unknown, at: string, found: Declaration[], rules: ParseRules): void {
  const f = fields(value, DECLARATION_KEYS, at);
  const name = optionalString(f.name, `${at}.name`) ?? '';
  if (!FUNCTION_NAME.test(name)) {
    reject(
      rpcError(
        400,
        `* GenerateContentRequest.${requestPath(at)}.name: Invalid function name. Must start with a letter or an underscore. ` +
          'Must be alphameric (a-z, A-Z, 0-9), underscores (_), dots (.), colons (:), or dashes (-), with a maximum length of 64.\n',
      ),
    );
  }
  if (found.some((d) => d.name === name))
    reject(rpcError(400, `Duplicate function declaration found: ${name}`));
  const description = optionalString(f.description, `${at}.description`);
  if (f.parameters !== undefined && f.parametersJsonSchema !== undefined) {
    reject(
      rpcError(
        400,
        `* GenerateContentRequest.${requestPath(at)}: parameters and parameters_json_schema cannot both be set.\n`,
      ),
    );
  }
  if (rules.schemas) {
    if (f.parameters !== undefined) validateSchema(f.parameters, `${at}.parameters`);
    if (f.response !== undefined) validateSchema(f.response, `${at}.response`);
  }
  if (f.parametersJsonSchema !== undefined && !isPlainObject(f.parametersJsonSchema)) {
    reject(rpcError(400, `Invalid JSON payload received. Invalid value at '${at}.parameters_json_schema'`));
  }
  found.push({
    name,
    at,
    ...(description !== undefined ? { description } : {}),
    parameters: f.parameters,
    ...(f.parametersJsonSchema !== undefined ? { parametersJsonSchema: f.parametersJsonSchema } : {}),
    jsonSchema: f.parametersJsonSchema !== undefined,
  });
}

/** The function declarations, and whether a Google Search tool is on (grounding, wire.md §2.8 #7). */
function parseTools(
  value: unknown,
  at: string,
  rules: ParseRules,
): { declarations: Declaration[]; search: boolean } {
  const found: Declaration[] = [];
  let search = false;
  for (const [i, raw] of (optionalArray(value, at) ?? []).entries()) {
    const tool = fields(raw, TOOL_KEYS, `${at}[${i}]`);
    const declarations = optionalArray(tool.functionDeclarations, `${at}[${i}].function_declarations`) ?? [];
    declarations.forEach((d, j) =>
      parseDeclaration(d, `${at}[${i}].function_declarations[${j}]`, found, rules),
    );
    for (const key of ['googleSearch', 'googleSearchRetrieval'] as const) {
      if (tool[key] === undefined || tool[key] === null) continue;
      // A config message; its inside (enhancedContent, includedDomains, timeRangeFilter…) varies.
      if (!isPlainObject(tool[key])) {
        reject(
          rpcError(
            400,
            `Invalid JSON payload received. Invalid value at '${child(`${at}[${i}]`, key)}' (TYPE_MESSAGE), ${JSON.stringify(tool[key])}`,
          ),
        );
      }
      search = true;
    }
  }
  if (search && found.length > 0) {
    reject(rpcError(400, 'Multiple tools are supported only when they are all search tools.'));
  }
  return { declarations: found, search };
}

/** Returns the function calling mode, when one is set. */
function parseToolConfig(value: unknown, at: string): string | undefined {
  if (value === undefined) return undefined;
  const f = fields(
    value,
    ['functionCallingConfig', 'includeServerSideToolInvocations', 'retrievalConfig'],
    at,
  );
  optionalBoolean(f.includeServerSideToolInvocations, child(at, 'includeServerSideToolInvocations'));
  if (f.functionCallingConfig === undefined) return undefined;
  const fccAt = child(at, 'functionCallingConfig');
  const fcc = fields(
    f.functionCallingConfig,
    ['mode', 'allowedFunctionNames', 'streamFunctionCallArguments'],
    fccAt,
  );
  const mode = optionalEnum(fcc.mode, MODES, `${fccAt}.mode`);
  for (const [i, name] of (
    optionalArray(fcc.allowedFunctionNames, `${fccAt}.allowed_function_names`) ?? []
  ).entries()) {
    optionalString(name, `${fccAt}.allowed_function_names[${i}]`);
  }
  return mode;
}

function parseSafety(value: unknown, at: string): void {
  for (const [i, raw] of (optionalArray(value, at) ?? []).entries()) {
    const f = fields(raw, ['category', 'threshold', 'method'], `${at}[${i}]`);
    optionalString(f.category, `${at}[${i}].category`);
    optionalString(f.threshold, `${at}[${i}].threshold`);
  }
}

export function parseGenerateRequest(
  request: Record<string, unknown>,
  rules: ParseRules = STRICT_PARSE,
): GenerateRequest {
  const f = fields(request, REQUEST_KEYS, 'request');
  const contents = validateContents(f.contents, 'request.contents');
  const system =
    f.systemInstruction === undefined
      ? undefined
      : validateContent(f.systemInstruction, 'request.system_instruction', true);
  const { declarations, search } = parseTools(f.tools, 'request.tools', rules);
  const callingMode = parseToolConfig(f.toolConfig, 'request.tool_config');
  parseSafety(f.safetySettings, 'request.safety_settings');
  optionalString(f.cachedContent, 'request.cached_content');
  if (f.labels !== undefined && !isPlainObject(f.labels))
    reject(rpcError(400, "Invalid value at 'request.labels'"));
  return {
    contents,
    system,
    declarations,
    search,
    callingMode,
    sessionId: optionalString(f.sessionId, 'request.session_id'),
    ...parseGeneration(f.generationConfig, 'request.generation_config', rules),
  };
}

/** countTokens takes only `request` at the top (wire.md §2.9), and no safetySettings inside. */
export function parseCountTokens(
  body: unknown,
  rules: ParseRules = STRICT_PARSE,
): { contents: Content[]; system?: Content } {
  const top = fields(body ?? {}, ['request'], '');
  const f = fields(top.request ?? {}, COUNT_REQUEST_KEYS, 'request');
  optionalString(f.model, 'request.model');
  const contents = validateContents(f.contents, 'request.contents');
  parseTools(f.tools, 'request.tools', rules);
  parseGeneration(f.generationConfig, 'request.generation_config', rules);
  const system =
    f.systemInstruction === undefined
      ? undefined
      : validateContent(f.systemInstruction, 'request.system_instruction', true);
  return { contents, system };
}
