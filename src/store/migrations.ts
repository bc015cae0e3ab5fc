import { existsSync } from 'node:fs';
import type { Store } from './database.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Up-only. Append new migrations at the end; never edit one that has shipped. */
/** Migration 6 for one roll-up table: rebuilt with key_id in its primary key, rows kept with key_id ''. */
function rollUpWithKeyId(table: string): string {
  const kept = `bucket_start, model, account_id, client_key, account_email, requests, errors, input_tokens,
        output_tokens, thinking_tokens, cached_tokens, latency_sum, latency_hist`;
  return `
      CREATE TABLE ${table}_v6 (
        bucket_start INTEGER NOT NULL,
        model TEXT NOT NULL,
        account_id TEXT NOT NULL,
        client_key TEXT NOT NULL,
        key_id TEXT NOT NULL DEFAULT '',
        account_email TEXT,
        requests INTEGER NOT NULL DEFAULT 0,
        errors INTEGER NOT NULL DEFAULT 0,
        input_tokens INTEGER NOT NULL DEFAULT 0,
        output_tokens INTEGER NOT NULL DEFAULT 0,
        thinking_tokens INTEGER NOT NULL DEFAULT 0,
        cached_tokens INTEGER NOT NULL DEFAULT 0,
        latency_sum INTEGER NOT NULL DEFAULT 0,
        latency_hist TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (bucket_start, model, account_id, client_key, key_id)
      ) WITHOUT ROWID;
      INSERT INTO ${table}_v6 (${kept}) SELECT ${kept} FROM ${table};
      DROP TABLE ${table};
      ALTER TABLE ${table}_v6 RENAME TO ${table};`;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'accounts, per-model quota and OAuth flows',
    sql: `
      CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        display_name TEXT,
        refresh_token_enc TEXT NOT NULL,
        access_token_enc TEXT,
        access_token_expires_at INTEGER,
        project_id TEXT,
        tier TEXT,
        tier_name TEXT,
        enabled INTEGER NOT NULL DEFAULT 1,
        status TEXT NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'needs_login', 'forbidden')),
        status_reason TEXT,
        validation_url TEXT,
        label TEXT,
        sort_order INTEGER NOT NULL DEFAULT 0,
        is_current INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        last_used_at INTEGER,
        quota_fetched_at INTEGER,
        quota_error TEXT
      );
      CREATE INDEX accounts_order ON accounts (sort_order, created_at);

      CREATE TABLE account_quotas (
        account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        model_id TEXT NOT NULL,
        display_name TEXT,
        remaining_fraction REAL,
        reset_at INTEGER,
        fetched_at INTEGER,
        status TEXT NOT NULL DEFAULT 'unknown' CHECK (status IN ('known', 'unknown')),
        details TEXT,
        PRIMARY KEY (account_id, model_id)
      ) WITHOUT ROWID;

      CREATE TABLE account_quota_buckets (
        account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        bucket_id TEXT NOT NULL,
        group_name TEXT,
        window TEXT,
        remaining_fraction REAL,
        reset_at INTEGER,
        fetched_at INTEGER NOT NULL,
        PRIMARY KEY (account_id, bucket_id)
      ) WITHOUT ROWID;

      CREATE TABLE oauth_flows (
        state TEXT PRIMARY KEY,
        code_verifier_enc TEXT NOT NULL,
        auth_url TEXT NOT NULL,
        redirect_uri TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'completed', 'failed', 'expired')),
        account_id TEXT,
        error TEXT,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'stored settings and client API keys',
    sql: `
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );

      CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        label TEXT NOT NULL,
        key_hash TEXT NOT NULL UNIQUE,
        key_prefix TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_used_at INTEGER,
        revoked_at INTEGER
      );
    `,
  },
  {
    version: 3,
    name: 'request log',
    sql: `
      CREATE TABLE request_logs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at INTEGER NOT NULL,
        protocol TEXT NOT NULL,
        route TEXT NOT NULL,
        client_key TEXT,
        requested_model TEXT,
        mapped_model TEXT,
        mapping_rule TEXT,
        routed INTEGER NOT NULL DEFAULT 0,
        account_id TEXT,
        account_email TEXT,
        session_hash TEXT,
        attempts TEXT NOT NULL DEFAULT '[]',
        attempt_count INTEGER NOT NULL DEFAULT 0,
        status INTEGER NOT NULL,
        error_class TEXT,
        error_message TEXT,
        latency_ms INTEGER NOT NULL,
        first_byte_ms INTEGER,
        stream INTEGER NOT NULL DEFAULT 0,
        input_tokens INTEGER,
        output_tokens INTEGER,
        thinking_tokens INTEGER,
        cached_tokens INTEGER,
        request_body TEXT,
        response_body TEXT
      );
      CREATE INDEX request_logs_created ON request_logs (created_at);
      CREATE INDEX request_logs_model ON request_logs (mapped_model, created_at);
      CREATE INDEX request_logs_account ON request_logs (account_id, created_at);
    `,
  },
  {
    version: 4,
    name: 'stored Responses API responses (previous_response_id)',
    sql: `
      CREATE TABLE stored_responses (
        id TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        items TEXT NOT NULL
      );
      CREATE INDEX stored_responses_created ON stored_responses (created_at);
    `,
  },
  {
    version: 5,
    name: 'stats roll-ups per minute and per hour',
    // Kept by RequestLog in the transaction that writes the log rows (src/monitor/stats.ts), and
    // filled here from the rows already logged. Dimensions are '' when absent. model is the mapped
    // model, else the requested one. latency_hist is a sparse JSON object bin -> count, 4 log-scale
    // bins per doubling: bin 0 is < 1 ms, bin b (1..80) is [2^((b-1)/4), 2^(b/4)) ms, bin 81 is
    // >= 2^20 ms. Roll-ups outlive pruned log rows.
    sql: `
      CREATE TABLE request_stats_minute (
        bucket_start INTEGER NOT NULL,
        model TEXT NOT NULL,
        account_id TEXT NOT NULL,
        client_key TEXT NOT NULL,
        account_email TEXT,
        requests INTEGER NOT NULL DEFAULT 0,
        errors INTEGER NOT NULL DEFAULT 0,
        input_tokens INTEGER NOT NULL DEFAULT 0,
        output_tokens INTEGER NOT NULL DEFAULT 0,
        thinking_tokens INTEGER NOT NULL DEFAULT 0,
        cached_tokens INTEGER NOT NULL DEFAULT 0,
        latency_sum INTEGER NOT NULL DEFAULT 0,
        latency_hist TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (bucket_start, model, account_id, client_key)
      ) WITHOUT ROWID;

      CREATE TABLE request_stats_hour (
        bucket_start INTEGER NOT NULL,
        model TEXT NOT NULL,
        account_id TEXT NOT NULL,
        client_key TEXT NOT NULL,
        account_email TEXT,
        requests INTEGER NOT NULL DEFAULT 0,
        errors INTEGER NOT NULL DEFAULT 0,
        input_tokens INTEGER NOT NULL DEFAULT 0,
        output_tokens INTEGER NOT NULL DEFAULT 0,
        thinking_tokens INTEGER NOT NULL DEFAULT 0,
        cached_tokens INTEGER NOT NULL DEFAULT 0,
        latency_sum INTEGER NOT NULL DEFAULT 0,
        latency_hist TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (bucket_start, model, account_id, client_key)
      ) WITHOUT ROWID;

      INSERT INTO request_stats_minute (bucket_start, model, account_id, client_key, account_email, requests, errors,
        input_tokens, output_tokens, thinking_tokens, cached_tokens, latency_sum, latency_hist)
      SELECT bucket_start, model, account_id, client_key, MAX(account_email), SUM(requests), SUM(errors),
        SUM(input_tokens), SUM(output_tokens), SUM(thinking_tokens), SUM(cached_tokens), SUM(latency_sum),
        json_group_object(bin, requests)
      FROM (
        SELECT created_at - created_at % 60000 AS bucket_start, COALESCE(mapped_model, requested_model, '') AS model,
          COALESCE(account_id, '') AS account_id, COALESCE(client_key, '') AS client_key,
          MAX(account_email) AS account_email, COUNT(*) AS requests, SUM(status >= 400) AS errors,
          SUM(COALESCE(input_tokens, 0)) AS input_tokens, SUM(COALESCE(output_tokens, 0)) AS output_tokens,
          SUM(COALESCE(thinking_tokens, 0)) AS thinking_tokens, SUM(COALESCE(cached_tokens, 0)) AS cached_tokens,
          SUM(latency_ms) AS latency_sum, CAST(CASE WHEN latency_ms < 1 THEN 0 ELSE min(81, 1 + CAST(floor(4 * log2(latency_ms)) AS INTEGER)) END AS TEXT) AS bin
        FROM request_logs GROUP BY 1, 2, 3, 4, bin
      )
      GROUP BY 1, 2, 3, 4;

      INSERT INTO request_stats_hour (bucket_start, model, account_id, client_key, account_email, requests, errors,
        input_tokens, output_tokens, thinking_tokens, cached_tokens, latency_sum, latency_hist)
      SELECT bucket_start, model, account_id, client_key, MAX(account_email), SUM(requests), SUM(errors),
        SUM(input_tokens), SUM(output_tokens), SUM(thinking_tokens), SUM(cached_tokens), SUM(latency_sum),
        json_group_object(bin, requests)
      FROM (
        SELECT created_at - created_at % 3600000 AS bucket_start, COALESCE(mapped_model, requested_model, '') AS model,
          COALESCE(account_id, '') AS account_id, COALESCE(client_key, '') AS client_key,
          MAX(account_email) AS account_email, COUNT(*) AS requests, SUM(status >= 400) AS errors,
          SUM(COALESCE(input_tokens, 0)) AS input_tokens, SUM(COALESCE(output_tokens, 0)) AS output_tokens,
          SUM(COALESCE(thinking_tokens, 0)) AS thinking_tokens, SUM(COALESCE(cached_tokens, 0)) AS cached_tokens,
          SUM(latency_ms) AS latency_sum, CAST(CASE WHEN latency_ms < 1 THEN 0 ELSE min(81, 1 + CAST(floor(4 * log2(latency_ms)) AS INTEGER)) END AS TEXT) AS bin
        FROM request_logs GROUP BY 1, 2, 3, 4, bin
      )
      GROUP BY 1, 2, 3, 4;
    `,
  },
  {
    version: 6,
    name: 'request log and roll-ups by client API key id',
    // key_id names the key that let the request in: an api_keys id, or env:<first 6 hex of its
    // SHA-256> for a key from the settings; NULL (roll-ups: '') when no key was checked. A roll-up
    // primary key cannot be altered in place, so both tables are rebuilt with key_id as a fifth
    // dimension; rows rolled up before get ''.
    sql: `
      ALTER TABLE request_logs ADD COLUMN key_id TEXT;

      ${rollUpWithKeyId('request_stats_minute')}
      ${rollUpWithKeyId('request_stats_hour')}
    `,
  },
  {
    version: 7,
    name: 'admin password set from the dashboard',
    // One row at most: an scrypt hash with its salt and parameters (src/admin/password-store.ts),
    // never the password. A password from the config file or environment wins over it.
    sql: `
      CREATE TABLE admin_credentials (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        password_hash TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
    `,
  },
];

export interface MigrationReport {
  from: number;
  to: number;
  applied: Migration[];
  backupPath?: string;
}

export function schemaVersion(store: Store): number {
  const row = store.db.prepare('PRAGMA user_version').get() as { user_version: number };
  return row.user_version;
}

/**
 * Brings the database to the newest schema. Each migration runs in its own transaction and
 * records its version; before an existing database is changed a consistent copy is written
 * beside it (VACUUM INTO reads through the WAL, so the copy is complete).
 */
export function migrate(store: Store, migrations: readonly Migration[] = MIGRATIONS): MigrationReport {
  const from = schemaVersion(store);
  const newest = migrations.at(-1)?.version ?? 0;
  if (from > newest) {
    throw new Error(
      `The database ${store.path} has schema version ${from}, newer than this program knows (${newest}). ` +
        'Upgrade better-manager, or point --data-dir at another folder.',
    );
  }
  const pending = migrations.filter((migration) => migration.version > from);
  if (pending.length === 0) return { from, to: from, applied: [] };

  let backupPath: string | undefined;
  if (from > 0 && store.path !== ':memory:') {
    backupPath = uniqueBackupPath(store.path, from);
    store.db.prepare('VACUUM INTO ?').run(backupPath);
  }
  for (const migration of pending) {
    store.transaction(() => {
      store.db.exec(migration.sql);
      store.db.exec(`PRAGMA user_version = ${migration.version}`);
    });
  }
  return { from, to: newest, applied: pending, backupPath };
}

function uniqueBackupPath(path: string, version: number): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  let candidate = `${path}.v${version}-${stamp}.bak`;
  for (let n = 1; existsSync(candidate); n++) candidate = `${path}.v${version}-${stamp}-${n}.bak`;
  return candidate;
}
