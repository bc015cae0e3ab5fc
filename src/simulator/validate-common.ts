import { rpcError, unknownField, type RpcError } from './rpc-errors.ts';
import { isPlainObject } from '../util/json.ts';

/**
 * Proto3-JSON style field checks shared by the request validators. They throw a Rejection carrying
 * the exact 400 the real front-end gives, so validators read top to bottom without error plumbing.
 */

export class Rejection extends Error {
  readonly error: RpcError;
  constructor(error: RpcError) {
    super('rejected');
    this.error = error;
  }
}

export function reject(error: RpcError): never {
  throw new Rejection(error);
}

export function camel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function snake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export function child(at: string, key: string): string {
  return at ? `${at}.${snake(key)}` : snake(key);
}

function invalidValue(at: string, type: string, value: unknown): never {
  const shown = JSON.stringify(value) ?? String(value);
  reject(rpcError(400, `Invalid JSON payload received. Invalid value at '${at}' (${type}), ${shown}`));
}

/**
 * The object's fields under their camelCase names. Both spellings of one field are accepted (proto3
 * JSON); when both arrive the camelCase one wins. Any other key is an unknown field.
 */
export function fields(value: unknown, allowed: readonly string[], at: string): Record<string, unknown> {
  if (!isPlainObject(value)) invalidValue(at, 'TYPE_MESSAGE', value);
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    const name = camel(key);
    if (!allowed.includes(name)) reject(unknownField(key, at || undefined));
    if (key === name || !(name in out)) out[name] = entry;
  }
  return out;
}

export function optionalString(value: unknown, at: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') invalidValue(at, 'TYPE_STRING', value);
  return value;
}

export function optionalBoolean(value: unknown, at: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') invalidValue(at, 'TYPE_BOOL', value);
  return value;
}

/** int32 fields accept numbers and numeric strings, as proto3 JSON does. */
export function optionalInteger(value: unknown, at: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) invalidValue(at, 'TYPE_INT32', value);
  return n;
}

export function optionalNumber(value: unknown, at: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) invalidValue(at, 'TYPE_DOUBLE', value);
  return value;
}

export function optionalArray(value: unknown, at: string): unknown[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    const name = at.split('.').pop() ?? at;
    reject(
      rpcError(
        400,
        `Invalid JSON payload received. Unknown name "${name}": Proto field is repeating, cannot start object.`,
      ),
    );
  }
  return value;
}

/** An enum field: name strings (any case, as the SDKs vary) or the listed numbers. */
export function optionalEnum(value: unknown, names: readonly string[], at: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < names.length) {
    return names[value];
  }
  if (typeof value === 'string' && names.includes(value.toUpperCase())) return value.toUpperCase();
  invalidValue(at, 'TYPE_ENUM', value);
}
