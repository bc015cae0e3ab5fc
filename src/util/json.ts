/** A JSON object: what every parser and validator of the app checks a value against. */
export type JsonObject = Record<string, unknown>;

/** An object that is neither null nor an array (a parsed JSON object, or a plain literal). */
export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether `value` nests at most `levels` objects or arrays deep (hostile bodies nest thousands). */
export function nestsWithin(value: unknown, levels: number): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (levels <= 0) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (!nestsWithin(item, levels - 1)) return false;
  } else {
    for (const key in value)
      if (!nestsWithin((value as Record<string, unknown>)[key], levels - 1)) return false;
  }
  return true;
}
