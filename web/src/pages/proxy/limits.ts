/**
 * Bounds of the numeric settings this page edits, as `src/config/schema.ts` declares them. They are
 * repeated here (not imported) so that the page does not ship zod; the server validates every PUT
 * again, and its 400 message is shown when the two ever disagree.
 */
export interface NumberLimit {
  min: number;
  max: number;
  integer: boolean;
}

const seconds = (max: number): NumberLimit => ({ min: 1, max, integer: true });

export const LIMITS = {
  'scheduling.maxWaitSeconds': { min: 0, max: 600, integer: true },
  'scheduling.stickyTtlSeconds': seconds(7 * 24 * 3600),
  'scheduling.stickyMaxEntries': { min: 100, max: 1_000_000, integer: true },
  'quotaProtection.thresholdPercent': { min: 0, max: 100, integer: false },
  'retry.maxAttempts': { min: 1, max: 50, integer: true },
  'retry.budgetSeconds': seconds(3600),
  'upstream.connectTimeoutSeconds': seconds(600),
  'upstream.firstByteTimeoutSeconds': seconds(3600),
  'upstream.idleTimeoutSeconds': seconds(3600),
} satisfies Record<string, NumberLimit>;

export type LimitedKey = keyof typeof LIMITS;

export type NumberProblem =
  | { kind: 'required' }
  | { kind: 'notInteger' }
  | { kind: 'notNumber' }
  | { kind: 'range'; min: number; max: number };

/** The number typed into a field, or why it cannot be saved. */
export function parseLimited(
  text: string,
  limit: NumberLimit,
): { ok: true; value: number } | { ok: false; problem: NumberProblem } {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, problem: { kind: 'required' } };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { ok: false, problem: { kind: 'notNumber' } };
  if (limit.integer && !Number.isInteger(value)) return { ok: false, problem: { kind: 'notInteger' } };
  if (value < limit.min || value > limit.max)
    return { ok: false, problem: { kind: 'range', min: limit.min, max: limit.max } };
  return { ok: true, value };
}

/** `upstream.httpProxy` must be an http(s) URL (schema: z.url with an http/https protocol). */
export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text.trim());
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
