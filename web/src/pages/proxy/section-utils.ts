import { LIMITS, parseLimited, type LimitedKey, type NumberProblem } from './limits.ts';

/** Problems of the number fields of a draft, by setting key; empty = the draft can be saved. */
export function numberProblems(
  fields: Partial<Record<LimitedKey, string>>,
): Partial<Record<LimitedKey, NumberProblem>> {
  const problems: Partial<Record<LimitedKey, NumberProblem>> = {};
  for (const [key, text] of Object.entries(fields) as Array<[LimitedKey, string]>) {
    const parsed = parseLimited(text, LIMITS[key]);
    if (!parsed.ok) problems[key] = parsed.problem;
  }
  return problems;
}

/** Call only after numberProblems found nothing for `key`. */
export function numberOf(key: LimitedKey, text: string): number {
  const parsed = parseLimited(text, LIMITS[key]);
  if (!parsed.ok) throw new Error(`${key} is not valid`);
  return parsed.value;
}

/**
 * A PUT body with the given settings (dotted key → value), leaving out keys that a flag, variable or
 * config file sets: the dashboard's stored value for them would have no effect and only confuse later.
 */
export function patchOf(values: Record<string, unknown>, overridden: ReadonlySet<string>) {
  const patch: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(values)) {
    if (overridden.has(path)) continue;
    const parts = path.split('.');
    let node = patch;
    for (const part of parts.slice(0, -1)) {
      node[part] ??= {};
      node = node[part] as Record<string, unknown>;
    }
    node[parts[parts.length - 1]!] = value;
  }
  return patch;
}
