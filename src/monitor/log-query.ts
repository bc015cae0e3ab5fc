import type { SQLInputValue } from 'node:sqlite';
import type { Store } from '../store/database.ts';
import type { AttemptRecord, RequestLogEntry, StoredLogRow } from './request-log.ts';

/** The list filters of `GET /api/logs` (all optional, combined with AND). */
export interface LogFilter {
  /** An exact status code, or a class: `2xx`, `4xx`, `5xx`, `error` (any status ≥ 400). */
  status?: number | '2xx' | '3xx' | '4xx' | '5xx' | 'error';
  /** Requested or mapped model. */
  model?: string;
  /** Account id or email. */
  account?: string;
  protocol?: RequestLogEntry['protocol'];
  /** The masked client key as stored, or the key's id (api_keys id or `env:...`). */
  key?: string;
  /** Substring of route, models, account email or error message. */
  q?: string;
}

export interface LogPage {
  rows: StoredLogRow[];
  /** Pass as `cursor` for the next (older) page; absent on the last page. */
  nextCursor?: number;
}

export interface LogDetail extends StoredLogRow {
  requestBody?: string;
  responseBody?: string;
}

/** The list columns: everything except the bodies. */
const LIST_COLUMNS = `id, created_at, protocol, route, client_key, key_id, requested_model, mapped_model, mapping_rule, routed,
  account_id, account_email, session_hash, attempts, status, error_class, error_message, latency_ms, first_byte_ms,
  stream, input_tokens, output_tokens, thinking_tokens, cached_tokens`;

const STATUS_CLASSES: Record<string, [number, number]> = {
  '2xx': [200, 299],
  '3xx': [300, 399],
  '4xx': [400, 499],
  '5xx': [500, 599],
  error: [400, 999],
};

const optional = <T>(value: unknown): T | undefined => (value ?? undefined) as T | undefined;

