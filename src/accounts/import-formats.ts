import { isPlainObject } from '../util/json.ts';

/** One account to import, whatever file it came from. */
export interface ImportItem {
  refreshToken?: string;
  email?: string;
  label?: string;
  enabled?: boolean;
  /** Why the item cannot be imported, found while reading it (no token, wrong type). */
  problem?: string;
}

export const MAX_IMPORT_ITEMS = 1000;

export class ImportFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportFormatError';
  }
}

const REFRESH_TOKEN_KEYS = ['refreshToken', 'refresh_token'];

function pickToken(record: Record<string, unknown>): string | undefined {
  for (const key of REFRESH_TOKEN_KEYS) {
    const value = record[key];
    if (typeof value === 'string' && value.trim()) return value.trim();
  }
  // Antigravity-Manager keeps the OAuth token set under `token`.
  const nested = record.token ?? record.tokens ?? record.credentials;
  if (isPlainObject(nested)) return pickToken(nested);
  return undefined;
}

function accountItem(value: unknown): ImportItem {
  if (typeof value === 'string')
    return value.trim() ? { refreshToken: value.trim() } : { problem: 'empty entry' };
  if (!isPlainObject(value)) return { problem: 'expected an object or a refresh token string' };
  const refreshToken = pickToken(value);
  const email = typeof value.email === 'string' ? value.email : undefined;
  const label = typeof value.label === 'string' ? value.label : undefined;
  // Our export says `enabled`; Antigravity-Manager says `disabled`.
  const enabled =
    typeof value.enabled === 'boolean'
      ? value.enabled
      : typeof value.disabled === 'boolean'
        ? !value.disabled
        : undefined;
  if (!refreshToken) return { email, problem: 'no refresh token in this entry' };
  return { refreshToken, email, label, enabled };
}

function tokenItems(value: unknown): ImportItem[] {
  const list = typeof value === 'string' ? value.split(/[\r\n,]+/) : value;
  if (!Array.isArray(list))
    throw new ImportFormatError(
      '"refreshTokens" must be an array of strings or a text with one token per line',
    );
  return list
    .filter((entry) => typeof entry !== 'string' || entry.trim() !== '')
    .map((entry) =>
      typeof entry === 'string'
        ? { refreshToken: entry.trim() }
        : { problem: 'expected a refresh token string' },
    );
}

/**
 * Reads an import request: `{"refreshTokens": [...]}` (or one token per line), `{"accounts": [...]}`
 * holding our export entries or Antigravity-Manager account files, or a single such account object.
 */
export function readImportBody(body: unknown): ImportItem[] {
  let items: ImportItem[];
  if (Array.isArray(body)) items = body.map(accountItem);
  else if (!isPlainObject(body))
    throw new ImportFormatError('Expected a JSON object with "refreshTokens" or "accounts"');
  else if ('refreshTokens' in body) items = tokenItems(body.refreshTokens);
  else if ('accounts' in body) {
    if (!Array.isArray(body.accounts)) throw new ImportFormatError('"accounts" must be an array');
    items = body.accounts.map(accountItem);
  } else if (pickToken(body)) items = [accountItem(body)];
  else
    throw new ImportFormatError(
      'Expected "refreshTokens" (a list of refresh tokens) or "accounts" (exported accounts)',
    );
  if (items.length === 0) throw new ImportFormatError('Nothing to import: the list is empty');
  if (items.length > MAX_IMPORT_ITEMS)
    throw new ImportFormatError(`At most ${MAX_IMPORT_ITEMS} accounts per import`);
  return items;
}

/** Our export format; `readImportBody` reads it back. */
export interface ExportDocument {
  format: 'better-manager.accounts';
  version: 1;
  exportedAt: string;
  accounts: Array<{
    email: string;
    refreshToken: string;
    label: string | null;
    enabled: boolean;
    projectId: string | null;
  }>;
}
