/**
 * Anthropic `tools` / `tool_choice` → v1internal `tools` / `toolConfig` (wire.md §6.2, §6.8 #15, #40).
 *
 * - Custom tools become one `functionDeclarations` list; their `input_schema` goes on as given, the
 *   target rules (src/protocols/target/) clean it for the model family afterwards.
 * - `web_search_*` becomes `{googleSearch:{}}`. Search cannot be mixed with function declarations
 *   (wire.md §2.13 #6), so a request that asks for it carries the search tool only, like AM does;
 *   the caller is told (`webSearch`) so it can route to a search-capable model.
 * - Anthropic-defined tools that the client executes (`bash_*`, `text_editor_*`, `memory_*`) become
 *   function declarations with the input schema Anthropic documents for them: the upstream model has
 *   not been trained on their built-in definition, and the client still gets `tool_use` blocks with
 *   the names it declared. Tools Anthropic's own servers execute (`web_fetch_*`, `code_execution_*`,
 *   `tool_search_*`, MCP toolsets) and `computer_*` (screenshots in a loop, which needs the model's
 *   own training) are dropped: nothing here could run them.
 */
import type { ToolChoice, ToolParam } from './request-schema.ts';

type Json = Record<string, unknown>;

/** Gemini's declaration names: `^[a-zA-Z_][a-zA-Z0-9_.:-]{0,63}$`; ACP and CPA keep to `[a-zA-Z0-9_-]`. */
const MAX_NAME_LENGTH = 64;

/**
 * Tool names as the upstream may see them, and back. Each original name gets one sanitised name,
 * unique within the request: `[^a-zA-Z0-9_-]` → `_`, a leading `_` when the name does not start
 * with a letter or `_`, at most 64 characters, and `_2`, `_3`… when two names would collide.
 */
export class ToolNames {
  private readonly byOriginal = new Map<string, string>();
  /** Sanitised → original: what the response side uses to give the client its own names back. */
  readonly reverse = new Map<string, string>();

  sanitize(original: string): string {
    const known = this.byOriginal.get(original);
    if (known !== undefined) return known;
    let base = original.replace(/[^a-zA-Z0-9_-]/g, '_');
    if (!/^[a-zA-Z_]/.test(base)) base = `_${base}`;
    base = base.slice(0, MAX_NAME_LENGTH);
    let name = base;
    for (let n = 2; this.reverse.has(name); n++) {
      const suffix = `_${n}`;
      name = `${base.slice(0, MAX_NAME_LENGTH - suffix.length)}${suffix}`;
    }
    this.byOriginal.set(original, name);
    this.reverse.set(name, original);
    return name;
  }
}

const STRING = { type: 'string' };
const INTEGER = { type: 'integer' };

/** Anthropic's published input schemas of the client-executed tools it defines. */
const CLIENT_TOOL_SCHEMAS: Array<{ prefix: string; description: string; parameters: Json }> = [
  {
    prefix: 'bash_',
    description: 'Run a command in a persistent bash shell. Set restart to true to restart the shell.',
    parameters: {
      type: 'object',
      properties: {
        command: { ...STRING, description: 'The bash command to run' },
        restart: { type: 'boolean' },
      },
    },
  },
  {
    prefix: 'text_editor_',
    description:
      'View, create and edit files. Commands: view (a file or directory, optional view_range), create (file_text), ' +
      'str_replace (old_str to new_str, old_str must be unique), insert (insert_text after insert_line).',
    parameters: {
      type: 'object',
      properties: {
        command: { ...STRING, enum: ['view', 'create', 'str_replace', 'insert', 'undo_edit'] },
        path: { ...STRING, description: 'Absolute path to the file or directory' },
        file_text: STRING,
        old_str: STRING,
        new_str: STRING,
        insert_line: INTEGER,
        insert_text: STRING,
        view_range: { type: 'array', items: INTEGER },
      },
      required: ['command', 'path'],
    },
  },
  {
    prefix: 'memory_',
    description:
      'Read and write files of a persistent /memories directory. Commands: view, create, str_replace, insert, delete, rename.',
    parameters: {
      type: 'object',
      properties: {
        command: { ...STRING, enum: ['view', 'create', 'str_replace', 'insert', 'delete', 'rename'] },
        path: STRING,
        file_text: STRING,
        old_str: STRING,
        new_str: STRING,
        insert_line: INTEGER,
        insert_text: STRING,
        view_range: { type: 'array', items: INTEGER },
        old_path: STRING,
        new_path: STRING,
      },
      required: ['command'],
    },
  },
];

export function isWebSearchTool(tool: ToolParam): boolean {
  return typeof tool.type === 'string' && tool.type.startsWith('web_search_');
}

function declarationOf(tool: ToolParam, names: ToolNames): Json | undefined {
  const type = tool.type ?? 'custom';
  if (tool.name == null) return undefined;
  if (type === 'custom') {
    const declaration: Json = { name: names.sanitize(tool.name) };
    if (tool.description) declaration.description = tool.description;
    declaration.parameters = tool.input_schema ?? { type: 'object', properties: {} };
    return declaration;
  }
  const known = CLIENT_TOOL_SCHEMAS.find((entry) => type.startsWith(entry.prefix));
  if (!known) return undefined;
  return { name: names.sanitize(tool.name), description: known.description, parameters: known.parameters };
}

export interface ToolTranslation {
  tools?: Json[];
  toolConfig?: Json;
  webSearch: boolean;
}

/** `tools` and `tool_choice` of a request; `names` collects the names it hands out. */
export function translateTools(
  tools: readonly ToolParam[] | null | undefined,
  choice: ToolChoice | null | undefined,
  names: ToolNames,
): ToolTranslation {
  const list = tools ?? [];
  if (list.some(isWebSearchTool)) return { tools: [{ googleSearch: {} }], webSearch: true };
  const declarations = list.map((tool) => declarationOf(tool, names)).filter((item) => item !== undefined);
  if (declarations.length === 0) return { webSearch: false };
  const result: ToolTranslation = { tools: [{ functionDeclarations: declarations }], webSearch: false };
  const calling = functionCallingConfig(choice, names);
  if (calling) result.toolConfig = { functionCallingConfig: calling };
  return result;
}

/** auto/any/none/tool → AUTO/ANY/NONE/ANY + allowedFunctionNames (Claude targets get VALIDATED later). */
function functionCallingConfig(choice: ToolChoice | null | undefined, names: ToolNames): Json | undefined {
  switch (choice?.type) {
    case undefined:
      return undefined;
    case 'auto':
      return { mode: 'AUTO' };
    case 'any':
      return { mode: 'ANY' };
    case 'none':
      return { mode: 'NONE' };
    case 'tool':
      return { mode: 'ANY', allowedFunctionNames: [names.sanitize(choice.name)] };
  }
}
