/**
 * Turns what the user pasted or picked into the body of `POST /api/accounts/import`, which reads
 * (src/accounts/import-formats.ts `readImportBody`): `{refreshTokens: [...]}`, `{accounts: [...]}`
 * (our export file), a JSON array of tokens or account objects, or one Antigravity-Manager account
 * object. Each entry is checked by the server, so a wrong entry comes back as a failed item with
 * its reason instead of stopping the whole import.
 */

export interface ImportSource {
  /** "pasted text" or the file name, for messages. */
  name: string;
  text: string;
}

export type ImportPlan =
  /** `labels[i]` names entry i (the server's result `index`): its email or its masked token. */
  | { ok: true; body: unknown; labels: string[] }
  | { ok: false; problem: 'empty' }
  | { ok: false; problem: 'badJson'; source: string; detail: string };

type Entry = unknown;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Like the server's maskToken: enough to tell two tokens apart, not enough to use one. */
export function maskToken(token: string): string {
  const trimmed = token.trim();
  return trimmed.length <= 12 ? '****' : `${trimmed.slice(0, 4)}\u2026${trimmed.slice(-4)}`;
}

/** Where import-formats.ts finds a refresh token in an account object. */
function tokenIn(record: Record<string, unknown>): string | undefined {
  for (const key of ['refreshToken', 'refresh_token']) {
    const value = record[key];
    if (typeof value === 'string' && value.trim()) return value;
  }
  const nested = record.token ?? record.tokens ?? record.credentials;
  return isRecord(nested) ? tokenIn(nested) : undefined;
}

function labelOf(entry: Entry): string {
  if (typeof entry === 'string') return maskToken(entry);
  if (!isRecord(entry)) return '';
  if (typeof entry.email === 'string') return entry.email;
  const token = tokenIn(entry);
  return token ? maskToken(token) : '';
}

function tokenLines(text: string): string[] {
  return text
    .split(/[\r\n,]+/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** The entries of one parsed JSON document, each a token string or an account object. */
function entriesOf(document: unknown): Entry[] {
  if (Array.isArray(document)) return document;
  if (isRecord(document)) {
    const { refreshTokens, accounts } = document;
    if (typeof refreshTokens === 'string') return tokenLines(refreshTokens);
    if (Array.isArray(refreshTokens)) return refreshTokens;
    if (Array.isArray(accounts)) return accounts;
  }
  // One account object (an Antigravity-Manager file), or something the server will name as wrong.
  return [document];
}

type Parsed = { kind: 'lines'; tokens: string[] } | { kind: 'json'; document: unknown };

function parseSource(source: ImportSource): Parsed | { error: string } | null {
  const text = source.text.trim();
  if (!text) return null;
  if (text.startsWith('[') || text.startsWith('{')) {
    try {
      return { kind: 'json', document: JSON.parse(text) as unknown };
    } catch (error) {
      return { error: (error as Error).message };
    }
  }
  return { kind: 'lines', tokens: tokenLines(text) };
}

export function planImport(sources: readonly ImportSource[]): ImportPlan {
  const parsed: Parsed[] = [];
  for (const source of sources) {
    const result = parseSource(source);
    if (result === null) continue;
    if ('error' in result)
      return { ok: false, problem: 'badJson', source: source.name, detail: result.error };
    parsed.push(result);
  }
  if (parsed.length === 0) return { ok: false, problem: 'empty' };
  const only = parsed.length === 1 ? parsed[0] : undefined;
  // One source goes as it is, so the server reads the format it knows; several are merged into one list.
  if (only?.kind === 'lines') {
    return only.tokens.length > 0
      ? { ok: true, body: { refreshTokens: only.tokens }, labels: only.tokens.map(labelOf) }
      : { ok: false, problem: 'empty' };
  }
  if (only?.kind === 'json') {
    const entries = entriesOf(only.document);
    return entries.length > 0
      ? { ok: true, body: only.document, labels: entries.map(labelOf) }
      : { ok: false, problem: 'empty' };
  }
  const accounts = parsed.flatMap((item) => (item.kind === 'lines' ? item.tokens : entriesOf(item.document)));
  return accounts.length > 0
    ? { ok: true, body: { accounts }, labels: accounts.map(labelOf) }
    : { ok: false, problem: 'empty' };
}
