import { expect } from 'vitest';
import { classifyUpstreamError, type UpstreamErrorInfo } from '../../src/google/upstream-errors.ts';

/** Shared by the error-classification tables. */
export const NOW = Date.parse('2026-04-20T09:19:00Z');

export function rpc(
  code: number,
  message: string,
  details: unknown[] = [],
  status = 'PERMISSION_DENIED',
): string {
  return JSON.stringify({ error: { code, message, status, details } });
}
export const info = (reason: string, metadata: Record<string, string> = {}): unknown => ({
  '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
  reason,
  metadata,
});

export interface Case {
  name: string;
  status: number;
  bodyText: string;
  expected: Partial<UpstreamErrorInfo>;
}

export const ROTATE_COOLDOWN = { rotate: true, cooldown: true };
export const ROTATE_ONLY = { rotate: true, cooldown: false };
export const STAY = { rotate: false, cooldown: false };

/** Checks one table row; an `undefined` in a row means the field must be absent, not merely undefined. */
export function expectClassified({ status, bodyText, expected }: Case): void {
  const result = classifyUpstreamError({ status, bodyText, now: NOW });
  const entries = Object.entries({ status, ...expected });
  expect(result).toMatchObject(Object.fromEntries(entries.filter(([, value]) => value !== undefined)));
  for (const [key] of entries.filter(([, value]) => value === undefined)) {
    expect(result).not.toHaveProperty(key);
  }
}

/** A parsed body must classify exactly as its text. */
export function expectBodyEqualsText(texts: string[]): void {
  for (const text of texts) {
    const status = JSON.parse(text).error.code as number;
    expect(classifyUpstreamError({ status, body: JSON.parse(text), now: NOW })).toEqual(
      classifyUpstreamError({ status, bodyText: text, now: NOW }),
    );
  }
}
