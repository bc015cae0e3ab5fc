import { claudeError, rpcError } from './rpc-errors.ts';
import type { SimModelFixture } from './types.ts';
import { reject } from './validate-common.ts';
import type { Declaration, GenerateRequest } from './validate-request.ts';
import { isPlainObject } from '../util/json.ts';

/**
 * Function declarations sent to a Claude model (wire.md §2.12 #5): Antigravity turns each into an
 * Anthropic tool, which needs function calling mode VALIDATED, an `input_schema` taken from
 * `parameters` (`parametersJsonSchema` is not carried over), and no object schema without
 * properties (every source adds a `reason` placeholder). Each is a 400 upstream.
 */

const BAD_REQUEST = 'type.googleapis.com/google.rpc.BadRequest';
const MODE_FIELD = 'tool_config.function_calling_config.mode';

function fieldViolation(field: string, description: string): unknown[] {
  return [{ '@type': BAD_REQUEST, fieldViolations: [{ field, description }] }];
}

export function callingModeMessage(mode: string | undefined, model: string): string {
  return `Unable to submit request because function calling mode ${mode ?? 'MODE_UNSPECIFIED'} is not supported for ${model}. Set ${MODE_FIELD} to VALIDATED and try again.`;
}

export function emptyObjectMessage(name: string, at: string): string {
  return `Unable to submit request because function declaration \`${name}\` has an object schema without properties at '${at}'. Claude models need at least one property in every object schema; add one and try again.`;
}

function isObjectType(schema: Record<string, unknown>): boolean {
  return typeof schema.type === 'string' && schema.type.toUpperCase() === 'OBJECT';
}

/** The path of the first object schema (itself, its properties, its items, recursively) that has no property. */
function emptyObjectAt(schema: unknown, at: string, depth = 0): string | undefined {
  if (!isPlainObject(schema) || depth > 32) return undefined;
  const properties = isPlainObject(schema.properties) ? schema.properties : undefined;
  if (isObjectType(schema) && (!properties || Object.keys(properties).length === 0)) return at;
  for (const [name, property] of Object.entries(properties ?? {})) {
    const found = emptyObjectAt(property, `${at}.properties[${JSON.stringify(name)}].value`, depth + 1);
    if (found) return found;
  }
  return schema.items === undefined ? undefined : emptyObjectAt(schema.items, `${at}.items`, depth + 1);
}

function checkDeclaration(declaration: Declaration, index: number, seed: string): void {
  if (declaration.parameters === undefined) {
    // Anthropic's own check: the converted tool has no input_schema.
    reject(claudeError(`tools.${index}.custom.input_schema: Field required`, seed));
  }
  const at = `${declaration.at}.parameters`;
  const empty = emptyObjectAt(declaration.parameters, at);
  if (empty) {
    const message = emptyObjectMessage(declaration.name, empty);
    reject(rpcError(400, message, fieldViolation(empty, message)));
  }
}

export function checkClaudeDeclarations(
  model: SimModelFixture,
  request: GenerateRequest,
  seed: string,
): void {
  if (request.declarations.length === 0) return;
  if (request.callingMode !== 'VALIDATED') {
    const message = callingModeMessage(request.callingMode, model.id);
    reject(rpcError(400, message, fieldViolation(`request.${MODE_FIELD}`, message)));
  }
  request.declarations.forEach((declaration, i) => checkDeclaration(declaration, i, seed));
}
