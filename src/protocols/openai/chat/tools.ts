/**
 * Chat Completions `tools` / `tool_choice` (and the deprecated `functions` / `function_call`) →
 * v1internal `tools` / `toolConfig` (wire.md §6.3, §6.8 #15).
 *
 * - Function tools become one `functionDeclarations` list with the client's `parameters` as given;
 *   the target rules (src/protocols/target/) clean the schema for the model family afterwards.
 *   A tool without parameters gets an empty object schema (wire.md §6.3).
 * - `custom` tools (free-form text input with a grammar) have no v1internal counterpart: dropped.
 * - Names are sanitised by the shared `ToolNames`, which keeps the reverse map the answer needs.
 */
import type { ToolNames } from '../../anthropic/tools.ts';
import type { ChatRequest, FunctionDefinition } from './request-schema.ts';

type Json = Record<string, unknown>;

function declarationOf(definition: FunctionDefinition, names: ToolNames): Json {
  const declaration: Json = { name: names.sanitize(definition.name) };
  if (definition.description) declaration.description = definition.description;
  declaration.parameters = definition.parameters ?? { type: 'object', properties: {} };
  return declaration;
}

function definitionsOf(request: ChatRequest): FunctionDefinition[] {
  const definitions: FunctionDefinition[] = [];
  for (const tool of request.tools ?? []) {
    if ((tool.type ?? 'function') === 'function' && tool.function) definitions.push(tool.function);
  }
  for (const definition of request.functions ?? []) definitions.push(definition);
  return definitions;
}

/** AUTO/ANY/NONE/ANY + allowedFunctionNames; Claude targets get VALIDATED from the target rules later. */
function functionCallingConfig(request: ChatRequest, names: ToolNames): Json | undefined {
  const choice = request.tool_choice;
  if (choice == null) {
    const legacy = request.function_call;
    if (legacy == null) return undefined;
    if (legacy === 'none') return { mode: 'NONE' };
    if (legacy === 'auto') return { mode: 'AUTO' };
    return { mode: 'ANY', allowedFunctionNames: [names.sanitize(legacy.name)] };
  }
  if (choice === 'none') return { mode: 'NONE' };
  if (choice === 'auto') return { mode: 'AUTO' };
  if (choice === 'required') return { mode: 'ANY' };
  switch (choice.type) {
    case 'function':
      return { mode: 'ANY', allowedFunctionNames: [names.sanitize(choice.function.name)] };
    case 'custom':
      // A custom tool is not declared upstream; calling any tool is the closest.
      return { mode: 'ANY' };
    case 'allowed_tools': {
      // Gemini restricts names only in ANY mode; `auto` over a subset stays AUTO over all tools.
      if (choice.allowed_tools.mode === 'auto') return { mode: 'AUTO' };
      const allowed = choice.allowed_tools.tools.flatMap((tool) =>
        tool.function ? [names.sanitize(tool.function.name)] : [],
      );
      return allowed.length > 0 ? { mode: 'ANY', allowedFunctionNames: allowed } : { mode: 'ANY' };
    }
  }
}

export interface ToolTranslation {
  tools?: Json[];
  toolConfig?: Json;
}

/** `tools` and `tool_choice` of a request; `names` collects the names it hands out. */
export function translateTools(request: ChatRequest, names: ToolNames): ToolTranslation {
  const declarations = definitionsOf(request).map((definition) => declarationOf(definition, names));
  if (declarations.length === 0) return {};
  const result: ToolTranslation = { tools: [{ functionDeclarations: declarations }] };
  const calling = functionCallingConfig(request, names);
  if (calling) result.toolConfig = { functionCallingConfig: calling };
  return result;
}