/** A `request_logs` row (list columns) as the API shows it. */
export function toStoredRow(raw: Record<string, unknown>): StoredLogRow {
  return {
    id: raw.id as number,
    createdAt: raw.created_at as number,
    protocol: raw.protocol as RequestLogEntry['protocol'],
    route: raw.route as string,
    clientKey: optional(raw.client_key),
    keyId: optional(raw.key_id),
    requestedModel: optional(raw.requested_model),
    mappedModel: optional(raw.mapped_model),
    mappingRule: optional(raw.mapping_rule),
    routed: raw.routed === 1,
    accountId: optional(raw.account_id),
    accountEmail: optional(raw.account_email),
    sessionHash: optional(raw.session_hash),
    attempts: JSON.parse(raw.attempts as string) as AttemptRecord[],
    status: raw.status as number,
    errorClass: optional(raw.error_class),
    errorMessage: optional(raw.error_message),
    latencyMs: raw.latency_ms as number,
    firstByteMs: optional(raw.first_byte_ms),
    stream: raw.stream === 1,
    inputTokens: optional(raw.input_tokens),
    outputTokens: optional(raw.output_tokens),
    thinkingTokens: optional(raw.thinking_tokens),
    cachedTokens: optional(raw.cached_tokens),
  };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function whereClause(filter: LogFilter, cursor?: number): { sql: string; params: SQLInputValue[] } {
  const parts: string[] = [];
  const params: SQLInputValue[] = [];
  if (cursor !== undefined) {
    parts.push('id < ?');
    params.push(cursor);
  }
  if (typeof filter.status === 'number') {
    parts.push('status = ?');
    params.push(filter.status);
  } else if (filter.status !== undefined) {
    const [low, high] = STATUS_CLASSES[filter.status]!;
    parts.push('status BETWEEN ? AND ?');
    params.push(low, high);
  }
  if (filter.model !== undefined) {
    parts.push('(mapped_model = ? OR requested_model = ?)');
    params.push(filter.model, filter.model);
  }
  if (filter.account !== undefined) {
    parts.push('(account_id = ? OR account_email = ? COLLATE NOCASE)');
    params.push(filter.account, filter.account);
  }
  if (filter.protocol !== undefined) {
    parts.push('protocol = ?');
    params.push(filter.protocol);
  }
  if (filter.key !== undefined) {
    parts.push('(client_key = ? OR key_id = ?)');
    params.push(filter.key, filter.key);
  }
  if (filter.q !== undefined && filter.q !== '') {
    const pattern = `%${escapeLike(filter.q)}%`;
    const columns = ['route', 'requested_model', 'mapped_model', 'account_email', 'error_message'];
    parts.push(`(${columns.map((column) => `${column} LIKE ? ESCAPE '\\'`).join(' OR ')})`);
    for (let i = 0; i < columns.length; i++) params.push(pattern);
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/**
 * Reads the request log for the admin API. Newest first, paged by id (the primary key, so a page
 * is a range scan of the rowid whatever the filters).
 */
export class LogQuery {
  private readonly store: Store;

  constructor(store: Store) {
    this.store = store;
  }

  page(filter: LogFilter, limit: number, cursor?: number): LogPage {
    const { sql, params } = whereClause(filter, cursor);
    const raws = this.store
      .prepare(`SELECT ${LIST_COLUMNS} FROM request_logs ${sql} ORDER BY id DESC LIMIT ?`)
      .all(...params, limit + 1) as Record<string, unknown>[];
    const rows = raws.slice(0, limit).map(toStoredRow);
    return raws.length > limit ? { rows, nextCursor: rows.at(-1)!.id } : { rows };
  }

  /** Every matching row (up to `max`), newest first, read a page at a time. */
  *all(filter: LogFilter, max: number, pageSize = 1000): Generator<StoredLogRow[]> {
    let cursor: number | undefined;
    let left = max;
    while (left > 0) {
      const page = this.page(filter, Math.min(pageSize, left), cursor);
      if (page.rows.length > 0) yield page.rows;
      left -= page.rows.length;
      if (page.nextCursor === undefined) return;
      cursor = page.nextCursor;
    }
  }

  get(id: number): LogDetail | undefined {
    const raw = this.store
      .prepare(`SELECT ${LIST_COLUMNS}, request_body, response_body FROM request_logs WHERE id = ?`)
      .get(id) as Record<string, unknown> | undefined;
    if (!raw) return undefined;
    const row: LogDetail = toStoredRow(raw);
    if (raw.request_body) row.requestBody = raw.request_body as string;
    if (raw.response_body) row.responseBody = raw.response_body as string;
    return row;
  }

  /** Removes every row; answers how many. */
  clear(): number {
    return Number(this.store.prepare('DELETE FROM request_logs').run().changes);
  }
}

const CSV_COLUMNS: Array<[string, (row: StoredLogRow) => unknown]> = [
  ['id', (r) => r.id],
  ['time', (r) => new Date(r.createdAt).toISOString()],
  ['protocol', (r) => r.protocol],
  ['route', (r) => r.route],
  ['client_key', (r) => r.clientKey],
  ['key_id', (r) => r.keyId],
  ['requested_model', (r) => r.requestedModel],
  ['mapped_model', (r) => r.mappedModel],
  ['mapping_rule', (r) => r.mappingRule],
  ['routed', (r) => r.routed],
  ['account_id', (r) => r.accountId],
  ['account_email', (r) => r.accountEmail],
  ['attempts', (r) => r.attempts.length],
  ['status', (r) => r.status],
  ['error_class', (r) => r.errorClass],
  ['error_message', (r) => r.errorMessage],
  ['latency_ms', (r) => r.latencyMs],
  ['first_byte_ms', (r) => r.firstByteMs],
  ['stream', (r) => r.stream],
  ['input_tokens', (r) => r.inputTokens],
  ['output_tokens', (r) => r.outputTokens],
  ['thinking_tokens', (r) => r.thinkingTokens],
  ['cached_tokens', (r) => r.cachedTokens],
];

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. Text a spreadsheet
 * would run as a formula (a client's error message or model name starting with =, +, - or @) gets
 * a leading apostrophe, so opening the export never executes anything (OWASP CSV injection).
 */
export function csvField(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const CSV_HEADER = `${CSV_COLUMNS.map(([name]) => name).join(',')}\r\n`;

export function csvLines(rows: StoredLogRow[]): string {
  let out = '';
  for (const row of rows) out += `${CSV_COLUMNS.map(([, read]) => csvField(read(row))).join(',')}\r\n`;
  return out;
}
