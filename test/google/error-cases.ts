import type { UpstreamErrorInfo } from '../../src/google/upstream-errors.ts';

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
