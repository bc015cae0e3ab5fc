import { rpcError } from './rpc-errors.ts';
import { fields, optionalArray, optionalBoolean, optionalString, reject } from './validate-common.ts';
import { isPlainObject } from '../util/json.ts';

/**
 * The OpenAPI-subset Schema that `parameters` and `responseSchema` take through Antigravity
 * (wire.md §2.13 #5): JSON-Schema-only keywords are unknown fields, type arrays cannot start a
 * list. Products must clean schemas before sending; this is where a missed keyword shows up.
 */

const SCHEMA_KEYS = [
  'type',
  'format',
  'title',
  'description',
  'nullable',
  'enum',
  'properties',
  'required',
  'items',
  'propertyOrdering',
  'minProperties',
  'maxProperties',
  'example',
] as const;

const TYPES = ['STRING', 'NUMBER', 'INTEGER', 'BOOLEAN', 'ARRAY', 'OBJECT'];
const NUMBER_FORMATS = ['float', 'double', 'int32', 'int64'];
const STRING_FORMATS = ['enum', 'date-time'];

function checkType(value: unknown, at: string): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) {
    reject(
      rpcError(
        400,
        `Invalid JSON payload received. Proto field is not repeating, cannot start list at '${at}'.`,
      ),
    );
  }
  if (typeof value !== 'string' || !TYPES.includes(value.toUpperCase())) {
    const shown = JSON.stringify(value);
    reject(
      rpcError(
        400,
        `Invalid JSON payload received. Invalid value at '${at}' (type.googleapis.com/google.cloud.aiplatform.v1.Type), ${shown}`,
      ),
    );
  }
  return value.toUpperCase();
}

function checkFormat(format: string | undefined, type: string | undefined, at: string): void {
  if (format === undefined) return;
  if (type === 'NUMBER' || type === 'INTEGER') {
    if (NUMBER_FORMATS.includes(format)) return;
  } else if (STRING_FORMATS.includes(format)) {
    return;
  }
  reject(
    rpcError(
      400,
      `* GenerateContentRequest.${at}: only 'enum' and 'date-time' are supported for STRING type\n`,
    ),
  );
}

export function validateSchema(value: unknown, at: string): void {
  const schema = fields(value, SCHEMA_KEYS, at);
  const type = checkType(schema.type, `${at}.type`);
  checkFormat(optionalString(schema.format, `${at}.format`), type, `${at}.format`);
  optionalString(schema.title, `${at}.title`);
  optionalString(schema.description, `${at}.description`);
  optionalBoolean(schema.nullable, `${at}.nullable`);
  for (const [i, entry] of (optionalArray(schema.enum, `${at}.enum`) ?? []).entries()) {
    optionalString(entry, `${at}.enum[${i}]`);
  }
  for (const [i, entry] of (optionalArray(schema.required, `${at}.required`) ?? []).entries()) {
    optionalString(entry, `${at}.required[${i}]`);
  }
  if (schema.properties !== undefined) {
    if (!isPlainObject(schema.properties)) {
      reject(
        rpcError(400, `Invalid JSON payload received. Invalid value at '${at}.properties' (TYPE_MESSAGE)`),
      );
    }
    for (const [name, property] of Object.entries(schema.properties)) {
      validateSchema(property, `${at}.properties[${JSON.stringify(name)}].value`);
    }
  }
  if (schema.items !== undefined) validateSchema(schema.items, `${at}.items`);
}
