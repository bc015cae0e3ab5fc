import type { LogRow } from './types.ts';

const pad = (n: number) => String(n).padStart(2, '0');

/** 14:05:09 for today, 03-18 14:05:09 before: a log is read by time of day. */
export function logTime(at: number, now = Date.now()): string {
  const date = new Date(at);
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  if (new Date(now).toDateString() === date.toDateString()) return time;
  return `${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${time}`;
}

export function statusTone(status: number): string {
  if (status >= 500) return 'badge-error';
  if (status >= 400) return 'badge-warning';
  return 'badge-success';
}

/** in/out/thinking/cached, with - for a figure the upstream did not report. */
export function tokenCells(row: LogRow): string {
  const figure = (value: number | undefined) => (value === undefined ? '-' : String(value));
  return [row.inputTokens, row.outputTokens, row.thinkingTokens, row.cachedTokens].map(figure).join(' / ');
}

/** What the key column shows: the key's label, "from environment", the masked key, or nothing. */
export type KeyNamer = (row: Pick<LogRow, 'keyId' | 'clientKey'>) => string | null;
