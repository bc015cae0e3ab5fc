import { rpcError } from './rpc-errors.ts';
import { child, fields, optionalArray, optionalBoolean, optionalString, reject } from './validate-common.ts';
import { isPlainObject } from '../util/json.ts';

/** `contents[]` and `systemInstruction`: Content and Part as Vertex's proto defines them (wire.md §2.6). */

export interface FunctionCall {
  id?: string;
  name: string;
  args: Record<string, unknown>;
}

export interface FunctionResponse {
  id?: string;
  name: string;
  /** The result the model reads (counted in the prompt's tokens). */
  response?: Record<string, unknown>;
}

export interface Part {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  functionCall?: FunctionCall;
  functionResponse?: FunctionResponse;
  inlineData?: { mimeType?: string; data: string };
  fileData?: { mimeType?: string; fileUri: string };
}

export interface Content {
  role: 'user' | 'model';
  parts: Part[];
}

const PART_KEYS = [
  'text',
  'thought',
  'thoughtSignature',
  'functionCall',
  'functionResponse',
  'inlineData',
  'fileData',
  'executableCode',
  'codeExecutionResult',
  'videoMetadata',
  'mediaResolution',
] as const;
const DATA_KEYS = [
  'text',
  'functionCall',
  'functionResponse',
  'inlineData',
  'fileData',
  'executableCode',
  'codeExecutionResult',
];
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** Messages of the `* GenerateContentRequest.<path>: …` family name the path without `request.`. */
export function requestPath(at: string): string {
  return at.replace(/^request\./, '');
}

function bytesField(value: unknown, at: string): string {
  const text = optionalString(value, at) ?? '';
  if (!BASE64.test(text)) {
    const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
    reject(
      rpcError(
        400,
        `Invalid JSON payload received. Invalid value at '${at}' (TYPE_BYTES), Base64 decoding failed for "${shown}"`,
      ),
    );
  }
  return text;
}

function nonEmptyName(value: unknown, at: string): string {
  const name = optionalString(value, at);
  if (!name) reject(rpcError(400, `* GenerateContentRequest.${requestPath(at)}: Name cannot be empty.\n`));
  return name;
}

function functionCall(value: unknown, at: string): FunctionCall {
  const f = fields(value, ['id', 'name', 'args', 'partialArgs', 'willContinue'], at);
  if (f.args !== undefined && !isPlainObject(f.args)) {
    reject(
      rpcError(
        400,
        `Invalid JSON payload received. Invalid value at '${at}.args' (type.googleapis.com/google.protobuf.Struct)`,
      ),
    );
  }
  const call: FunctionCall = {
    name: nonEmptyName(f.name, `${at}.name`),
    args: (f.args as Record<string, unknown>) ?? {},
  };
  const id = optionalString(f.id, `${at}.id`);
  if (id) call.id = id;
  return call;
}

function functionResponse(value: unknown, at: string): FunctionResponse {
  const f = fields(value, ['id', 'name', 'response', 'parts', 'willContinue', 'scheduling'], at);
  if (f.response !== undefined && !isPlainObject(f.response)) {
    reject(
      rpcError(
        400,
        `Invalid JSON payload received. Invalid value at '${at}.response' (type.googleapis.com/google.protobuf.Struct), ${JSON.stringify(f.response)}`,
      ),
    );
  }
  for (const [i, inner] of (optionalArray(f.parts, `${at}.parts`) ?? []).entries()) {
    const p = fields(inner, ['inlineData', 'fileData'], `${at}.parts[${i}]`);
    if (p.inlineData !== undefined) inlineData(p.inlineData, `${at}.parts[${i}].inline_data`);
  }
  const response: FunctionResponse = { name: nonEmptyName(f.name, `${at}.name`) };
  const id = optionalString(f.id, `${at}.id`);
  if (id) response.id = id;
  if (isPlainObject(f.response)) response.response = f.response;
  return response;
}

function inlineData(value: unknown, at: string): { mimeType?: string; data: string } {
  const f = fields(value, ['mimeType', 'data', 'displayName'], at);
  const mimeType = optionalString(f.mimeType, `${at}.mime_type`);
  const data = bytesField(f.data, `${at}.data`);
  return mimeType === undefined ? { data } : { mimeType, data };
}

export function validatePart(value: unknown, at: string): Part {
  const f = fields(value, PART_KEYS, at);
  const data = DATA_KEYS.filter((key) => f[key] !== undefined);
  if (data.length === 0) {
    reject(
      rpcError(
        400,
        `* GenerateContentRequest.${requestPath(at)}.data: required oneof field 'data' must have one initialized field\n`,
      ),
    );
  }
  if (data.length > 1) {
    reject(
      rpcError(
        400,
        `Invalid JSON payload received. Oneof field 'data' is already set. Cannot set '${data[1]}'`,
      ),
    );
  }
  const part: Part = {};
  const text = optionalString(f.text, child(at, 'text'));
  if (text !== undefined) part.text = text;
  const thought = optionalBoolean(f.thought, child(at, 'thought'));
  if (thought !== undefined) part.thought = thought;
  if (f.thoughtSignature !== undefined)
    part.thoughtSignature = bytesField(f.thoughtSignature, child(at, 'thoughtSignature'));
  if (f.functionCall !== undefined)
    part.functionCall = functionCall(f.functionCall, child(at, 'functionCall'));
  if (f.functionResponse !== undefined) {
    part.functionResponse = functionResponse(f.functionResponse, child(at, 'functionResponse'));
  }
  if (f.inlineData !== undefined) part.inlineData = inlineData(f.inlineData, child(at, 'inlineData'));
  if (f.fileData !== undefined) {
    const file = fields(f.fileData, ['mimeType', 'fileUri', 'displayName'], child(at, 'fileData'));
    const fileUri = optionalString(file.fileUri, `${child(at, 'fileData')}.file_uri`) ?? '';
    part.fileData = {
      fileUri,
      mimeType: optionalString(file.mimeType, `${child(at, 'fileData')}.mime_type`),
    };
  }
  if (f.executableCode !== undefined)
    fields(f.executableCode, ['language', 'code'], child(at, 'executableCode'));
  if (f.codeExecutionResult !== undefined) {
    fields(f.codeExecutionResult, ['outcome', 'output'], child(at, 'codeExecutionResult'));
  }
  return part;
}

/** A Content; a missing role counts as `user` (Vertex), any other value than user/model is refused. */
export function validateContent(value: unknown, at: string, allowEmpty = false): Content {
  const f = fields(value, ['role', 'parts'], at);
  const role = optionalString(f.role, `${at}.role`) ?? 'user';
  if (role !== 'user' && role !== 'model') reject(rpcError(400, 'Please use a valid role: user, model.'));
  const rawParts = optionalArray(f.parts, `${at}.parts`) ?? [];
  if (rawParts.length === 0 && !allowEmpty) {
    reject(
      rpcError(400, `* GenerateContentRequest.${requestPath(at)}.parts: contents.parts must not be empty.\n`),
    );
  }
  return { role, parts: rawParts.map((p, i) => validatePart(p, `${at}.parts[${i}]`)) };
}

export function validateContents(value: unknown, at: string): Content[] {
  const list = optionalArray(value, at) ?? [];
  if (list.length === 0)
    reject(rpcError(400, `* GenerateContentRequest.${requestPath(at)}: contents is not specified\n`));
  return list.map((content, i) => validateContent(content, `${at}[${i}]`));
}
