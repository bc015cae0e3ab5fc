/** A JSON object: what every parser and validator of the app checks a value against. */
export type JsonObject = Record<string, unknown>;

/** An object that is neither null nor an array (a parsed JSON object, or a plain literal). */
export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
