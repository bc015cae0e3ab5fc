/**
 * Responses `tools` / `tool_choice` → v1internal `tools` / `toolConfig` (wire.md §6.4, §6.8 #15, #40).
 *
 * - `function` tools become function declarations; their `parameters` go on as given, the target
 *   rules (src/protocols/target/) clean them for the model family afterwards.
 * - `custom` tools (Codex's freeform `apply_patch`, whose input is raw text in a Lark grammar)
 *   become a declaration with one string parameter `input`, described with the tool's description
 *   and its grammar, since the upstream has no grammar-constrained decoding: the model learns the
 *   format from the text. The responder turns calls to them back into `custom_tool_call` items.
 * - `web_search*` becomes `{googleSearch:{}}`, which cannot be mixed with function declarations
 *   (wire.md §2.13 #6). Codex declares `web_search` next to its shell and `apply_patch` on every
 *   turn, and an agent turn without its tools cannot work, so **function tools win**: search is
 *   used only when the request declares no function or custom tool.
 * - Other hosted tools (file search, code interpreter, image generation, MCP, computer use…) are
 *   dropped: nothing here could run them.
 */
import { ToolNames } from '../../anthropic/tools.ts';
import type { ResponsesTool, ResponsesToolChoice } from './request-schema.ts';

type Json = Record<string, unknown>;

export { ToolNames };

export interface ToolTranslation {
  tools?: Json[];
  toolConfig?: Json;
  /** Client names of the custom (freeform) tools. */
  customTools: Set<string>;
  /** The request carries `googleSearch` only. */
  webSearch: boolean;
}

const isWebSearch = (tool: ResponsesTool) => tool.type !== 'function' && tool.type !== 'custom';

/** What the model reads about a freeform tool's single parameter. */
export function customInputDescription(tool: Extract<ResponsesTool, { type: 'custom' }>): string {
  const lines: string[] = [];
  if (tool.description) lines.push(tool.description);
  lines.push(
    'Pass the raw text as the `input` string. It is used verbatim: no JSON, no code fences, no extra escaping.',
  );
  const format = tool.format;
  if (format?.type === 'grammar') {
    lines.push(`The text must match this ${format.syntax} grammar:`, format.definition);
  }
  return lines.join('\n\n');
}

function declarationOf(tool: ResponsesTool, names: ToolNames): Json | undefined {
  if (tool.type === 'function') {
    const declaration: Json = { name: names.sanitize(tool.name) };
    if (tool.description) declaration.description = tool.description;
    declaration.parameters = tool.parameters ?? { type: 'object', properties: {} };
    return declaration;
  }
  if (tool.type === 'custom') {
    const declaration: Json = { name: names.sanitize(tool.name) };
    if (tool.description) declaration.description = tool.description;
    declaration.parameters = {
      type: 'object',
      properties: { input: { type: 'string', description: customInputDescription(tool) } },
      required: ['input'],
    };
    return declaration;
  }
  return undefined;
}

export function translateTools(
  tools: readonly ResponsesTool[] | null | undefined,
  choice: ResponsesToolChoice | null | undefined,
  names: ToolNames,
): ToolTranslation {
  const list = tools ?? [];
  const customTools = new Set<string>();
  const declarations: Json[] = [];
  for (const tool of list) {
    const declaration = declarationOf(tool, names);
    if (!declaration) continue;
    declarations.push(declaration);
    if (tool.type === 'custom') customTools.add(tool.name);
  }
  if (declarations.length === 0) {
    const webSearch = list.some(isWebSearch) && choice !== 'none';
    return webSearch ? { tools: [{ googleSearch: {} }], customTools, webSearch } : { customTools, webSearch };
  }
  const result: ToolTranslation = {
    tools: [{ functionDeclarations: declarations }],
    customTools,
    webSearch: false,
  };
  const calling = functionCallingConfig(choice, names);
  if (calling) result.toolConfig = { functionCallingConfig: calling };
  return result;
}

/**
 * none/auto/required → NONE/AUTO/ANY; a named function or custom tool → ANY with that name;
 * `allowed_tools` → AUTO, or ANY restricted to its function names when `required` (Gemini takes
 * `allowedFunctionNames` with ANY only). A hosted tool's choice (`{type:"web_search"}`) is AUTO.
 * Claude targets get VALIDATED later (target rules); NONE is then honoured by an instruction.
 */
function functionCallingConfig(
  choice: ResponsesToolChoice | null | undefined,
  names: ToolNames,
): Json | undefined {
  if (choice == null) return undefined;
  if (choice === 'none') return { mode: 'NONE' };
  if (choice === 'auto') return { mode: 'AUTO' };
  if (choice === 'required') return { mode: 'ANY' };
  if ((choice.type === 'function' || choice.type === 'custom') && choice.name)
    return { mode: 'ANY', allowedFunctionNames: [names.sanitize(choice.name)] };
  if (choice.type === 'allowed_tools' && choice.mode === 'required') {
    const allowed = (choice.tools ?? [])
      .filter((tool) => (tool.type === 'function' || tool.type === 'custom') && tool.name)
      .map((tool) => names.sanitize(tool.name!));
    return allowed.length > 0 ? { mode: 'ANY', allowedFunctionNames: allowed } : { mode: 'ANY' };
  }
  return { mode: 'AUTO' };
}
